import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  PIXEL_FORMAT_BGR233,
  PIXEL_FORMAT_NOVNC,
  PIXEL_FORMAT_RGB565,
  PIXEL_FORMAT_XRGB32,
  type PixelFormat,
  PixelPacker,
  unpackPixel,
} from '@common/rfb/pixel-format';
import { encodeProtocolVersion, SecurityType, ServerHandshakeReader } from '@common/rfb/rfb-handshake';
import { type ClientMessage, Encoding, encodeClientMessage } from '@common/rfb/rfb-messages';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSocketStream, WebSocket, WebSocketServer } from 'ws';
import { renderSimFrame, SIM_COLOURS, type SimFrameLayout, simFrameLayout } from './guest-frame';
import { RfbRecorder } from './rfb-recorder';
import { type RfbGuestOptions, type RfbSessionHandle, serveRfb } from './rfb-server';
import { RfbHandshakeError, RfbTestClient, type RfbTestClientOptions } from './rfb-test-client';

interface Harness {
  port: number;
  recorder: RfbRecorder;
  sessions: RfbSessionHandle[];
  serverSockets: Socket[];
}

const servers: Server[] = [];
const clients: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function startGuest(overrides: Partial<RfbGuestOptions> = {}): Promise<Harness> {
  const recorder = overrides.recorder ?? new RfbRecorder();
  const harness: Harness = { port: 0, recorder, sessions: [], serverSockets: [] };
  const server = createServer((socket) => {
    harness.serverSockets.push(socket);
    harness.sessions.push(serveRfb(socket, { name: 'web-01', vmid: 100, password: 'secret', recorder, ...overrides }));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  harness.port = (server.address() as { port: number }).port;
  return harness;
}

function socketTo(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  clients.push(socket);
  return socket;
}

function client(h: Harness, options: RfbTestClientOptions = { password: 'secret' }): Promise<RfbTestClient> {
  return RfbTestClient.connect(socketTo(h.port), options);
}

/** The frame pve-sim renders for `frame`, as the client would decode it in `pf`. */
function expectedFrame(
  layout: SimFrameLayout,
  frame: number,
  pf: PixelFormat = PIXEL_FORMAT_XRGB32,
  name = 'web-01',
  fps = 15,
) {
  const out = new Uint32Array(layout.width * layout.height);
  renderSimFrame({ frame, fps, name, vmid: 100, inputLine: '' }, layout, { x: 0, y: 0, ...layout }, out);
  const packer = new PixelPacker(pf);
  const cell = new Uint8Array(4);
  const cache = new Map<number, number>();
  return out.map((rgb) => {
    let v = cache.get(rgb);
    if (v === undefined) {
      packer.pack(Uint32Array.of(rgb), 0, 1, cell, 0);
      v = unpackPixel(cell, 0, pf);
      cache.set(rgb, v);
    }
    return v;
  });
}

function sameRegion(
  c: RfbTestClient,
  expected: Uint32Array,
  r: { x: number; y: number; width: number; height: number },
) {
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) if (c.pixel(x, y) !== expected[y * c.width + x]) return false;
  }
  return true;
}

const LAYOUT = simFrameLayout(640, 480);

