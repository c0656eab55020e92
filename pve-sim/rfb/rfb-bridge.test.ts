import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Encoding } from '@common/rfb/rfb-messages';
import { afterEach, describe, expect, it } from 'vitest';
import { renderSimFrame, simFrameLayout } from './guest-frame';
import type { BridgeTarget } from './rfb-bridge';
import { RfbRecorder } from './rfb-recorder';
import { type RfbGuestOptions, serveRfb } from './rfb-server';
import { RfbHandshakeError, RfbTestClient } from './rfb-test-client';

const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  const server: Server = createServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  return (server.address() as { port: number }).port;
}

async function guest(options: Omit<RfbGuestOptions, 'recorder'>): Promise<{ port: number; recorder: RfbRecorder }> {
  const recorder = new RfbRecorder();
  const port = await listen((socket) => serveRfb(socket, { ...options, recorder }));
  return { port, recorder };
}

function clientSocket(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  return socket;
}

describe('bridge to another RFB server', () => {
  async function bridged(bridge: Partial<BridgeTarget> = {}) {
    const inner = await guest({ name: 'inner', vmid: 7, password: 'inner-pw', width: 800, height: 600, fps: 20 });
    const outer = await guest({
      name: 'outer «vm»',
      vmid: 100,
      password: 'outer-pw',
      bridge: { host: '127.0.0.1', port: inner.port, password: 'inner-pw', ...bridge },
    });
    return { inner, outer };
  }

  it('authenticates both sides, renames ServerInit and relays the real picture and input', async () => {
    const { inner, outer } = await bridged();
    const c = await RfbTestClient.connect(clientSocket(outer.port), { password: 'outer-pw' });
    expect(c.serverInit).toMatchObject({ name: 'outer «vm»', width: 800, height: 600 });
    await c.update(false);
    const layout = simFrameLayout(800, 600);
    const title = new Uint32Array(layout.title.width * layout.title.height);
    renderSimFrame({ frame: 0, fps: 20, name: 'inner', vmid: 7, inputLine: '' }, layout, layout.title, title);
    for (let i = 0; i < title.length; i += 7) {
      const x = layout.title.x + (i % layout.title.width);
      const y = layout.title.y + Math.floor(i / layout.title.width);
      expect(c.pixel(x, y)).toBe(title[i]);
    }
    await c.update(true);

    c.setEncodings([Encoding.Raw, Encoding.ExtendedMouseButtons]);
    c.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    c.cutText('through the bridge');
    for (const recorder of [outer.recorder, inner.recorder]) {
      await recorder.waitFor((r) => r.clientCutText.length === 1);
      expect(recorder.hasKeyCombo(['Control_L', 'Alt_L', 'Delete'])).toBe(true);
    }
    const encodingsSeen = (r: RfbRecorder) =>
      r.messages.flatMap((m) => (m.message.type === 'SetEncodings' ? [m.message.encodings] : []));
    expect(encodingsSeen(outer.recorder)).toEqual([[Encoding.Raw, Encoding.ExtendedMouseButtons]]);
    expect(encodingsSeen(inner.recorder)).toEqual([[Encoding.Raw]]);
  });

  it('reports a wrong upstream password to the client as a security failure', async () => {
    const { outer } = await bridged({ password: 'nope' });
    const error = await RfbTestClient.connect(clientSocket(outer.port), { password: 'outer-pw' }).catch((e) => e);
    expect(error).toBeInstanceOf(RfbHandshakeError);
    expect((error as RfbHandshakeError).reason).toMatch(/rejected authentication: Authentication failed/);
    expect(outer.recorder.authAttempts).toMatchObject([{ ok: false, failure: 'bridge' }]);
  });

  it('reports an unreachable upstream', async () => {
    const closedPort = await listen(() => {});
    await cleanups.pop()?.(); // close it again: nothing listens there now
    const outer = await guest({
      name: 'x',
      vmid: 1,
      password: null,
      bridge: { host: '127.0.0.1', port: closedPort },
    });
    const error = await RfbTestClient.connect(clientSocket(outer.port), {}).catch((e) => e);
    expect((error as RfbHandshakeError).reason).toMatch(/^Guest display unavailable: connection failed/);
  });

  it('checks the client password before anything else', async () => {
    const { outer, inner } = await bridged();
    const error = await RfbTestClient.connect(clientSocket(outer.port), { password: 'inner-pw' }).catch((e) => e);
    expect((error as RfbHandshakeError).reason).toBe('Authentication failed');
    expect(inner.recorder.activeSessions).toBe(0);
  });
});

// ---- QEMU ------------------------------------------------------------------------------------------

const QEMU = 'qemu-system-x86_64';
const qemuPath = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, QEMU))
  .find((path) => existsSync(path));
if (!qemuPath) {
  console.warn(`Skipping the QEMU bridge test: ${QEMU} not found (Debian package qemu-system-x86).`);
}

