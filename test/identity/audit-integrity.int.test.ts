// The audit chain is keyed (issue 14, finding 10): someone with database access but without the
// master key who rewrites a row and re-chains everything after it with plain SHA-256 is caught
// at that row; rows from before keying stay verifiable (legacy SHA-256) and are protected by the
// first keyed row; a master key rotation keeps older rows verifiable; verify and the CLI say
// which key each stretch of the chain uses.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/src/db/database';
import { MasterKeyring } from '../../server/src/lib/crypto/master-keyring';
import { AuditService } from '../../server/src/modules/audit/audit.service';
import { deriveAuditKey } from '../../server/src/modules/audit/audit-chain';
import { AuditKeyring } from '../../server/src/modules/audit/audit-keys';
import { rotateMasterKey } from '../../server/src/modules/servers/master-key-rotation';
import { startTestApp, TEST_MASTER_KEY, type TestApp } from '../helpers/app';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { makeTenant, makeUser, type TestUser } from '../helpers/factories';

const run = promisify(execFile);
const NEW_KEY = 'c'.repeat(64);
const keyIdFor = (hex: string) => deriveAuditKey(Buffer.from(hex, 'hex')).id;

type Row = {
  seq: number;
  id: string;
  tenant_id: string | null;
  actor_user_id: string | null;
  actor_label: string | null;
  actor_ip: string | null;
  user_agent: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: string;
  details: string | null;
  created_at: number | string;
  prev_hash: string;
  hash: string;
};

/** What an attacker with the database but without the key computes: the unkeyed SHA-256 chain. */
function sha256Hash(row: Row): string {
  const columns = [
    row.seq,
    row.id,
    row.tenant_id,
    row.actor_user_id,
    row.actor_label,
    row.actor_ip,
    row.user_agent,
    row.action,
    row.target_type,
    row.target_id,
    row.result,
    row.details,
    Number(row.created_at),
    row.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(columns)).digest('hex');
}

/** Rewrites row `seq`'s details and re-chains it and every later row (and the head) with SHA-256. */
async function forgeAndRechain(t: TestApp, seq: number, opts: { unkey?: boolean } = {}) {
  const db = t.database.db;
  const rows = (await db.selectFrom('audit_logs').selectAll().orderBy('seq').execute()) as unknown as Row[];
  let prev = rows.find((r) => r.seq === seq - 1)?.hash ?? '0'.repeat(64);
  let last: Row | undefined;
  for (const row of rows.filter((r) => r.seq >= seq)) {
    if (row.seq === seq) row.details = JSON.stringify({ forged: true });
    row.prev_hash = prev;
    row.hash = sha256Hash(row);
    prev = row.hash;
    last = row;
    await db
      .updateTable('audit_logs')
      .set({
        details: row.details,
        prev_hash: row.prev_hash,
        hash: row.hash,
        ...(opts.unkey ? { hash_key_id: null } : {}),
      })
      .where('id', '=', row.id)
      .execute();
  }
  if (last) {
    await db
      .updateTable('kv')
      .set({ value: `${last.seq}:${last.hash}` })
      .where('key', '=', 'audit.head')
      .execute();
  }
}

async function snapshot(t: TestApp) {
  const db = t.database.db;
  return {
    rows: await db.selectFrom('audit_logs').selectAll().orderBy('seq').execute(),
    head: await db.selectFrom('kv').selectAll().where('key', '=', 'audit.head').executeTakeFirstOrThrow(),
  };
}

async function restore(t: TestApp, s: Awaited<ReturnType<typeof snapshot>>) {
  const db = t.database.db;
  await db.deleteFrom('audit_logs').execute();
  for (const row of s.rows) await db.insertInto('audit_logs').values(row).execute();
  await db.updateTable('kv').set({ value: s.head.value }).where('key', '=', 'audit.head').execute();
}

function cliEnv(testDb: TestDatabase, masterKey: string): NodeJS.ProcessEnv {
  const dbEnv =
    testDb.config.kind === 'postgres'
      ? { DATABASE_URL: testDb.config.url, NEXUS_DATA_DIR: '/tmp/nexus-test-data' }
      : { NEXUS_DATA_DIR: path.dirname(testDb.config.file) };
  return { ...process.env, ...dbEnv, NEXUS_MASTER_KEY: masterKey };
}

