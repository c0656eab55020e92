// Against a real VNC server: pve-sim bridges a guest's console to QEMU (`-vnc …,password=on`,
// password set through QMP), and a raw RFB client gets QEMU's framebuffer through Nexus.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Encoding } from '@common/rfb/rfb-messages';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { type ConsoleEnv, openConsole, startConsoleEnv } from './console-kit';

const QEMU = 'qemu-system-x86_64';
const qemuPath = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, QEMU))
  .find((path) => existsSync(path));
if (!qemuPath) console.warn(`Skipping the QEMU console test: ${QEMU} not found (Debian package qemu-system-x86).`);

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

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

/** One QMP command after the capabilities handshake. */
async function qmp(path: string, command: object): Promise<void> {
  const socket = connect(path);
  let buffer = '';
  const replies: Record<string, unknown>[] = [];
  socket.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
      buffer = buffer.slice(nl + 1);
      if (!('event' in message)) replies.push(message);
    }
  });
  const reply = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (replies.length < n) {
      if (Date.now() > deadline) throw new Error('QMP did not answer');
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = replies[n - 1] as Record<string, unknown>;
    if ('error' in last) throw new Error(`QMP failed: ${JSON.stringify(last.error)}`);
  };
  try {
    await once(socket, 'connect');
    await reply(1); // greeting
    socket.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
    await reply(2);
    socket.write(`${JSON.stringify(command)}\n`);
    await reply(3);
  } finally {
    socket.destroy();
  }
}

async function startQemu(password: string): Promise<{ port: number; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-qemu-'));
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
  const deadline = Date.now() + 10_000;
  while (!existsSync(qmpPath)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`QEMU did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await qmp(qmpPath, { execute: 'change-vnc-password', arguments: { password } });
  return { port: 5900 + display, child };
}

/** QEMU behind pve-sim's guest 200, and Nexus in front. */
async function startQemuEnv(): Promise<ConsoleEnv> {
  const qemu = await startQemu('qemu-pw');
  const env: ConsoleEnv = await startConsoleEnv({
    sim: {
      scenario: {
        seed: 1,
        clusters: [
          {
            name: null,
            nodes: [{ name: 'pve1' }],
            guests: [
              {
                vmid: 200,
                type: 'qemu',
                node: 'pve1',
                name: 'real-qemu',
                status: 'running',
                bridge: { host: '127.0.0.1', port: qemu.port, password: 'qemu-pw' },
              },
            ],
          },
        ],
      } as never,
    },
  });
  cleanups.push(() => env.close());
  return env;
}

describe(`console to a real QEMU (${TEST_DIALECT})`, () => {
  it.skipIf(!qemuPath)(
    'shows QEMU’s framebuffer through Nexus and pve-sim, and delivers keys',
    async () => {
      const env = await startQemuEnv();
      const { rfb } = await openConsole(env, env.admin.client, 200, {
        encodings: [Encoding.Raw, Encoding.QemuExtendedKeyEvent],
        timeoutMs: 15_000,
      });
      expect(rfb.desktopName).toBe('real-qemu');
      expect(rfb.width).toBeGreaterThanOrEqual(320);
      // QEMU itself acknowledges the extended key event pseudo-encoding, through both relays.
      await rfb.waitFor((c) => c.encodingCounts.get(Encoding.QemuExtendedKeyEvent));
      const update = await rfb.update(false);
      const covered = update.rects.reduce((sum, r) => sum + (r.encoding === Encoding.Raw ? r.width * r.height : 0), 0);
      expect(covered).toBeGreaterThanOrEqual(rfb.width * rfb.height);
      // A paused VM shows QEMU's "Guest has not initialized the display": more than one colour.
      expect(new Set(rfb.framebuffer).size).toBeGreaterThan(1);
      const recorder = env.simServer.guest(200)?.recorder;
      rfb.qemuKey('Control_L', 0x1d, true);
      rfb.qemuKey('Alt_L', 0x38, true);
      rfb.qemuKey('Delete', 0xd3, true);
      await recorder?.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
      rfb.close();
    },
    60_000,
  );

  it.skipIf(!qemuPath)(
    're-attaches a dropped console to the same QEMU session whose zlib streams are under way',
    async () => {
      const env = await startQemuEnv();
      const vncproxies = () => env.simServer.requestLog.filter((r) => r.path.endsWith('/qemu/200/vncproxy')).length;
      // The first browser takes ZRLE (QEMU's compressor now has state); this client cannot decode
      // it, so it drops the connection at the first ZRLE rectangle — no close frame, as a network
      // failure would.
      const first = await openConsole(env, env.admin.client, 200, {
        encodings: [Encoding.ZRLE, Encoding.Raw],
        timeoutMs: 15_000,
      });
      first.rfb.requestUpdate(false);
      await first.socket.closed;
      expect(first.rfb.error?.message).toMatch(/encoding/i);
      const proxies = vncproxies();
      // The next browser of the same user asks for ZRLE too: the relay offers QEMU no zlib
      // encoding on a resumed console, drops what QEMU still encodes with it, and asks for a
      // whole picture — which arrives decodable.
      const again = await openConsole(env, env.admin.client, 200, {
        encodings: [Encoding.ZRLE, Encoding.Raw, Encoding.QemuExtendedKeyEvent],
        timeoutMs: 15_000,
      });
      expect(again.rfb.desktopName).toBe('real-qemu');
      await again.rfb.waitFor((c) => c.pixelUpdates > 0 && c.lastUpdate !== undefined);
      const update = await again.rfb.update(false);
      expect(update.rects.every((r) => r.encoding !== Encoding.ZRLE)).toBe(true);
      expect(new Set(again.rfb.framebuffer).size).toBeGreaterThan(1);
      expect(again.rfb.error).toBeUndefined();
      expect(vncproxies()).toBe(proxies);
      again.rfb.close();
    },
    60_000,
  );
});
