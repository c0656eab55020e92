// Child process of the fan-out benchmark: the real Nexus app (SQLite in a temp dir) with the
// simulated servers registered in one tenant. Prints how to reach it as one JSON line; on stdin
// `clear` empties the inventory cache (a cold start) and answers `ok`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createApp } from '../server/src/app';
import { loadConfig } from '../server/src/config/config';
import { migrate, openDatabase } from '../server/src/db/database';
import { createLogger } from '../server/src/lib/logger';
import { SYSTEM_CONTEXT } from '../server/src/modules/audit/audit.service';

interface SimInfo {
  name: string;
  host: string;
  port: number;
  fingerprint: string;
  token: string;
}

const sims = JSON.parse(process.env.BENCH_SIMS ?? '[]') as SimInfo[];
const deadlineMs = Number(process.env.BENCH_DEADLINE_MS ?? 4000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-fanout-'));
const result = loadConfig({
  NEXUS_LOG_LEVEL: 'warn',
  NEXUS_MASTER_KEY: 'c'.repeat(64),
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
const nexus = await createApp(result.config, { database, logger: createLogger('warn'), webDir: null });
await nexus.app.listen({ port: 0, host: '127.0.0.1' });
const address = nexus.app.server.address();
if (!address || typeof address === 'string') throw new Error('no address');
const url = `http://127.0.0.1:${address.port}`;

const email = 'bench@example.test';
const password = 'bench password 1234';
await nexus.services.auth.createUser(SYSTEM_CONTEXT, { email, password, globalRole: 'admin' }, 'user.created');

// Set up through the API, as an operator would.
const login = await fetch(`${url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password }),
});
const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
const { csrfToken } = (await login.json()) as { csrfToken: string };
const post = async (p: string, body: unknown) => {
  const res = await fetch(url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
};
const tenant = await post('/api/tenants', { name: 'Fan-out', slug: 'fan-out' });
await fetch(`${url}/api/tenants/${tenant.id}/settings`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
  body: JSON.stringify({ maxServers: Math.max(50, sims.length) }),
});
for (const sim of sims) {
  await post(`/api/tenants/${tenant.id}/servers`, {
    name: sim.name,
    host: sim.host,
    port: sim.port,
    apiToken: sim.token,
    tlsMode: 'pinned',
    tlsFingerprint: sim.fingerprint,
    connectionTimeoutMs: deadlineMs,
  });
}

process.stdout.write(`${JSON.stringify({ url, cookie, tenantId: tenant.id, pid: process.pid })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'clear') {
    nexus.services.guestLocator.cache.clear();
    process.stdout.write('ok\n');
  }
});
process.stdin.on('end', () => {
  void nexus.close().then(() => process.exit(0));
});
