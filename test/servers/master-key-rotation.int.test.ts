// Master key rotation while the health scheduler runs: no decrypt ever fails, in key file mode
// (the running server re-reads the file) and with NEXUS_MASTER_KEY (the real CLI, then restarts).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFilePath, readKeyFile } from '../../server/src/lib/crypto/master-keyring';
import { rotateMasterKey } from '../../server/src/modules/servers/master-key-rotation';
import { startTestApp, TEST_MASTER_KEY, type TestApp } from '../helpers/app';
import { TEST_DIALECT } from '../helpers/db';
import { makeTenant, makeUser } from '../helpers/factories';
import { eventually, type Kit, registerSim, simAt, sleep, startKit } from './server-kit';

const run = promisify(execFile);
const HEALTH = { tickMs: 30, intervalMs: 150 };
const NEW_KEY = 'b'.repeat(64);

async function allOnline(t: TestApp, client: Kit['root']['client'], tenantId: string, n: number) {
  await eventually(async () => {
    const list = (await client.get(`/api/tenants/${tenantId}/servers`)).body.servers as any[];
    return list.length === n && list.every((s) => s.status === 'online');
  }, 5000);
  return t;
}

function decryptFailures(t: TestApp): number {
  return (
    t.nexus.services.serversModule.health.stats.credentialErrors +
    t.logs.filter((l) => /cannot decrypt|cannot unwrap/.test(l)).length
  );
}

describe(`servers: master key rotation in key file mode (${TEST_DIALECT})`, () => {
  let k: Kit;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-keyfile-'));
    k = await startKit({
      sim: { servers: 3, vms: 1 },
      app: {
        env: { NEXUS_MASTER_KEY: '', NEXUS_DATA_DIR: dataDir },
        background: true,
        deps: { servers: { health: HEALTH } },
      },
    });
    for (let i = 0; i < 3; i++) await registerSim(k.manager.client, k.tenantId, simAt(k, i));
  });
  afterAll(async () => {
    await k?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the key file with mode 0600 on first start', () => {
    const file = keyFilePath(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readKeyFile(file)).toHaveLength(1);
  });

  it('rotates while checks keep decrypting, even with cold caches', async () => {
    const { t } = k;
    await allOnline(t, k.root.client, k.tenantId, 3);
    const vault = t.nexus.services.serversModule.vault;
    const oldKey = readKeyFile(keyFilePath(dataDir))[0];
    // Force unwraps throughout: every check must find the master key its data key names.
    const cold = setInterval(() => vault.forgetCachedKeys(), 10);
    try {
      await sleep(200);
      const result = await rotateMasterKey({ config: { ...t.config, masterKey: undefined }, database: t.database });
      expect(result).toMatchObject({ rewrapped: 1, generated: true, keyFile: keyFilePath(dataDir) });
      await sleep(500);
    } finally {
      clearInterval(cold);
    }
    const keys = readKeyFile(keyFilePath(dataDir));
    expect(keys).toHaveLength(1);
    expect(keys[0]?.equals(oldKey as Buffer)).toBe(false);
    expect(fs.statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    const row = await t.database.db.selectFrom('tenant_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.wrapped_key.split('.')[1]).toBe(row.key_id);

    vault.forgetCachedKeys();
    const test = await k.manager.client.post(`/api/tenants/${k.tenantId}/servers/${(await firstServer(k)).id}/test`);
    expect(test.body.ok).toBe(true);
    await allOnline(t, k.root.client, k.tenantId, 3);
    expect(decryptFailures(t)).toBe(0);
  });
});

async function firstServer(k: Kit) {
  return (await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers`)).body.servers[0];
}

describe(`servers: master key rotation with NEXUS_MASTER_KEY and the CLI (${TEST_DIALECT})`, () => {
  let k: Kit;

  beforeAll(async () => {
    k = await startKit({
      sim: { servers: 2, vms: 1 },
      app: { background: true, deps: { servers: { health: HEALTH } } },
    });
    for (let i = 0; i < 2; i++) await registerSim(k.manager.client, k.tenantId, simAt(k, i));
  });
  afterAll(async () => k?.close());

  it('re-wraps every data key in one run of the CLI while the scheduler runs; restarts converge', async () => {
    const { t } = k;
    await allOnline(t, k.root.client, k.tenantId, 2);
    // A second tenant with a server, so there is more than one data key.
    const other = (await makeTenant(t, k.root)).id;
    await registerSim(k.root.client, other, simAt(k, 0), { tlsMode: 'insecure', tlsFingerprint: null });

    const dbEnv: Record<string, string> =
      t.testDb.config.kind === 'postgres'
        ? { DATABASE_URL: t.testDb.config.url, NEXUS_DATA_DIR: os.tmpdir() }
        : { NEXUS_DATA_DIR: path.dirname(t.testDb.config.file) };
    const { stdout } = await run('npx', ['tsx', 'server/src/cli.ts', 'rotate-master-key'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, ...dbEnv, NEXUS_MASTER_KEY: TEST_MASTER_KEY, NEXUS_NEW_MASTER_KEY: NEW_KEY },
    });
    expect(stdout).toMatch(/re-wrapped 2 tenant data key\(s\)/);
    expect(stdout).not.toContain(NEW_KEY);
    const keyIds = await t.database.db.selectFrom('tenant_keys').select('key_id').execute();
    expect(new Set(keyIds.map((r) => r.key_id)).size).toBe(1);

    // The running server still holds its data keys: checks and edits go on.
    await sleep(400);
    await allOnline(t, k.root.client, k.tenantId, 2);
    const edited = await k.manager.client.patch(`/api/tenants/${k.tenantId}/servers/${(await firstServer(k)).id}`, {
      apiToken: simAt(k, 0).token,
    });
    expect(edited.status).toBe(200);
    // A tenant created now by this (old-key) instance gets a data key wrapped by the old key…
    const late = (await makeTenant(t, k.root)).id;
    const lateServer = await registerSim(k.root.client, late, simAt(k, 1));
    expect(decryptFailures(t)).toBe(0);

    // …which a restarted instance with the new key and the old one as previous re-wraps.
    const restarted = await startTestApp({
      testDb: t.testDb,
      env: { NEXUS_MASTER_KEY: NEW_KEY, NEXUS_MASTER_KEY_PREVIOUS: TEST_MASTER_KEY },
    });
    try {
      const warm = await restarted.nexus.services.serversModule.vault.warm();
      expect(warm).toEqual({ tenants: 3, failed: [] });
      const ids = await t.database.db.selectFrom('tenant_keys').select('key_id').execute();
      expect(new Set(ids.map((r) => r.key_id)).size).toBe(1);
    } finally {
      await restarted.close();
    }
    const fresh = await startTestApp({ testDb: t.testDb, env: { NEXUS_MASTER_KEY: NEW_KEY } });
    try {
      const admin = await makeUser(fresh, { globalRole: 'admin' });
      for (const [tenantId, serverId] of [
        [k.tenantId, (await firstServer(k)).id],
        [late, lateServer.id],
      ]) {
        const res = await admin.client.post(`/api/tenants/${tenantId}/servers/${serverId}/test`);
        expect(res.body.ok, JSON.stringify(res.body.error)).toBe(true);
      }
      expect(decryptFailures(fresh)).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 30_000);
});
