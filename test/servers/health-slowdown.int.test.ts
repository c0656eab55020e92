// A server that turns slow but keeps answering within its configured timeout must be reachable
// again after a few checks (found by the chaos soak: learned from fast checks, its deadline stayed
// at 1 s, every check and guest read timed out, and it showed "offline" for good).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { type Kit, registerSim, simAt, sleep, startKit } from './server-kit';

let k: Kit;
let serverId: string;

beforeAll(async () => {
  k = await startKit({
    sim: { servers: 1, vms: 3 },
    app: {
      background: true,
      deps: { servers: { health: { tickMs: 50, intervalMs: 500, backoff: { baseMs: 500, maxMs: 1000 } } } },
    },
  });
  serverId = (await registerSim(k.manager.client, k.tenantId, simAt(k, 0), { connectionTimeoutMs: 5000 })).id;
}, 30_000);
afterAll(async () => k?.close());

const server = async () =>
  (await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}`)).body as {
    status: string;
    learnedTimeoutMs: number | null;
  };

describe(`servers: a server that slows down (${TEST_DIALECT})`, () => {
  it('widens its learned deadline after timeouts and is online (degraded) again', async () => {
    // Fast checks first: the deadline is learned down to its 1 s floor.
    const deadline = Date.now() + 8000;
    while ((await server()).learnedTimeoutMs !== 1000) {
      if (Date.now() > deadline) throw new Error('the learned timeout never reached 1 s');
      await sleep(100);
    }
    expect((await server()).status).toBe('online');

    simAt(k, 0).setFault({ latencyMs: 2500 });
    // Timeouts at 1 s, then 3 s: answered in 2.5 s from then on.
    const until = Date.now() + 25_000;
    let now = await server();
    while (!(now.status === 'degraded' && (now.learnedTimeoutMs ?? 0) > 2500)) {
      if (Date.now() > until) throw new Error(`still ${JSON.stringify(now)}`);
      await sleep(250);
      now = await server();
    }
    expect(now.learnedTimeoutMs).toBeLessThanOrEqual(5000);

    // And the guests are read within the wider deadline, not refused with proxmox.timeout.
    const guests = await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/vms`);
    expect(guests.status).toBe(200);
    expect(guests.body.servers[0]).toMatchObject({ ok: true });
  }, 45_000);
});