/** A free TCP port in QEMU's VNC display range (5900 + display). */
async function freeVncDisplay(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const display = 100 + Math.floor(Math.random() * 3000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(5900 + display, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((r) => server.close(r));
      return display;
    }
  }
  throw new Error('no free VNC port');
}

/** Sends QMP commands over a unix socket: greeting, qmp_capabilities, then each command in turn. */
async function qmp(path: string, commands: object[]): Promise<unknown[]> {
  const socket = connect(path);
  const replies: unknown[] = [];
  let buffer = '';
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
    wake?.();
  });
  const nextReply = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const line = lines.shift();
      if (line !== undefined) {
        const message = JSON.parse(line) as Record<string, unknown>;
        if (!('event' in message)) return message;
        continue;
      }
      await new Promise<void>((r) => {
        wake = r;
      });
    }
  };
  try {
    await once(socket, 'connect');
    expect(await nextReply()).toHaveProperty('QMP');
    for (const command of [{ execute: 'qmp_capabilities' }, ...commands]) {
      socket.write(`${JSON.stringify(command)}\n`);
      const reply = await nextReply();
      if ('error' in reply) throw new Error(`QMP ${JSON.stringify(command)} failed: ${JSON.stringify(reply.error)}`);
      replies.push(reply.return);
    }
    return replies;
  } finally {
    socket.destroy();
  }
}

async function waitForPath(path: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (child.exitCode !== null) throw new Error(`QEMU exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`QEMU did not create ${path} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('bridge to QEMU', () => {
  it.skipIf(!qemuPath)(
    `relays a real QEMU framebuffer (needs ${QEMU}; skipped when it is not installed)`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pve-sim-qemu-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const qmpPath = join(dir, 'qmp.sock');
      const display = await freeVncDisplay();
      let stderr = '';
      const child = spawn(
        qemuPath as string,
        [
          ...['-nodefaults', '-no-user-config', '-display', 'none', '-vga', 'std', '-m', '64', '-S'],
          ...['-vnc', `127.0.0.1:${display},password=on`, '-qmp', `unix:${qmpPath},server=on,wait=off`],
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      cleanups.push(async () => {
        if (child.exitCode === null) {
          child.kill('SIGKILL');
          await once(child, 'exit');
        }
      });
      try {
        await waitForPath(qmpPath, child, 10_000);
        await qmp(qmpPath, [{ execute: 'change-vnc-password', arguments: { password: 'qemu-pw' } }]);
      } catch (err) {
        throw new Error(`${(err as Error).message}\nQEMU stderr: ${stderr}`);
      }

      const recorder = new RfbRecorder();
      const port = await listen((socket) =>
        serveRfb(socket, {
          name: 'real-qemu',
          vmid: 900,
          password: 'sim-pw',
          recorder,
          bridge: { host: '127.0.0.1', port: 5900 + display, password: 'qemu-pw' },
        }),
      );
      const c = await RfbTestClient.connect(clientSocket(port), {
        password: 'sim-pw',
        encodings: [Encoding.Raw, Encoding.QemuExtendedKeyEvent],
        timeoutMs: 10_000,
      });
      expect(c.serverInit.name).toBe('real-qemu');
      expect(c.serverInit.width).toBeGreaterThanOrEqual(320);
      expect(c.serverInit.height).toBeGreaterThanOrEqual(200);
      // QEMU itself acknowledges the extended key event pseudo-encoding, through the bridge.
      await c.waitFor((x) => x.encodingCounts.get(Encoding.QemuExtendedKeyEvent));
      const update = await c.update(false);
      const covered = update.rects.reduce((sum, r) => sum + (r.encoding === Encoding.Raw ? r.width * r.height : 0), 0);
      expect(covered).toBeGreaterThanOrEqual(c.width * c.height);
      // A paused VM shows QEMU's "Guest has not initialized the display" text: more than one colour.
      expect(new Set(c.framebuffer).size).toBeGreaterThan(1);

      c.qemuKey('Control_L', 0x1d, true);
      c.qemuKey('Alt_L', 0x38, true);
      c.qemuKey('Delete', 0xd3, true);
      await recorder.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
      c.pointer(10, 10, 0);
      await c.update(false, { x: 0, y: 0, width: 16, height: 16 });
      expect(c.stream.destroyed).toBe(false);

      // A wrong QEMU password is reported as QEMU's own failure reason.
      const badPort = await listen((socket) =>
        serveRfb(socket, {
          name: 'x',
          vmid: 1,
          password: null,
          recorder: new RfbRecorder(),
          bridge: { host: '127.0.0.1', port: 5900 + display, password: 'wrong' },
        }),
      );
      const error = await RfbTestClient.connect(clientSocket(badPort), {}).catch((e) => e);
      expect((error as RfbHandshakeError).reason).toMatch(/rejected authentication/);
    },
    60_000,
  );
});
