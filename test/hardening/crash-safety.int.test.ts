// Crash safety (issue 10): `kill -9` of Nexus while servers are being created and audited, and of
// the master-key rotation, on SQLite and on PostgreSQL. After a restart every object is in its old
// or its new state (every server's token still decrypts), the audit chain verifies, and no
// plaintext secret sits in any file (SQLite file and WAL, key file; PostgreSQL's data directory).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { PG_BIN, type PgCluster, startPgCluster } from '../helpers/pg-cluster';
import { type NexusProcess, runCli, startNexusProcess } from '../helpers/process';
import { registerSecret } from '../helpers/secrets';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };
const OLD_KEY = 'e'.repeat(64);
const NEW_KEY = 'f'.repeat(64);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function* filesUnder(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(p);
    else if (entry.isFile()) yield p;
  }
}

describe.skipIf(TEST_DIALECT === 'postgres' && !PG_BIN)(`crash safety (${TEST_DIALECT})`, () => {
  let pg: PgCluster | null = null;
  let dataDir: string;
  const secrets: string[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-crash-'));
    env = { NEXUS_ADMIN_EMAIL: ADMIN.email, NEXUS_ADMIN_PASSWORD: ADMIN.password };
    if (TEST_DIALECT === 'postgres') {
      pg = await startPgCluster();
      env = { ...env, DATABASE_URL: pg.url, NEXUS_MASTER_KEY: OLD_KEY };
    }
  }, 60_000);

  afterAll(async () => {
    await pg?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string> = {}): Promise<{ proc: NexusProcess; api: ApiClient }> {
    const proc = await startNexusProcess({ ...env, ...extra }, { dataDir });
    const api = new ApiClient(proc.url);
    const res = await api.login(ADMIN.email, ADMIN.password);
    if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
    return { proc, api };
  }

  /** Every server decrypts (a test call fails to connect, never "credentials unreadable"). */
  async function expectConsistent(api: ApiClient): Promise<number> {
    const tenants = (await api.get('/api/tenants')).body.tenants as { id: string }[];
    let servers = 0;
    for (const tenant of tenants) {
      const list = (await api.get(`/api/tenants/${tenant.id}/servers`)).body.servers as { id: string; name: string }[];
      const created = await api.get(`/api/tenants/${tenant.id}/audit?action=server.created&limit=500`);
      expect(created.body.events.length, `audit rows for ${tenant.id}`).toBe(list.length);
      for (const s of list) {
        const res = await api.post(`/api/tenants/${tenant.id}/servers/${s.id}/test`);
        expect(res.body?.error?.code ?? res.body?.ok, `${s.name}: ${res.text.slice(0, 200)}`).not.toBe(
          'server.credentials_unreadable',
        );
        expect(res.status).not.toBe(500);
        servers++;
      }
    }
    const verify = await api.get('/api/audit/verify');
    expect(verify.body, JSON.stringify(verify.body)).toMatchObject({ ok: true });
    return servers;
  }

  it('survives kill -9 during server creation and audit writes', async () => {
    const { proc, api } = await start();
    const tenants: string[] = [];
    for (let i = 0; i < 3; i++) {
      tenants.push((await api.post('/api/tenants', { name: `Crash ${i}`, slug: `crash-${i}-${Date.now()}` })).body.id);
    }
    // Writes in flight when the process dies.
    let n = 0;
    const flood = Array.from({ length: 6 }, async () => {
      for (;;) {
        const i = n++;
        const secret = randomUUID();
        secrets.push(secret);
        registerSecret(secret, 'PVE token secret');
        const tenant = tenants[i % tenants.length] ?? '';
        const res = await api
          .post(`/api/tenants/${tenant}/servers`, {
            name: `srv-${i}`,
            host: '127.0.0.1',
            port: 20_000 + i,
            apiToken: `root@pam!crash${i}=${secret}`,
            tlsMode: 'insecure',
            connectionTimeoutMs: 1000,
          })
          .catch(() => null);
        if (!res) return;
        await api.put(`/api/tenants/${tenant}/settings`, { maxServers: 40 + (i % 10) }).catch(() => null);
      }
    });
    await sleep(1500);
    await proc.stop('SIGKILL');
    await Promise.all(flood);
    expect(n).toBeGreaterThan(5);

    const again = await start();
    try {
      expect(await expectConsistent(again.api)).toBeGreaterThan(0);
    } finally {
      await again.proc.stop();
    }
  }, 120_000);

  it('survives kill -9 of the master-key rotation at any point', async () => {
    const delays = [150, 400, 700, 1200];
    let keyEnv: Record<string, string> = {};
    for (const delay of delays) {
      const rotateEnv: Record<string, string> =
        TEST_DIALECT === 'postgres'
          ? { ...env, NEXUS_MASTER_KEY: OLD_KEY, NEXUS_NEW_MASTER_KEY: NEW_KEY }
          : { NEXUS_DATA_DIR: dataDir };
      const run = runCli('rotate-master-key', { ...rotateEnv, NEXUS_LOG_LEVEL: 'warn' });
      await sleep(delay);
      run.child.kill('SIGKILL');
      await run.done;
      // Environment mode: restart with the new key and the old one as previous, as documented.
      if (TEST_DIALECT === 'postgres') keyEnv = { NEXUS_MASTER_KEY: NEW_KEY, NEXUS_MASTER_KEY_PREVIOUS: OLD_KEY };
      const { proc, api } = await start(keyEnv);
      try {
        await expectConsistent(api);
      } finally {
        await proc.stop();
      }
    }
    // A rotation that runs to the end leaves a working server too.
    const finish = runCli('rotate-master-key', {
      ...(TEST_DIALECT === 'postgres'
        ? { ...env, NEXUS_MASTER_KEY: NEW_KEY, NEXUS_MASTER_KEY_PREVIOUS: OLD_KEY, NEXUS_NEW_MASTER_KEY: OLD_KEY }
        : { NEXUS_DATA_DIR: dataDir }),
    });
    expect((await finish.done).code).toBe(0);
    const { proc, api } = await start(
      TEST_DIALECT === 'postgres' ? { NEXUS_MASTER_KEY: OLD_KEY, NEXUS_MASTER_KEY_PREVIOUS: NEW_KEY } : {},
    );
    try {
      await expectConsistent(api);
    } finally {
      await proc.stop();
    }
  }, 180_000);

  it('leaves no plaintext token secret in any file', () => {
    expect(secrets.length).toBeGreaterThan(0);
    const dirs = pg ? [dataDir, pg.dataDir] : [dataDir];
    const found: string[] = [];
    for (const dir of dirs) {
      for (const file of filesUnder(dir)) {
        const content = fs.readFileSync(file);
        for (const secret of secrets) if (content.includes(secret)) found.push(`${secret} in ${file}`);
      }
    }
    expect(found).toEqual([]);
  });
});