describe('handshake', () => {
  it('authenticates with the right password and sends ServerInit with the VM name', async () => {
    const h = await startGuest({ name: 'web-01 «prod»' });
    const c = await client(h);
    expect(c.serverVersion).toEqual({ major: 3, minor: 8 });
    expect(c.securityTypes).toEqual([SecurityType.VncAuth]);
    expect(c.serverInit).toMatchObject({
      width: 640,
      height: 480,
      name: 'web-01 «prod»',
      pixelFormat: PIXEL_FORMAT_XRGB32,
    });
    await h.recorder.waitFor((r) => r.activeSessions === 1);
    expect(h.recorder.authAttempts).toMatchObject([{ ok: true }]);
  });

  it('fails a wrong password with a reason and closes', async () => {
    const h = await startGuest();
    const socket = socketTo(h.port);
    const error = await RfbTestClient.connect(socket, { password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RfbHandshakeError);
    expect(error).toMatchObject({ stage: 'security-result', reason: 'Authentication failed' });
    expect(h.recorder.authAttempts).toMatchObject([{ ok: false, failure: 'password' }]);
    await h.sessions[0]?.closed;
  });

  it('offers security type None when the password is null', async () => {
    const h = await startGuest({ password: null });
    const c = await client(h, {});
    expect(c.securityTypes).toEqual([SecurityType.None]);
    expect(c.desktopName).toBe('web-01');
  });

  it('refuses a security type it did not offer', async () => {
    const h = await startGuest();
    const error = await client(h, { securityType: SecurityType.None }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'Unsupported security type' });
  });

  it('refuses clients older than RFB 3.8 with a reason', async () => {
    const h = await startGuest();
    const socket = socketTo(h.port);
    const reader = new ServerHandshakeReader();
    socket.on('data', (d: Buffer) => reader.push(d));
    socket.write('RFB 003.003\n');
    await once(socket, 'close');
    expect(reader.protocolVersion()).toEqual({ major: 3, minor: 8 });
    expect(reader.securityTypes()).toEqual({ ok: false, reason: 'Unsupported RFB protocol version 3.3' });
  });

  it('closes when VNC auth has not completed within the password deadline', async () => {
    const h = await startGuest({ passwordDeadlineMs: 150 });
    const socket = socketTo(h.port);
    socket.resume();
    socket.write(encodeProtocolVersion());
    const started = Date.now();
    await once(socket, 'close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(h.recorder.authAttempts).toMatchObject([{ ok: false, failure: 'deadline' }]);
  });

  it('keeps an authenticated session open past the deadline', async () => {
    const h = await startGuest({ passwordDeadlineMs: 100 });
    const c = await client(h);
    await new Promise((r) => setTimeout(r, 250));
    await c.update(false);
    expect(c.stream.destroyed).toBe(false);
  });
});

describe('framebuffer', () => {
  it('shows the VM name, vmid, header, marker and background at known places', async () => {
    const h = await startGuest({ name: 'db-02' });
    const c = await client(h);
    await c.update(false);
    const expected = expectedFrame(LAYOUT, 0, PIXEL_FORMAT_XRGB32, 'db-02');
    for (const region of [LAYOUT.header, LAYOUT.title, LAYOUT.vmid, LAYOUT.marker, LAYOUT.backgroundProbe]) {
      expect(sameRegion(c, expected, region)).toBe(true);
    }
    expect(c.regionIs(LAYOUT.marker, SIM_COLOURS.marker)).toBe(true);
    expect(c.regionIs(LAYOUT.backgroundProbe, SIM_COLOURS.background)).toBe(true);
    expect(c.pixel(LAYOUT.width - 2, 2)).toBe(SIM_COLOURS.header);
    // The title really has text in it, and it differs from another VM's.
    const other = expectedFrame(LAYOUT, 0, PIXEL_FORMAT_XRGB32, 'web-01');
    expect(sameRegion(c, other, LAYOUT.title)).toBe(false);
  });

  it('keeps updates flowing, sending only changed regions, and CopyRect for the band', async () => {
    const h = await startGuest({ fps: 20 });
    const c = await client(h, { password: 'secret', encodings: [Encoding.CopyRect, Encoding.Raw] });
    await c.update(false);
    const started = Date.now();
    let updates = 0;
    while (Date.now() - started < 1000) {
      const u = await c.update(true);
      updates++;
      for (const r of u.rects) expect(r.width * r.height).toBeLessThan(LAYOUT.width * 70);
    }
    expect(updates).toBeGreaterThanOrEqual(12);
    expect(c.encodingCounts.get(Encoding.CopyRect)).toBeGreaterThan(5);
    // The client's picture equals the server's frame f for exactly one recent f.
    const counter = LAYOUT.counter;
    const shown = Uint32Array.from({ length: counter.width * counter.height }, (_, i) =>
      c.pixel(counter.x + (i % counter.width), counter.y + Math.floor(i / counter.width)),
    );
    const rendered = new Uint32Array(shown.length);
    const matches: number[] = [];
    for (let f = 0; f < 1000; f++) {
      renderSimFrame({ frame: f, fps: 20, name: 'web-01', vmid: 100, inputLine: '' }, LAYOUT, counter, rendered);
      if (rendered.every((v, i) => v === shown[i])) matches.push(f);
    }
    expect(matches).toHaveLength(1);
    const whole = expectedFrame(LAYOUT, matches[0] as number, PIXEL_FORMAT_XRGB32, 'web-01', 20);
    expect(sameRegion(c, whole, { x: 0, y: 0, width: 640, height: 480 })).toBe(true);
  });

  it('answers incremental requests only when something changed', async () => {
    const h = await startGuest({ fps: 5 });
    const c = await client(h);
    await c.update(false);
    const t0 = Date.now();
    await c.update(true);
    await c.update(true);
    // Two incremental answers need at least one tick (200 ms) between them.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it.each<[string, PixelFormat]>([
    ['noVNC 32 bpp', PIXEL_FORMAT_NOVNC],
    ['32 bpp big-endian', { ...PIXEL_FORMAT_XRGB32, bigEndian: true }],
    ['RGB565', PIXEL_FORMAT_RGB565],
    ['RGB565 big-endian', { ...PIXEL_FORMAT_RGB565, bigEndian: true }],
    ['BGR233', PIXEL_FORMAT_BGR233],
  ])('honours SetPixelFormat: %s', async (_, pf) => {
    const h = await startGuest({ fps: 1 });
    const c = await client(h, { password: 'secret', pixelFormat: pf });
    await c.update(false);
    expect(sameRegion(c, expectedFrame(LAYOUT, 0, pf), { x: 0, y: 0, width: 640, height: 480 })).toBe(true);
  });

  it('renders at a custom size and in strips larger than one write', async () => {
    const h = await startGuest({ width: 1280, height: 1024, fps: 1 });
    const c = await client(h);
    expect([c.width, c.height]).toEqual([1280, 1024]);
    await c.update(false);
    const layout = simFrameLayout(1280, 1024);
    expect(sameRegion(c, expectedFrame(layout, 0), { x: 0, y: 0, width: 1280, height: 1024 })).toBe(true);
  });

  it('acknowledges the QEMU extended key event pseudo-encoding like QEMU', async () => {
    const h = await startGuest();
    const c = await client(h, { password: 'secret', encodings: [Encoding.Raw, Encoding.QemuExtendedKeyEvent] });
    await c.waitFor((x) => x.encodingCounts.get(Encoding.QemuExtendedKeyEvent));
  });

  it('stops writing while the client does not read (back-pressure)', async () => {
    const h = await startGuest({ width: 1920, height: 1080, fps: 60 });
    const c = await client(h);
    c.stream.pause();
    for (let i = 0; i < 200; i++) c.requestUpdate(false);
    await new Promise((r) => setTimeout(r, 700));
    const server = h.serverSockets[0] as Socket;
    expect(server.writableNeedDrain).toBe(true);
    // At most the stream's high-water mark plus one strip is queued in the process.
    expect(server.writableLength).toBeLessThan(server.writableHighWaterMark + 70 * 1024);
    c.stream.resume();
    await c.update(false, { x: 0, y: 0, width: 10, height: 10 });
  });
});

describe('input and clipboard', () => {
  it('records key, QEMU key, pointer and cut-text events', async () => {
    const h = await startGuest();
    const c = await client(h);
    c.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    c.pointer(120, 45, 1);
    c.pointer(121, 46, 0);
    c.cutText('héllo wörld');
    await h.recorder.waitFor((r) => r.clientCutText.length === 1);
    expect(h.recorder.hasKeyCombo(['Control_L', 'Alt_L', 'Delete'])).toBe(true);
    expect(h.recorder.hasKeyCombo([0xffe3, 0xffe9, 0xffff])).toBe(true);
    expect(h.recorder.hasKeyCombo(['Control_L', 'Alt_L', 'BackSpace'])).toBe(false);
    expect(h.recorder.keyEvents.map((k) => `${k.name}${k.down ? '↓' : '↑'}`)).toEqual([
      'Control_L↓',
      'Alt_L↓',
      'Delete↓',
      'Delete↑',
      'Alt_L↑',
      'Control_L↑',
    ]);
    expect(h.recorder.pointerEvents).toMatchObject([
      { x: 120, y: 45, buttonMask: 1 },
      { x: 121, y: 46, buttonMask: 0 },
    ]);
    expect(h.recorder.clientCutText).toEqual(['héllo wörld']);
    expect(h.recorder.messages.map((m) => m.message.type)).toContain('ClientCutText');

    h.recorder.clear();
    c.qemuKey('Control_L', 0x1d, true);
    c.qemuKey('Alt_L', 0x38, true);
    c.qemuKey('Delete', 0xd3, true);
    await h.recorder.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
    expect(h.recorder.keyEvents[2]).toMatchObject({ name: 'Delete', keycode: 0xd3, down: true });
  });

  it('shows the last input on screen', async () => {
    const h = await startGuest({ fps: 20 });
    const c = await client(h);
    await c.update(false);
    const before = expectedFrame(LAYOUT, 0);
    expect(sameRegion(c, before, LAYOUT.input)).toBe(true);
    c.key('a', true);
    await h.recorder.waitFor((r) => r.keyEvents.length === 1);
    await c.update(true);
    expect(sameRegion(c, before, LAYOUT.input)).toBe(false);
  });

  it('parses messages split byte by byte and many in one chunk', async () => {
    const h = await startGuest();
    const c = await client(h);
    const messages: ClientMessage[] = [
      { type: 'KeyEvent', down: true, keysym: 0x61 },
      { type: 'ClientCutText', text: 'split', data: new TextEncoder().encode('split') },
      { type: 'KeyEvent', down: false, keysym: 0x61 },
    ];
    const bytes = Buffer.concat(messages.map(encodeClientMessage));
    for (const b of bytes) c.sendRaw(Uint8Array.of(b));
    c.sendRaw(bytes);
    await h.recorder.waitFor((r) => r.messages.length === 6);
    expect(h.recorder.clientCutText).toEqual(['split', 'split']);
  });

  it('sends server cut text to connected clients', async () => {
    const h = await startGuest();
    const c = await client(h);
    await h.recorder.waitFor((r) => r.activeSessions === 1);
    h.recorder.sendServerCutText('from the guest: ü ✓');
    await c.waitFor((x) => x.serverCutText.length === 1);
    expect(c.serverCutText).toEqual(['from the guest: ü ?']);
  });
});

describe('closing', () => {
  it.each<[string, Uint8Array]>([
    ['an unknown message type', Uint8Array.of(42)],
    ['a ClientCutText over 1 MiB', Uint8Array.of(6, 0, 0, 0, 0, 0x10, 0, 1)],
    [
      'a colour-map pixel format',
      encodeClientMessage({ type: 'SetPixelFormat', pixelFormat: { ...PIXEL_FORMAT_BGR233, trueColour: false } }),
    ],
  ])('closes the session on %s', async (_, bytes) => {
    const h = await startGuest();
    const c = await client(h);
    await h.recorder.waitFor((r) => r.activeSessions === 1);
    c.sendRaw(bytes);
    await c.closed;
    await h.sessions[0]?.closed;
    expect(h.recorder.activeSessions).toBe(0);
  });

  it('close() ends the session and resolves closed', async () => {
    const h = await startGuest();
    const c = await client(h);
    h.sessions[0]?.close();
    await h.sessions[0]?.closed;
    await c.closed;
  });
});

describe('transport', () => {
  it('serves a WebSocket stream, as behind vncwebsocket', async () => {
    const recorder = new RfbRecorder();
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const sessions: RfbSessionHandle[] = [];
    wss.on('connection', (ws) => {
      sessions.push(serveRfb(createWebSocketStream(ws), { name: 'ws-vm', vmid: 5, password: 'pw', recorder }));
    });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`, 'binary');
      // Wrap at once: messages that arrive before a stream (or 'message' listener) exists are lost.
      const c = await RfbTestClient.connect(createWebSocketStream(ws), { password: 'pw' });
      expect(ws.protocol).toBe('binary');
      expect(c.desktopName).toBe('ws-vm');
      await c.update(false);
      expect(c.regionIs(LAYOUT.marker, SIM_COLOURS.marker)).toBe(true);
      c.keyCombo(['Control_L', 'Alt_L', 'Delete']);
      await recorder.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
      c.close();
      await sessions[0]?.closed;
      expect(recorder.activeSessions).toBe(0);
    } finally {
      for (const client of wss.clients) client.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
});