async function cliVerify(testDb: TestDatabase, masterKey = TEST_MASTER_KEY) {
  try {
    const { stdout } = await run('npx', ['tsx', 'server/src/cli.ts', 'audit-verify'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: cliEnv(testDb, masterKey),
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe(`keyed audit chain (${TEST_DIALECT})`, () => {
  let t: TestApp;
  let root: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    root = await makeUser(t, { globalRole: 'admin' });
    for (let i = 0; i < 3; i++) await makeTenant(t, root);
  });
  afterAll(async () => t?.close());

  it('keys every new row with the HMAC key derived from the master key, and says so', async () => {
    const verdict = await root.client.get('/api/audit/verify');
    expect(verdict.body).toMatchObject({ ok: true });
    expect(verdict.body.segments).toEqual([
      { fromSeq: 1, toSeq: verdict.body.checked, algorithm: 'hmac-sha256', keyId: keyIdFor(TEST_MASTER_KEY) },
    ]);
    const rows = await t.database.db.selectFrom('audit_logs').select(['hash_key_id']).execute();
    expect(new Set(rows.map((r) => r.hash_key_id))).toEqual(new Set([keyIdFor(TEST_MASTER_KEY)]));
  });

  it('names a row rewritten and re-chained with plain SHA-256 by someone without the key', async () => {
    const before = await snapshot(t);
    const victim = before.rows[2];
    if (!victim) throw new Error('not enough rows');
    try {
      await forgeAndRechain(t, victim.seq);
      const forged = await root.client.get('/api/audit/verify');
      expect(forged.body).toMatchObject({ ok: false, brokenAt: { seq: victim.seq, id: victim.id } });
      expect(forged.body.brokenAt.reason).toMatch(/keyed hash/);
    } finally {
      await restore(t, before);
    }
    // Relabelling the forged rows as unkeyed (pre-keying) ones does not help either.
    try {
      await forgeAndRechain(t, victim.seq, { unkey: true });
      const relabelled = await root.client.get('/api/audit/verify');
      expect(relabelled.body).toMatchObject({ ok: false, brokenAt: { seq: victim.seq, id: victim.id } });
      expect(relabelled.body.brokenAt.reason).toMatch(/unkeyed row after keyed rows/);
    } finally {
      await restore(t, before);
    }
    expect((await root.client.get('/api/audit/verify')).body.ok).toBe(true);
  });

  it('refuses a head pointer moved back without the key (deleted last rows)', async () => {
    const before = await snapshot(t);
    const [last, previous] = before.rows.slice(-2).reverse();
    if (!last || !previous) throw new Error('not enough rows');
    try {
      await t.database.db.deleteFrom('audit_logs').where('id', '=', last.id).execute();
      await t.database.db
        .updateTable('kv')
        .set({ value: `${previous.seq}:${previous.hash}` })
        .where('key', '=', 'audit.head')
        .execute();
      const verdict = await root.client.get('/api/audit/verify');
      expect(verdict.body).toMatchObject({ ok: false, brokenAt: { seq: previous.seq } });
      expect(verdict.body.brokenAt.reason).toMatch(/head pointer is not keyed/);
    } finally {
      await restore(t, before);
    }
  });

  it('npm run nexus -- audit-verify names the key of each stretch, and the forged row', async () => {
    const ok = await cliVerify(t.testDb);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`HMAC-SHA256 with key ${keyIdFor(TEST_MASTER_KEY)}`);
    expect(ok.stdout).toContain('OK: the chain is intact');
    expect(ok.stdout).not.toContain(TEST_MASTER_KEY);

    const before = await snapshot(t);
    const victim = before.rows[1];
    if (!victim) throw new Error('not enough rows');
    try {
      await forgeAndRechain(t, victim.seq);
      const broken = await cliVerify(t.testDb);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`BROKEN at row ${victim.seq} (id ${victim.id})`);
      // Without the master key, keyed rows cannot be checked at all.
      const keyless = await cliVerify(t.testDb, 'd'.repeat(64));
      expect(keyless.code).toBe(1);
      expect(keyless.stdout).toMatch(/BROKEN at row 1 .*not available/);
    } finally {
      await restore(t, before);
    }
  }, 60_000);
});

