// The relay core against pve-sim's real RFB server behind a local WebSocket server standing in
// for Proxmox's vncwebsocket, and a raw RFB client standing in for noVNC.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Encoding } from '@common/rfb/rfb-messages';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSocketStream, WebSocket, WebSocketServer } from 'ws';
import { RfbRecorder, RfbTestClient, serveRfb } from '../../../../pve-sim/rfb/index';
import {
  ConsoleRelay,
  ConsoleUpstreamError,
  type RelayHooks,
  type RelayOptions,
  type RelayResult,
} from './console-relay';

const PASSWORD = 'Secr3t+/=;pw';

interface FakeProxmox {
  url: string;
  recorder: RfbRecorder;
  /** Sizes of every frame Proxmox received. */
  frameSizes: number[];
  sockets: Set<WebSocket>;
  close(): Promise<void>;
}

async function fakeProxmox(opts: { password?: string; name?: string; maxPayload?: number } = {}): Promise<FakeProxmox> {
  const recorder = new RfbRecorder();
  const frameSizes: number[] = [];
  const sockets = new Set<WebSocket>();
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate: false,
    maxPayload: opts.maxPayload ?? 128 * 1024,
  });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('message', (data: Buffer) => frameSizes.push(data.length));
    const stream = createWebSocketStream(ws);
    serveRfb(stream, {
      name: opts.name ?? 'web-01',
      vmid: 100,
      password: opts.password ?? PASSWORD,
      recorder,
      width: 400,
      height: 300,
      fps: 30,
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/vncwebsocket`,
    recorder,
    frameSizes,
    sockets,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.close();
    },
  };
}

interface Harness {
  url: string;
  results: RelayResult[];
  relays: ConsoleRelay[];
  closed(): Promise<RelayResult>;
  close(): Promise<void>;
}

async function relayServer(hooks: Partial<RelayHooks> & Pick<RelayHooks, 'openUpstream'>, options: RelayOptions) {
  const results: RelayResult[] = [];
  const relays: ConsoleRelay[] = [];
  const waiters: ((r: RelayResult) => void)[] = [];
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    const relay = new ConsoleRelay(
      ws,
      {
        ...hooks,
        onClosed: (r) => {
          results.push(r);
          for (const w of waiters.splice(0)) w(r);
        },
      },
      options,
    );
    relays.push(relay);
    relay.start();
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const harness: Harness = {
    url: `ws://127.0.0.1:${port}/`,
    results,
    relays,
    closed: () =>
      results[0] ? Promise.resolve(results[0]) : new Promise<RelayResult>((resolve) => waiters.push(resolve)),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close();
    },
  };
  return harness;
}

/** Opens a plain WebSocket like the Proxmox client does (attach before open, settle on open). */
function openWs(url: string, attach: (ws: WebSocket) => void): Promise<WebSocket> {
  const ws = new WebSocket(url, ['binary'], { perMessageDeflate: false });
  attach(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      reject(
        new ConsoleUpstreamError({
          code: CONSOLE_CLOSE.proxmoxUnreachable,
          reason: res.statusCode === 401 ? 'Proxmox refused the console connection' : 'Proxmox unreachable',
        }),
      );
    });
    ws.once('error', reject);
  });
}

function upstreamTo(proxmox: FakeProxmox, password = PASSWORD): RelayHooks['openUpstream'] {
  return async () => ({ password, connect: (attach) => openWs(proxmox.url, attach) });
}

/** A browser: a WebSocket whose every received byte is kept for scanning. */
async function browser(url: string, wsOptions: { autoPong?: boolean } = {}) {
  const ws = new WebSocket(url, ['binary'], { perMessageDeflate: false, ...wsOptions });
  // The stream must listen before the first message (the server speaks first).
  const stream = createWebSocketStream(ws);
  const received: Buffer[] = [];
  ws.on('message', (data: Buffer) => received.push(Buffer.from(data)));
  const closeEvent = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await once(ws, 'open');
  return { ws, stream, received, closeEvent };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Partial<RelayOptions> = {}, hooks: Partial<RelayHooks> = {}, proxmoxOpts = {}) {
  const proxmox = await fakeProxmox(proxmoxOpts);
  cleanups.push(() => proxmox.close());
  const relay = await relayServer(
    { openUpstream: upstreamTo(proxmox), ...hooks },
    { viewOnly: false, idleTimeoutMs: 0, ...options },
  );
  cleanups.push(() => relay.close());
  return { proxmox, relay };
}

async function rfbThrough(url: string, wsOptions: { autoPong?: boolean } = {}) {
  const b = await browser(url, wsOptions);
  const client = await RfbTestClient.connect(b.stream, { timeoutMs: 5000 });
  cleanups.push(() => client.close());
  return { ...b, client };
}

