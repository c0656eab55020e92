// Child process of the relay benchmark: the real Nexus app (SQLite in a temp dir), so its CPU
// and memory can be read on their own. Consoles of one synthetic server go to the plain
// WebSocket source (no TLS); every other server is a registered Proxmox (pve-sim, TLS).
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config/config';
import { migrate, openDatabase } from '../server/src/db/database';
import { newId } from '../server/src/lib/ids';
import { createLogger } from '../server/src/lib/logger';
import { SYSTEM_CONTEXT } from '../server/src/modules/audit/audit.service';
import type { UpstreamGrant } from '../server/src/modules/consoles/console-relay';
import type { ConsoleUpstream } from '../server/src/modules/consoles/console-upstream';
import type { UpstreamSpec } from '../server/src/modules/consoles/relay-protocol';
import { BLASTER_PASSWORD } from './rfb-blaster';
import { isTermVmid } from './term-bench';

const source = process.env.BENCH_SOURCE_WS ?? '';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-'));
const result = loadConfig({
  NEXUS_LOG_LEVEL: 'warn',
  NEXUS_MASTER_KEY: 'b'.repeat(64),
  NEXUS_DATA_DIR: dir,
  NEXUS_PUBLIC_URL: 'http://localhost:8080',
  // One bench user on one loopback address stands in for many: no per-user or per-address caps.
  NEXUS_CONSOLE_PENDING_TICKETS: '100000',
  NEXUS_CONSOLE_TICKETS_PER_MINUTE: '100000',
  NEXUS_MAX_CONNECTIONS_PER_IP: '0',
  // BENCH_RELAY_WORKERS: relays in that many worker processes (default none: the figures of one
  // process, comparable with earlier runs).
  NEXUS_RELAY_WORKERS: process.env.BENCH_RELAY_WORKERS ?? '0',
});
if (!result.ok) throw new Error(result.errors.join('; '));
const database = openDatabase(result.config.database);
await migrate(database);
const plainServerId = newId();
/** 128 nodes × 90 consoles: room for 11,520 consoles of the plain server. */
const BENCH_NODES = 128;
/** A plain WebSocket to the source for one guest id (vncwebsocket without TLS). */
const sourceSocket =
  (vmid: number): UpstreamGrant['connect'] =>
  (attach) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${source}/${vmid}`, ['binary'], {
        perMessageDeflate: false,
        maxPayload: 4 * 1024 * 1024,
      });
      attach(ws);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
/** The same socket as a relay worker opens it. */
const sourceSpec = (vmid: number): UpstreamSpec => ({ kind: 'url', url: `${source}/${vmid}` });

/** Consoles of the plain server go to the WebSocket source; the rest to Proxmox as usual. The
 * terminal guest ids (bench/term-bench.ts) are containers whose termproxy is the source too. */
const benchUpstream = (real: ConsoleUpstream): ConsoleUpstream => ({
  // Spread over nodes like a cluster would: Nexus allows 90 consoles per node (Proxmox has 100
  // VNC ports), so the ramp's thousands of sessions and the idle consoles need many nodes.
  locate: async (tenantId, serverId, vmid) =>
    serverId === plainServerId
      ? { node: `node${vmid % BENCH_NODES}`, type: isTermVmid(vmid) ? 'lxc' : 'qemu', name: `bench ${vmid}` }
      : real.locate(tenantId, serverId, vmid),
  grant: async (target, signal) => {
    if (target.serverId !== plainServerId) return real.grant(target, signal);
    return { password: BLASTER_PASSWORD, connect: sourceSocket(target.vmid), spec: sourceSpec(target.vmid) };
  },
  termGrant: async (target, serial, signal) => {
    if (target.serverId !== plainServerId) {
      if (!real.termGrant) throw new Error('no termGrant');
      return real.termGrant(target, serial, signal);
    }
    return {
      password: 'bench@pam:PVEVNC:bench-ticket',
      connect: sourceSocket(target.vmid),
      spec: sourceSpec(target.vmid),
    };
  },
  guestStatus: async (target) => (target.serverId === plainServerId ? 'running' : real.guestStatus(target)),
});
const nexus = await createApp(result.config, {
  database,
  logger: createLogger('warn'),
  webDir: null,
  consoleUpstream: benchUpstream,
});
const consoles = nexus.services.consoles;
await nexus.app.listen({ port: 0, host: '127.0.0.1' });
const address = nexus.app.server.address();
if (!address || typeof address === 'string') throw new Error('no address');

const email = 'bench@example.test';
const password = 'bench password 1234';
await nexus.services.auth.createUser(SYSTEM_CONTEXT, { email, password, globalRole: 'admin' }, 'user.created');

process.stdout.write(
  `${JSON.stringify({
    url: `http://127.0.0.1:${address.port}`,
    origin: result.config.allowedOrigins[0],
    email,
    password,
    plainServerId,
    pid: process.pid,
    workerPids: consoles.relayWorkerPids,
  })}\n`,
);

const stop = async () => {
  setTimeout(() => process.exit(0), 2000).unref();
  await nexus.close();
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
// Commands on stdin, one answer line each on stdout: `gc`, a full collection (the benchmark
// measures what stays, not garbage), answered with the memory after it; `prof start` and
// `prof stop <file>`, a CPU profile of just the window measured (BENCH_CPU_PROF); `relay
// passthrough|reassemble`, how consoles opened next take Proxmox's frames (relay tuning).
const inspector = new Session();
inspector.connect();
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, arg, file] = line.trim().split(' ');
  if (command === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, live: consoles.liveCount })}\n`,
    );
  } else if (command === 'relay' && (arg === 'passthrough' || arg === 'reassemble')) {
    // Consoles opened from now on forward Proxmox's frames read by read, or reassembled by ws.
    consoles.tuning.relay = { ...consoles.tuning.relay, passThrough: arg === 'passthrough' };
    process.stdout.write(`relay ${arg}\n`);
  } else if (command === 'prof' && arg === 'start') {
    void inspector
      .post('Profiler.enable')
      .then(() => inspector.post('Profiler.start'))
      .then(() => process.stdout.write('profiling\n'));
  } else if (command === 'prof' && arg === 'stop' && file) {
    void inspector.post('Profiler.stop').then(({ profile }) => {
      fs.writeFileSync(file, JSON.stringify(profile));
      process.stdout.write('profiled\n');
    });
  }
});
process.stdin.resume();
