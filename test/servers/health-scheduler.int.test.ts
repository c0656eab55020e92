// The health scheduler against ten pve-sim servers, one black-holed and one answering in 3 s:
// the healthy ones are checked on time, the dead one backs off, status changes reach SSE clients
// within one interval, and each check leaves a metrics row and figures on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { openSse } from '../helpers/sse';
import { type Kit, registerSim, simAt, sleep, startKit } from './server-kit';

const INTERVAL = 1000;
const TICK = 50;
let k: Kit;
const ids: string[] = [];
const base = () => `/api/tenants/${k.tenantId}/servers`;

beforeAll(async () => {
  k = await startKit({
    sim: { servers: 10, vms: 1 },
    app: {
      background: true,
      deps: { servers: { health: { tickMs: TICK, intervalMs: INTERVAL, backoff: { baseMs: 2000, maxMs: 4000 } } } },
    },
  });
  simAt(k, 0).setFault({ blackhole: true });
  simAt(k, 1).setFault({ latencyMs: 3000 });
  for (let i = 0; i < 10; i++) {
    const s = await registerSim(k.manager.client, k.tenantId, simAt(k, i), {
      connectionTimeoutMs: i === 0 ? 1000 : 5000,
    });
    ids.push(s.id);
  }
}, 30_000);
afterAll(async () => k?.close());

const healthChecks = async (serverId: string) =>
  (
    await k.t.database.db
      .selectFrom('connection_metrics')
      .select(['created_at', 'success', 'response_time_ms'])
      .where('server_id', '=', serverId)
      .where('kind', '=', 'health')
      .orderBy('created_at')
      .execute()
  ).map((r) => ({ at: Number(r.created_at), ok: r.success === 1, ms: Number(r.response_time_ms) }));

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? t));

describe(`servers: health scheduler (${TEST_DIALECT})`, () => {
  it('checks healthy servers on time while one is dead and one is slow; the dead one backs off', async () => {
    const started = Date.now();
    await sleep(9000);
    const window = Date.now() - started;

    for (let i = 2; i < 10; i++) {
      const versionCalls = simAt(k, i)
        .requestLog.filter((r) => r.path === '/api2/json/version')
        .map((r) => r.at);
      // The first check comes within a tick or two; then one per interval (±10 % jitter).
      expect(versionCalls[0], `server ${i} first check`).toBeLessThan(started + 500);
      expect(versionCalls.length, `server ${i} checks`).toBeGreaterThanOrEqual(Math.floor(window / INTERVAL) - 1);
      expect(Math.max(...gaps(versionCalls)), `server ${i} largest gap`).toBeLessThan(INTERVAL * 1.1 + TICK + 250);
    }

    const servers = (await k.viewer.client.get(base())).body.servers as any[];
    const byId = new Map(servers.map((s) => [s.id, s]));
    const slow = byId.get(ids[1]);
    expect(slow.status).toBe('degraded');
    expect(slow.avgResponseTimeMs).toBeGreaterThan(2900);
    expect(slow.learnedTimeoutMs).toBe(5000);
    for (let i = 2; i < 10; i++) {
      const s = byId.get(ids[i]);
      expect(s.status).toBe('online');
      expect(s.successRate).toBe(1);
      expect(s.learnedTimeoutMs).toBe(1000);
      expect(s.avgResponseTimeMs).toBeGreaterThan(0);
    }

    const dead = byId.get(ids[0]);
    expect(dead.status).toBe('offline');
    expect(dead.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(dead.successRate).toBe(0);
    expect(dead.healthCheckError).toMatch(/deadline/);
    const deadChecks = await healthChecks(ids[0] as string);
    expect(deadChecks.every((c) => !c.ok)).toBe(true);
    // Each failed check ends at its 1 s deadline; after three, the breaker waits 2 s, then 4 s.
    const deadGaps = gaps(deadChecks.map((c) => c.at));
    expect(deadGaps.length).toBeGreaterThanOrEqual(3);
    expect(deadGaps.slice(0, 2).every((g) => g < 2 * INTERVAL + 500)).toBe(true);
    expect(deadGaps[2]).toBeGreaterThanOrEqual(1000 + 0.9 * 2000 - 100);
    expect(deadChecks.length).toBeLessThan((await healthChecks(ids[2] as string)).length);
  }, 20_000);

  it('brings status changes to an SSE client within one interval', async () => {
    const sim = simAt(k, 3);
    const id = ids[3] as string;
    const stream = await openSse(k.viewer.client, `/api/tenants/${k.tenantId}/events`);
    const down = Date.now();
    sim.setFault({ down: true });
    const first = await stream.waitFor(
      (e) => e.event === 'server.status_changed' && e.data.serverId === id,
      INTERVAL * 3,
    );
    expect(Date.now() - down).toBeLessThan(INTERVAL * 1.1 + TICK + 300);
    expect(first.data).toMatchObject({ from: 'online', to: 'degraded' });
    const offline = await stream.waitFor(
      (e) => e.event === 'server.status_changed' && e.data.serverId === id && e.data.to === 'offline',
      INTERVAL * 5,
    );
    expect(offline.data.error).toMatch(/refused/);
    const up = Date.now();
    sim.clearFaults();
    // The breaker is open now: the next check comes after the back-off, not the interval.
    await stream.waitFor(
      (e) => e.event === 'server.status_changed' && e.data.serverId === id && e.data.to === 'online',
      6000,
    );
    expect(Date.now() - up).toBeLessThan(4000 + TICK + 500);
    const health = stream.events.filter((e) => e.event === 'server.health' && e.data.serverId === ids[4]);
    expect(health.length).toBeGreaterThan(0);
    expect(health[0]?.data).toMatchObject({ ok: true, status: 'online' });
    stream.close();
  }, 20_000);

  it('leaves a metrics row per check and hourly figures', async () => {
    const checks = await healthChecks(ids[5] as string);
    expect(checks.length).toBeGreaterThan(5);
    const m = await k.viewer.client.get(`${base()}/${ids[5]}/metrics?hours=24`);
    expect(m.body.buckets).toHaveLength(24);
    expect(m.body.totals.checks).toBe(
      (await healthChecks(ids[5] as string)).filter((c) => c.at >= Date.parse(m.body.from)).length,
    );
    expect(m.body.totals.successRate).toBe(1);
  });

  it('prunes metrics past the retention period', async () => {
    const old = Date.now() - 40 * 24 * 3600_000;
    await k.t.database.db
      .insertInto('connection_metrics')
      .values({
        id: '00000000-0000-4000-8000-00000000aaaa',
        tenant_id: k.tenantId,
        server_id: ids[5] as string,
        kind: 'health',
        success: 1,
        response_time_ms: 5,
        error: null,
        created_at: old,
      })
      .execute();
    const deleted = await k.t.nexus.services.serversModule.health.prune();
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = await k.t.database.db
      .selectFrom('connection_metrics')
      .select('id')
      .where('created_at', '<', Date.now() - 30 * 24 * 3600_000)
      .execute();
    expect(left).toEqual([]);
  });
});