describe('console relay', () => {
  it('authenticates with Proxmox itself and offers the browser security type None', async () => {
    const { proxmox, relay } = await setup();
    const { client, received } = await rfbThrough(relay.url);
    expect(client.serverVersion).toEqual({ major: 3, minor: 8 });
    expect(client.securityTypes).toEqual([1]);
    expect(client.desktopName).toBe('web-01');
    const update = await client.update(false);
    expect(update.rects.length).toBeGreaterThan(0);
    client.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    await proxmox.recorder.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
    expect(proxmox.recorder.authAttempts.at(-1)?.ok).toBe(true);
    const all = Buffer.concat(received);
    expect(all.includes(Buffer.from(PASSWORD))).toBe(false);
    client.close();
    const result = await relay.closed();
    expect(result.established).toBe(true);
    expect(result.by).toBe('browser');
    expect(result.bytesDown).toBeGreaterThan(400 * 300);
    expect(result.bytesUp).toBeGreaterThan(0);
  });

  it('drops input of a view-only session but keeps the screen flowing', async () => {
    const { proxmox, relay } = await setup({ viewOnly: true });
    const { client } = await rfbThrough(relay.url);
    client.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    client.pointer(10, 10, 1);
    client.cutText('rm -rf /');
    client.qemuKey('a', 0x1e, true);
    client.sendRaw(Uint8Array.of(250, 0, 1, 4)); // xvp reboot
    await client.update(false);
    await client.update(true);
    // Everything sent before the update request was processed before it: nothing arrived.
    expect(proxmox.recorder.keyEvents).toEqual([]);
    expect(proxmox.recorder.pointerEvents).toEqual([]);
    expect(proxmox.recorder.clientCutText).toEqual([]);
    expect(proxmox.recorder.messages.some((m) => m.message.type === 'Xvp')).toBe(false);
    expect(proxmox.recorder.messages.some((m) => m.message.type === 'FramebufferUpdateRequest')).toBe(true);
    client.close();
    expect((await relay.closed()).droppedInput).toBe(10);
  });

  it('strips ExtendedMouseButtons so pointer events keep their framing', async () => {
    const { proxmox, relay } = await setup();
    const { client } = await rfbThrough(relay.url);
    client.setEncodings([Encoding.Raw, Encoding.ExtendedMouseButtons, Encoding.CopyRect]);
    await client.update(false);
    const set = proxmox.recorder.messages.find((m) => m.message.type === 'SetEncodings');
    expect(set?.message).toEqual({ type: 'SetEncodings', encodings: [Encoding.Raw, Encoding.CopyRect] });
  });

  it('splits browser frames larger than 128 KiB for Proxmox', async () => {
    const { proxmox, relay } = await setup();
    const { client } = await rfbThrough(relay.url);
    const text = 'x'.repeat(200 * 1024);
    client.cutText(text);
    await proxmox.recorder.waitFor((r) => r.clientCutText.length === 1);
    expect(proxmox.recorder.clientCutText[0]?.length).toBe(text.length);
    expect(Math.max(...proxmox.frameSizes)).toBeLessThanOrEqual(128 * 1024);
  });

  it('closes on a malformed browser message with a protocol error', async () => {
    const { relay } = await setup();
    const { client, closeEvent } = await rfbThrough(relay.url);
    client.sendRaw(Uint8Array.of(77, 1, 2, 3));
    const close = await closeEvent;
    expect(close.code).toBe(CONSOLE_CLOSE.protocolError);
    expect(close.reason).toMatch(/invalid RFB message/);
  });

  it('tells the browser why when Proxmox rejects the password', async () => {
    const proxmox = await fakeProxmox();
    cleanups.push(() => proxmox.close());
    const relay = await relayServer(
      { openUpstream: upstreamTo(proxmox, 'wrong-password') },
      { viewOnly: false, idleTimeoutMs: 0 },
    );
    cleanups.push(() => relay.close());
    const b = await browser(relay.url);
    await expect(RfbTestClient.connect(b.stream)).rejects.toThrow(/rejected the console password/);
    expect((await b.closeEvent).code).toBe(CONSOLE_CLOSE.proxmoxUnreachable);
  });

  it('passes on what the upstream knows (VM not running) and refused upgrades', async () => {
    const relay = await relayServer(
      {
        openUpstream: async () => {
          throw new ConsoleUpstreamError({ code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' });
        },
      },
      { viewOnly: false, idleTimeoutMs: 0 },
    );
    cleanups.push(() => relay.close());
    const b = await browser(relay.url);
    await expect(RfbTestClient.connect(b.stream)).rejects.toThrow(/VM stopped/);
    expect(await b.closeEvent).toEqual({ code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' });

    const http = createServer((_req, res) => res.writeHead(401, 'invalid ticket').end());
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 401 invalid ticket\r\ncontent-length: 0\r\n\r\n'));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    cleanups.push(() => void http.close());
    const port = (http.address() as AddressInfo).port;
    const relay2 = await relayServer(
      {
        openUpstream: async () => ({
          password: 'x',
          connect: (attach) => openWs(`ws://127.0.0.1:${port}/`, attach),
        }),
      },
      { viewOnly: false, idleTimeoutMs: 0 },
    );
    cleanups.push(() => relay2.close());
    const b2 = await browser(relay2.url);
    expect(await b2.closeEvent).toEqual({
      code: CONSOLE_CLOSE.proxmoxUnreachable,
      reason: 'Proxmox refused the console connection',
    });
  });

  it('cuts off a Proxmox that floods before the console opens, and keeps none of it', async () => {
    // Authenticates (security type None), then sends 4 MiB instead of waiting for ClientInit.
    const http = createServer();
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    let sentFlood = 0;
    wss.on('connection', (ws) => {
      ws.send(Buffer.from('RFB 003.008\n'));
      ws.once('message', () => {
        ws.send(Uint8Array.of(1, 1)); // one security type: None
        ws.once('message', () => {
          ws.send(Uint8Array.of(0, 0, 0, 0)); // SecurityResult OK
          for (let i = 0; i < 64 && ws.readyState === ws.OPEN; i++) {
            ws.send(Buffer.alloc(64 * 1024, 7));
            sentFlood += 64 * 1024;
          }
        });
      });
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    cleanups.push(() => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close();
    });
    const port = (http.address() as AddressInfo).port;
    const relay = await relayServer(
      { openUpstream: async () => ({ password: 'x', connect: (attach) => openWs(`ws://127.0.0.1:${port}/`, attach) }) },
      { viewOnly: false, idleTimeoutMs: 0 },
    );
    cleanups.push(() => relay.close());
    const b = await browser(relay.url); // connects and waits: Nexus holds Proxmox's bytes meanwhile
    expect(await b.closeEvent).toEqual({
      code: CONSOLE_CLOSE.proxmoxUnreachable,
      reason: 'Proxmox sent too much data before the console opened',
    });
    expect(sentFlood).toBeGreaterThan(1024 * 1024);
    const result = await relay.closed();
    expect(result).toMatchObject({ by: 'proxmox', established: false });
  });

  it('explains a dropped upstream (VM stopped) to the browser', async () => {
    const { proxmox, relay } = await setup(
      {},
      { explainUpstreamClose: async () => ({ code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' }) },
    );
    const { client, closeEvent } = await rfbThrough(relay.url);
    await client.update(false);
    for (const ws of proxmox.sockets) ws.close(1000);
    expect(await closeEvent).toEqual({ code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' });
    expect((await relay.closed()).by).toBe('proxmox');
  });

  it('closes an idle console', async () => {
    const { relay } = await setup({ idleTimeoutMs: 300 });
    const { client, closeEvent } = await rfbThrough(relay.url);
    await client.update(false);
    expect(await closeEvent).toEqual({ code: CONSOLE_CLOSE.idle, reason: 'idle timeout' });
  });

  it('closes a browser that stops answering pings', async () => {
    const { relay } = await setup({ tuning: { keepaliveIntervalMs: 100 } });
    const { client, closeEvent } = await rfbThrough(relay.url, { autoPong: false });
    await client.update(false);
    const close = await closeEvent;
    expect(close.code).toBe(CONSOLE_CLOSE.stalled);
    expect(close.reason).toBe('browser connection lost');
  });

  it('pauses Proxmox for a browser that stops reading, then closes it', async () => {
    const { relay } = await setup({
      tuning: {
        stallTimeoutMs: 800,
        highWaterBytes: 256 * 1024,
        lowWaterBytes: 64 * 1024,
        keepaliveIntervalMs: 60_000,
      },
    });
    const { client, ws } = await rfbThrough(relay.url);
    await client.update(false);
    // Stop reading at the TCP level, then ask for full frames continuously.
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    // A browser that keeps asking but never reads what it gets.
    const asking = setInterval(() => client.requestUpdate(false), 5);
    cleanups.push(() => clearInterval(asking));
    const result = await relay.closed();
    expect(result.code).toBe(CONSOLE_CLOSE.stalled);
    expect(result.reason).toMatch(/browser stopped reading/);
    // Bounded: what waited in Nexus never exceeded the high-water mark by more than a frame or two.
    expect(result.peakBufferedDown).toBeGreaterThan(256 * 1024);
    expect(result.peakBufferedDown).toBeLessThan(256 * 1024 + 2 * 512 * 1024);
  });
});
