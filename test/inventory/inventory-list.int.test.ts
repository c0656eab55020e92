// The tenant-wide guest list against pve-sim: fan-out with partial results and per-server
// deadlines, single-flight caching, stale-while-revalidate, filters, hostile names as data,
// restricted members, and the dashboard counts.
import { GuestList } from '@common/schemas/vms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { makeUser, PASSWORD } from '../helpers/factories';
import { type Kit, registerAll, simAt, startInventoryKit } from './inventory-kit';

let k: Kit;
let ids: string[];
const vms = () => `/api/tenants/${k.tenantId}/vms`;
const DEADLINE = 1000;

beforeAll(async () => {
  k = await startInventoryKit({ sim: { servers: 10, vms: 9 } });
  ids = await registerAll(k, k.sim.servers, { connectionTimeoutMs: DEADLINE });
  simAt(k, 8).setFault({ down: true });
  simAt(k, 9).setFault({ blackhole: true });
});
afterAll(async () => k?.close());

const locator = () => k.t.nexus.services.guestLocator;

describe(`inventory: the tenant-wide list (${TEST_DIALECT})`, () => {
  it('returns every guest of the 8 healthy servers and two error rows, within the deadline', async () => {
    const started = Date.now();
    const res = await k.viewer.client.get(vms());
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-encoding')).toBe('gzip'); // fetch asked for it; big lists are worth it
    expect(elapsed).toBeLessThan(DEADLINE + 500);
    const list = GuestList.parse(res.body);

    for (let i = 0; i < 8; i++) {
      const sim = simAt(k, i);
      const got = list.vms
        .filter((g) => g.serverId === ids[i])
        .map((g) => g.vmid)
        .sort((a, b) => a - b);
      expect(got).toEqual(sim.guests().map((g) => g.vmid));
    }
    expect(list.vms.filter((g) => g.serverId === ids[8] || g.serverId === ids[9])).toEqual([]);
    expect(list.servers).toHaveLength(10);
    const rows = new Map(list.servers.map((s) => [s.serverId, s]));
    for (let i = 0; i < 8; i++) expect(rows.get(ids[i] ?? '')).toMatchObject({ ok: true, error: null });
    expect(rows.get(ids[8] ?? '')).toMatchObject({ ok: false, error: { code: 'proxmox.unreachable' } });
    expect(rows.get(ids[9] ?? '')).toMatchObject({ ok: false, error: { code: 'proxmox.timeout' } });
    for (const row of list.servers) expect(row.fetchedAt).not.toBeNull();

    // Types, templates, split tags, pools, figures; and the viewer's abilities on each guest.
    const sim0 = simAt(k, 0);
    for (const guest of sim0.guests()) {
      const g = list.vms.find((v) => v.serverId === ids[0] && v.vmid === guest.vmid);
      expect(g).toMatchObject({
        node: guest.node,
        type: guest.type,
        template: guest.template,
        tags: guest.tags,
        pool: guest.pool ?? null,
        maxmem: guest.maxmem,
        can: { power: false, console: 'view-only', snapshot: false, backup: false },
      });
    }
    expect(list.vms.some((g) => g.type === 'lxc') && list.vms.some((g) => g.type === 'qemu')).toBe(true);
    expect(list.vms.some((g) => g.template)).toBe(true);
    expect(list.vms.some((g) => g.lock === 'backup' && g.hastate === null)).toBe(true);
    expect(list.vms.some((g) => g.hastate === 'started')).toBe(true);
  });

  it('makes one upstream call per server for 20 concurrent requests', async () => {
    locator().cache.clear();
    const before = new Map(ids.map((id) => [id, locator().cache.fetchCounts.get(id) ?? 0]));
    const logged = k.sim.servers.map((s) => s.requestLog.length);
    const answers = await Promise.all(Array.from({ length: 20 }, () => k.manager.client.get(vms())));
    for (const a of answers) expect(a.status).toBe(200);
    for (const id of ids) expect((locator().cache.fetchCounts.get(id) ?? 0) - (before.get(id) ?? 0)).toBe(1);
    for (let i = 0; i < 8; i++) {
      const calls = simAt(k, i)
        .requestLog.slice(logged[i])
        .filter((r) => r.path === '/api2/json/cluster/resources');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.query).toBe('type=vm');
    }
    // Every caller got the same guests.
    const counts = new Set(answers.map((a) => a.body.vms.length));
    expect(counts.size).toBe(1);
  });

  it('answers from the stale result while refreshing: a dead server costs nothing after its first deadline', async () => {
    await k.viewer.client.get(vms()); // warm
    for (const id of ids) locator().cache.invalidate(id);
    const started = Date.now();
    const res = await k.viewer.client.get(vms());
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(DEADLINE / 2);
    const rows = new Map<string, any>(res.body.servers.map((s: any) => [s.serverId, s]));
    expect(rows.get(ids[9] ?? '')).toMatchObject({ ok: false, stale: true });
    expect(rows.get(ids[8] ?? '')).toMatchObject({ ok: false });
    expect(res.body.vms.length).toBeGreaterThan(0);
  });

  it('returns names and tags from Proxmox as plain data', async () => {
    const res = await k.viewer.client.get(vms());
    const names = res.body.vms.map((g: any) => g.name);
    expect(names).toContain('<img src=x onerror=alert(1)>');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal hostile name of the default scenario
    expect(names).toContain('${jndi:ldap://x}; rm -rf / #');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // JSON-escaped as a string value, never markup the server produced.
    expect(res.text).toContain('"name":"<img src=x onerror=alert(1)>"');
  });

  it('filters by server, status, type, tag and name', async () => {
    const all = (await k.viewer.client.get(vms())).body.vms as any[];
    const q = async (qs: string) => (await k.viewer.client.get(`${vms()}?${qs}`)).body;

    const one = await q(`server=${ids[0]}`);
    expect(one.servers.map((s: any) => s.serverId)).toEqual([ids[0]]);
    expect(one.vms.every((g: any) => g.serverId === ids[0])).toBe(true);

    const running = await q('status=running');
    expect(running.vms.length).toBe(all.filter((g) => g.status === 'running').length);
    const both = await q('status=running,stopped');
    expect(both.vms.length).toBe(all.filter((g) => g.status === 'running' || g.status === 'stopped').length);

    const lxc = await q('type=lxc');
    expect(lxc.vms.length).toBe(all.filter((g) => g.type === 'lxc').length);
    expect(lxc.vms.length).toBeGreaterThan(0);

    const prod = await q('tag=prod');
    expect(prod.vms.length).toBe(all.filter((g) => g.tags.includes('prod')).length);
    expect(prod.vms.length).toBeGreaterThan(0);

    const named = await q(`q=${encodeURIComponent('ONERROR')}`);
    expect(named.vms.length).toBe(8);
    const byId = await q('q=101');
    expect(byId.vms.every((g: any) => g.vmid === 101)).toBe(true);

    expect((await k.viewer.client.get(`${vms()}?type=vm`)).status).toBe(400);
  });

  it('has a per-server variant', async () => {
    const res = await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${ids[1]}/vms`);
    expect(res.status).toBe(200);
    expect(res.body.servers).toHaveLength(1);
    expect(res.body.vms.length).toBe(simAt(k, 1).guests().length);
    const dead = await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${ids[8]}/vms`);
    expect(dead.status).toBe(200);
    expect(dead.body.servers[0]).toMatchObject({ ok: false });
    const missing = await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${crypto.randomUUID()}/vms`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('server.not_found');
  });

  it('shows members restricted to guests only those, in the list and in the counts', async () => {
    const u = await makeUser(k.t, { login: false });
    await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}`, { role: 'manager' }).then(async (r) => {
      if (r.status !== 200) {
        await k.root.client.post(`/api/tenants/${k.tenantId}/members`, { email: u.email, role: 'manager' });
      }
    });
    await u.client.login(u.email, PASSWORD);
    const set = await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}/assignments`, {
      assignments: [
        { serverId: ids[0], vmid: 100, permissions: ['view', 'power'] },
        { serverId: ids[2], vmid: 101, permissions: ['view'] },
        { serverId: ids[3], vmid: 102, permissions: ['console'] },
      ],
    });
    expect(set.status).toBe(200);

    const res = await u.client.get(vms());
    expect(res.status).toBe(200);
    const seen = res.body.vms.map((g: any) => `${g.serverId}:${g.vmid}`).sort();
    expect(seen).toEqual([`${ids[0]}:100`, `${ids[2]}:101`].sort());
    expect(res.body.servers.map((s: any) => s.serverId).sort()).toEqual([ids[0], ids[2], ids[3]].sort());
    const g100 = res.body.vms.find((g: any) => g.vmid === 100);
    expect(g100.can).toEqual({ power: true, console: 'none', snapshot: false, backup: false, share: 'none' });
    expect(res.body.vms.find((g: any) => g.vmid === 101).can).toEqual({
      power: false,
      console: 'none',
      snapshot: false,
      backup: false,
      share: 'none',
    });

    const stats = await u.client.get(`/api/tenants/${k.tenantId}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body.guests.total).toBe(2);
    const byStatus = stats.body.guests.byStatus as Record<string, number>;
    expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(2);

    // A server without an assignment is not theirs.
    const other = await u.client.get(`/api/tenants/${k.tenantId}/servers/${ids[4]}/vms`);
    expect(other.status).toBe(404);
    const narrowed = await u.client.get(`${vms()}?server=${ids[4]}`);
    expect(narrowed.body).toEqual({ vms: [], servers: [] });
  });

  it('counts guests by status for the dashboard', async () => {
    const list = (await k.manager.client.get(vms())).body;
    const stats = await k.manager.client.get(`/api/tenants/${k.tenantId}/stats`);
    expect(stats.body.guests.total).toBe(list.vms.length);
    const running = list.vms.filter((g: any) => g.status === 'running').length;
    expect(stats.body.guests.byStatus.running).toBe(running);
    expect(stats.body.guests.fetchedAt).not.toBeNull();
  });
});