describe(`audit chain across upgrade and master key rotation (${TEST_DIALECT})`, () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => testDb?.drop());

  it('keeps rows from before keying verifiable as legacy SHA-256 and protects them with the first keyed row', async () => {
    // A database written by an older Nexus: three rows chained with plain SHA-256.
    const database = testDb.open();
    await migrate(database);
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const row: Row = {
        seq,
        id: `00000000-0000-4000-8000-00000000000${seq}`,
        tenant_id: null,
        actor_user_id: null,
        actor_label: 'system',
        actor_ip: null,
        user_agent: null,
        action: 'legacy.event',
        target_type: null,
        target_id: null,
        result: 'success',
        details: JSON.stringify({ n: seq }),
        created_at: 1_700_000_000_000 + seq,
        prev_hash: prev,
        hash: '',
      };
      row.hash = sha256Hash(row);
      prev = row.hash;
      await database.db
        .insertInto('audit_logs')
        .values({ ...row, created_at: Number(row.created_at) })
        .execute();
    }
    await database.db
      .insertInto('kv')
      .values({ key: 'audit.head', value: `3:${prev}`, updated_at: 0 })
      .execute();
    await database.close();

    const app = await startTestApp({ testDb });
    try {
      const admin = await makeUser(app, { globalRole: 'admin' });
      const verdict = await admin.client.get('/api/audit/verify');
      expect(verdict.body.ok).toBe(true);
      expect(verdict.body.segments).toEqual([
        { fromSeq: 1, toSeq: 3, algorithm: 'sha256', keyId: null },
        { fromSeq: 4, toSeq: verdict.body.checked, algorithm: 'hmac-sha256', keyId: keyIdFor(TEST_MASTER_KEY) },
      ]);
      const sealRow = await app.database.db
        .selectFrom('audit_logs')
        .selectAll()
        .where('seq', '=', 4)
        .executeTakeFirst();
      expect(sealRow).toMatchObject({ action: 'audit.chain_keyed', prev_hash: prev });

      // Rewriting a legacy row and re-chaining the legacy rows breaks the first keyed row's link.
      const before = await snapshot(app);
      try {
        const rows = (await app.database.db.selectFrom('audit_logs').selectAll().orderBy('seq').execute()) as Row[];
        let p = '0'.repeat(64);
        for (const row of rows.filter((r) => r.seq <= 3)) {
          if (row.seq === 2) row.details = JSON.stringify({ forged: true });
          row.prev_hash = p;
          row.hash = sha256Hash(row);
          p = row.hash;
          await app.database.db
            .updateTable('audit_logs')
            .set({ details: row.details, prev_hash: row.prev_hash, hash: row.hash })
            .where('id', '=', row.id)
            .execute();
        }
        const forged = await admin.client.get('/api/audit/verify');
        expect(forged.body).toMatchObject({ ok: false, brokenAt: { seq: 4 } });
        expect(forged.body.brokenAt.reason).toMatch(/previous-hash link/);
      } finally {
        await restore(app, before);
      }
    } finally {
      await app.close();
    }
  });

  it('after rotate-master-key, rows keyed under the old key stay verifiable with only the new key', async () => {
    const database = testDb.open();
    try {
      const result = await rotateMasterKey({
        config: {
          masterKey: Buffer.from(TEST_MASTER_KEY, 'hex'),
          previousMasterKeys: [],
          dataDir: '/tmp/nexus-test-data',
        },
        database,
        newKey: Buffer.from(NEW_KEY, 'hex'),
      });
      expect(result.auditKeys).toBe(1);
      const stored = await database.db.selectFrom('audit_keys').selectAll().execute();
      expect(stored.map((r) => r.id)).toEqual([keyIdFor(TEST_MASTER_KEY)]);
      // Sealed, not stored in the clear.
      expect(stored[0]?.wrapped_key).not.toContain(
        deriveAuditKey(Buffer.from(TEST_MASTER_KEY, 'hex')).key.toString('hex'),
      );
    } finally {
      await database.close();
    }

    const app = await startTestApp({ testDb, env: { NEXUS_MASTER_KEY: NEW_KEY } });
    try {
      const admin = await makeUser(app, { globalRole: 'admin' });
      const verdict = await admin.client.get('/api/audit/verify');
      expect(verdict.body.ok).toBe(true);
      expect(verdict.body.segments.map((s: { keyId: string | null }) => s.keyId)).toEqual([
        null,
        keyIdFor(TEST_MASTER_KEY),
        keyIdFor(NEW_KEY),
      ]);
      // A second rotation re-seals the older chain key too.
      const third = 'e'.repeat(64);
      await rotateMasterKey({
        config: { masterKey: Buffer.from(NEW_KEY, 'hex'), previousMasterKeys: [], dataDir: '/tmp/nexus-test-data' },
        database: app.database,
        newKey: Buffer.from(third, 'hex'),
      });
      const onlyThird = new AuditService(
        app.database.db,
        app.database.dialect,
        { now: () => Date.now() },
        new AuditKeyring(app.database.db, new MasterKeyring({ kind: 'env', keys: [Buffer.from(third, 'hex')] })),
      );
      expect(await onlyThird.verify()).toMatchObject({ ok: true });
      const cli = await cliVerify(testDb, third);
      expect(cli.code).toBe(0);
      expect(cli.stdout).toContain('legacy SHA-256');
      expect(cli.stdout).toContain(keyIdFor(TEST_MASTER_KEY));
      expect(cli.stdout).toContain(keyIdFor(NEW_KEY));
    } finally {
      await app.close();
    }
  }, 60_000);
});
