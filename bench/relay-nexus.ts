// Child process of the relay benchmark: the real Nexus app (SQLite in a temp dir), so its CPU
// and memory can be read on their own. Consoles of one synthetic server go to the plain
// WebSocket source (no TLS); every other server is a registered Proxmox (pve-sim, TLS).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config/config';
import { migrate, openDatabase } from '../server/src/db/database';
import { newId } from '../server/src/lib/ids';
import { createLogger } from '../server/src/lib/logger';
import { SYSTEM_CONTEXT } from '../server/src/modules/audit/audit.service';
import type { ConsoleUpstream } from '../server/src/modules/consoles/console-upstream';
import { BLASTER_PASSWORD } from './rfb-blaster';

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
});
if (!result.ok) throw new Error(result.errors.join('; '));
const database = openDatabase(result.config.database);
await migrate(database);
const nexus = await createApp(result.config, {
  database,
  logger: createLogger('warn'),
  webDir: null,
});
await nexus.app.listen({ port: 0, host: '127.0.0.1' });
const address = nexus.app.server.address();
if (!address || typeof address === 'string') throw new Error('no address');

const email = 'bench@example.test';
const password = 'bench password 1234';
await nexus.services.auth.createUser(SYSTEM_CONTEXT, { email, password, globalRole: 'admin' }, 'user.created');

const plainServerId = newId();
const consoles = nexus.services.consoles;
const real = consoles.upstream;
const plain: ConsoleUpstream = {
  // Spread over nodes like a cluster would (the per-node cap is 90).
  locate: async (tenantId, serverId, vmid) =>
    serverId === plainServerId
      ? { node: `node${vmid % 8}`, type: 'qemu', name: `bench ${vmid}` }
      : real.locate(tenantId, serverId, vmid),
  grant: async (target, signal) => {
    if (target.serverId !== plainServerId) return real.grant(target, signal);
    return {
      password: BLASTER_PASSWORD,
      connect: (attach) =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`${source}/${target.vmid}`, ['binary'], {
            perMessageDeflate: false,
            maxPayload: 4 * 1024 * 1024,
          });
          attach(ws);
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    };
  },
  guestStatus: async (target) => (target.serverId === plainServerId ? 'running' : real.guestStatus(target)),
};
consoles.upstream = plain;

process.stdout.write(
  `${JSON.stringify({
    url: `http://127.0.0.1:${address.port}`,
    origin: result.config.allowedOrigins[0],
    email,
    password,
    plainServerId,
    pid: process.pid,
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
// `gc` on stdin: a full collection (the benchmark measures what stays, not garbage).
process.stdin.on('data', (chunk: Buffer) => {
  if (chunk.toString().includes('gc')) {
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write('gc done\n');
  }
});
process.stdin.resume();
