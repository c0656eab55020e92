// Restarting PostgreSQL (five times) under two running instances (issue 9): both recover, no
// event stream is left dead, no audit row is lost. Uses a throwaway cluster, never the shared server.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { PG_BIN, type PgCluster, startPgCluster } from '../helpers/pg-cluster';
import { type NexusProcess, startNexusProcess } from '../helpers/process';
import { openSse } from '../helpers/sse';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  explain: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = String(err); // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${last})${explain()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(TEST_DIALECT !== 'postgres' || !PG_BIN)('PostgreSQL restart under two instances', () => {
  let pg: PgCluster;
  let a: NexusProcess;
  let b: NexusProcess;

  beforeAll(async () => {
    pg = await startPgCluster();
    const env = {
      DATABASE_URL: pg.url,
      NEXUS_MASTER_KEY: 'c'.repeat(64),
      NEXUS_ADMIN_EMAIL: ADMIN.email,
      NEXUS_ADMIN_PASSWORD: ADMIN.password,
    };
    a = await startNexusProcess(env);
    b = await startNexusProcess(env);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pg?.stop();
  });

  it('recovers: readiness, event streams and every acknowledged audit write survive', async () => {
    const admin = new ApiClient(a.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const tenant = (await admin.post('/api/tenants', { name: 'Restart', slug: `restart-${Date.now()}` })).body;
    const onB = new ApiClient(b.url);
    onB.cookie = admin.cookie;
    const stream = await openSse(onB, `/api/tenants/${tenant.id}/events`);
    expect(stream.status).toBe(200);

    // Writes keep coming during the restart; the ones answered 2xx must all be in the trail.
    let acknowledged = 0;
    let failedDuringOutage = 0;
    let writing = true;
    const writer = (async () => {
      let i = 0;
      while (writing) {
        const res = await admin
          .put(`/api/tenants/${tenant.id}/settings`, { maxServers: 10 + (i++ % 40) })
          .catch(() => null);
        if (res?.status === 200) acknowledged++;
        else {
          failedDuringOutage++;
          if (res) expect(res.status, res.text).toBe(503);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // Whether an instance is still running, and the end of its log.
    const state = (p: NexusProcess) => () =>
      `\nexit code: ${p.child.exitCode ?? p.child.signalCode ?? 'running'}\n${p.output.join('').split('\n').slice(-40).join('\n')}`;
    // Several restarts at varied moments and downtimes: one restart lands in a given window (a
    // connection checked out between two statements, a listener reconnecting) only by chance.
    for (const [gapMs, downMs] of [
      [500, 1500],
      [50, 10],
      [700, 400],
      [150, 2500],
      [90, 50],
    ] as const) {
      await new Promise((r) => setTimeout(r, gapMs));
      await pg.restart(downMs);
      await new Promise((r) => setTimeout(r, 300));
      for (const p of [a, b]) {
        expect(p.child.exitCode ?? p.child.signalCode, `an instance exited${state(p)()}`).toBeNull();
      }
    }
    const ready = (p: NexusProcess) => async () => {
      const res = await fetch(`${p.url}/readyz`);
      if (res.status !== 200) throw new Error(`readyz ${res.status}: ${await res.text()}`);
      return true;
    };
    await until('A ready again', ready(a), 30_000, state(a));
    await until('B ready again', ready(b), 30_000, state(b));
    await new Promise((r) => setTimeout(r, 1000));
    writing = false;
    await writer;
    expect(acknowledged).toBeGreaterThan(5);

    // The stream on B is alive: an event published on A after the restart arrives.
    const seenBefore = stream.events.length;
    await until('a post-restart event on B', async () => {
      const res = await admin.put(`/api/tenants/${tenant.id}/settings`, { maxServers: 7 });
      if (res.status === 200) acknowledged++;
      else failedDuringOutage++;
      return stream.events.length > seenBefore ? true : undefined;
    });
    stream.close();

    const audit = await admin.get(`/api/tenants/${tenant.id}/audit?action=tenant.settings_updated&limit=500`);
    // Every acknowledged write is there. A write answered 503 may be there too: when the server
    // dies between committing and answering COMMIT, the outcome is unknown to Nexus (an in-doubt
    // commit; the change and its audit row are one transaction, so they stand or fall together).
    expect(audit.body.events.length).toBeGreaterThanOrEqual(acknowledged);
    expect(audit.body.events.length).toBeLessThanOrEqual(acknowledged + failedDuringOutage);
    const verify = await admin.get('/api/audit/verify');
    expect(verify.body.ok).toBe(true);
    expect(failedDuringOutage, 'the restart happened while writes were coming').toBeGreaterThan(0);
  }, 120_000);
});

describe.skipIf(TEST_DIALECT !== 'postgres' || !PG_BIN)('PostgreSQL dying under a checked-out connection', () => {
  // pg-pool drops its error listener from a client while it is checked out; a connection that
  // died then, between two statements of a transaction, emitted an unhandled 'error' and killed
  // the process (seen in CI as an instance that never came back after a restart).
  it('fails that transaction, keeps the process alive, and serves again after the restart', async () => {
    const pg = await startPgCluster();
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    const database = openDatabase({ kind: 'postgres', url: pg.url });
    try {
      const tx = database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await new Promise((r) => setTimeout(r, 1500)); // the server dies meanwhile
        await sql`select 2`.execute(trx);
      });
      await new Promise((r) => setTimeout(r, 300));
      await pg.restart(200);
      await expect(tx).rejects.toThrow();
      await until('the database answering again', async () => ((await database.ping()) ? true : undefined), 15_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(uncaught.map(String)).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await database.close().catch(() => {});
      await pg.stop();
    }
  }, 60_000);
});
