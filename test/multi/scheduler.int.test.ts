// One health scheduler across instances (issue 9): the lease holder checks, a status change it
// detects reaches an event stream on the other instance, and when the holder is killed the other
// takes over within two intervals without checking any server twice in one interval.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from '../../pve-sim/index';
import { ApiClient } from '../helpers/client';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { type NexusProcess, startNexusProcess } from '../helpers/process';
import { openSse } from '../helpers/sse';
import { registerSim, tokenOf } from '../servers/server-kit';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };
const INTERVAL_MS = 5_000;

const holderOf = (p: NexusProcess) =>
  p.output
    .join('')
    .split('\n')
    .filter((l) => l.includes('"lease"'));
const holds = (p: NexusProcess) => holderOf(p).at(-1)?.includes('"held":true') ?? false;

describe.skipIf(TEST_DIALECT !== 'postgres')('health scheduler across instances', () => {
  let testDb: TestDatabase;
  let sim: PveSim;
  let procs: NexusProcess[] = [];
  let sql: pg.Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    if (testDb.config.kind !== 'postgres') throw new Error('unreachable');
    sim = await startPveSim({ servers: 3, vms: 2, authFailDelayMs: 20 });
    for (const s of sim.servers) tokenOf(s);
    const env = {
      DATABASE_URL: testDb.config.url,
      NEXUS_MASTER_KEY: 'd'.repeat(64),
      NEXUS_ADMIN_EMAIL: ADMIN.email,
      NEXUS_ADMIN_PASSWORD: ADMIN.password,
    };
    procs = await Promise.all([startNexusProcess(env), startNexusProcess(env)]);
    sql = new pg.Client({ connectionString: testDb.config.url });
    await sql.connect();
  }, 90_000);

  afterAll(async () => {
    await sql?.end();
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    await sim?.close();
    await testDb?.drop();
  });

  it('runs on exactly one instance and fails over within two intervals', async () => {
    const [first, second] = procs;
    if (!first || !second) throw new Error('two processes expected');
    const admin = new ApiClient(first.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const tenant = (await admin.post('/api/tenants', { name: 'Sched', slug: `sched-${Date.now()}` })).body;
    await admin.put(`/api/tenants/${tenant.id}/settings`, { healthCheckIntervalSeconds: INTERVAL_MS / 1000 });

    // Exactly one instance holds the lease.
    const deadline = Date.now() + 10_000;
    while (holds(first) === holds(second) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(holds(first)).not.toBe(holds(second));
    const leader = holds(first) ? first : second;
    const follower = leader === first ? second : first;

    // The follower's event stream sees status changes the leader's checks detect.
    const onFollower = new ApiClient(follower.url);
    onFollower.cookie = admin.cookie;
    const stream = await openSse(onFollower, `/api/tenants/${tenant.id}/events`);
    const servers = [];
    for (const s of sim.servers) servers.push(await registerSim(admin, tenant.id, s));
    for (const s of servers) {
      await stream.waitFor(
        (e) => e.event === 'server.status_changed' && e.data.serverId === s.id && e.data.to === 'online',
        2 * INTERVAL_MS,
      );
    }
    stream.close();

    // Kill the leader; the follower takes over.
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    let resumedAt = 0;
    while (Date.now() - killedAt < 3 * INTERVAL_MS) {
      const rows = await sql.query<{ n: string }>(
        "select count(*) as n from connection_metrics where kind = 'health' and created_at > $1",
        [killedAt],
      );
      if (Number(rows.rows[0]?.n) >= servers.length) {
        resumedAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(resumedAt, 'every server checked again after the kill').toBeGreaterThan(0);
    expect(resumedAt - killedAt).toBeLessThanOrEqual(2 * INTERVAL_MS);
    expect(holds(follower)).toBe(true);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));

    // Never twice in one interval: consecutive checks of a server are ≥ 0.9 interval apart
    // (the scheduler's jitter), across the whole run including the takeover.
    const checks = await sql.query<{ server_id: string; created_at: string }>(
      "select server_id, created_at from connection_metrics where kind = 'health' order by server_id, created_at",
    );
    const byServer = new Map<string, number[]>();
    for (const r of checks.rows)
      byServer.set(r.server_id, [...(byServer.get(r.server_id) ?? []), Number(r.created_at)]);
    for (const [serverId, times] of byServer) {
      expect(times.length, serverId).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < times.length; i++) {
        expect((times[i] ?? 0) - (times[i - 1] ?? 0), `${serverId} check ${i}`).toBeGreaterThanOrEqual(
          0.9 * INTERVAL_MS - 250,
        );
      }
    }
  }, 120_000);
});
