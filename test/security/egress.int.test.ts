// Issue 14, finding 8: Nexus must not be usable against the operator's internal network. Every
// dial (probe, test, health, inventory, explorer, console) passes the egress policy on the
// resolved address; link-local and metadata addresses are refused by default without a packet
// sent; global admins may narrow the policy per tenant; the explorer relays only from a server
// that has proven to be Proxmox; upstream error text is capped; probe and test are rate-limited.
// Only loopback is used: 127.0.0.2 stands for "internal", host names come from an injected resolver.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, type SimServer, startPveSim } from '../../pve-sim/index';
import { endpointKey } from '../../server/src/modules/servers/server-connector';
import { type ResolvedAddress, systemResolver } from '../../server/src/proxmox';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { eventually, type Kit, registerSim, startKit, tokenOf } from '../servers/server-kit';
import { type CaptureListener, startCaptureListener } from './capture-listener';

// Every outbound TCP connection this process starts, whatever starts it.
const dials: { host: string; port: number }[] = [];
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function spy(this: net.Socket, ...args: unknown[]) {
  const raw = Array.isArray(args[0]) ? args[0][0] : args[0];
  const first = raw as { port?: number | string; host?: string; path?: string } | number;
  if (typeof first === 'object' && first && !first.path)
    dials.push({ host: String(first.host), port: Number(first.port) });
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
});

/** Host names for the tests: resolved here, never by DNS. */
const NAMES: Record<string, ResolvedAddress[]> = {
  'pve-a.test': [{ address: '127.0.0.1', family: 4 }],
  'pve-b.test': [{ address: '127.0.0.2', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped.test': [{ address: '::ffff:169.254.169.254', family: 6 }],
};
const resolve = async (name: string) => NAMES[name] ?? systemResolver(name);

const METADATA = /^(169\.254\.|::ffff:169\.254\.|::ffff:a9fe:|fe80:)/i;
const OWN_TOKEN = tokenOf('mallory@pve!probe=0badc0de-0000-4000-8000-000000000002');

describe(`egress policy: NEXUS_ALLOWED_TARGETS=127.0.0.1 (${TEST_DIALECT})`, () => {
  let k: Kit;
  let simB: PveSim;
  let a: SimServer;
  let b: SimServer;
  let serverA: string;
  let serverB: string;
  let namedB: string;
  const base = () => `/api/tenants/${k.tenantId}/servers`;
  const dialsTo = (port: number) => dials.filter((d) => d.port === port);

  beforeAll(async () => {
    k = await startKit({
      sim: { servers: 1, vms: 2 },
      app: {
        env: { NEXUS_ALLOWED_TARGETS: '127.0.0.1' },
        deps: { servers: { resolve, health: { tickMs: 100, intervalMs: 500 } } },
        background: true,
      },
    });
    // "Internal": a second Proxmox on 127.0.0.2, reachable, so only the policy stands in the way.
    simB = await startPveSim({ servers: 1, vms: 2, host: '127.0.0.2' });
    for (const s of simB.servers) tokenOf(s);
    a = k.sim.servers[0] as SimServer;
    b = simB.servers[0] as SimServer;
    serverA = (await registerSim(k.root.client, k.tenantId, a)).id;
    serverB = (await registerSim(k.root.client, k.tenantId, b)).id;
    namedB = (await registerSim(k.root.client, k.tenantId, b, { name: 'b by name', host: 'pve-b.test' })).id;
  });
  afterAll(async () => {
    await k?.close();
    await simB?.close();
  });

  it('probes and tests 127.0.0.1 but refuses 127.0.0.2, by address or by name, and audits it', async () => {
    expect((await k.manager.client.post(`${base()}/probe`, { host: a.host, port: a.port })).status).toBe(200);
    expect((await k.manager.client.post(`${base()}/probe`, { host: 'pve-a.test', port: a.port })).status).toBe(200);
    expect((await k.manager.client.post(`${base()}/${serverA}/test`)).body.ok).toBe(true);
    for (const host of [b.host, 'pve-b.test', '::ffff:127.0.0.2']) {
      const probe = await k.manager.client.post(`${base()}/probe`, { host, port: b.port });
      expect(probe.status, host).toBe(403);
      expect(probe.body.error.code).toBe('server.target_refused');
    }
    for (const id of [serverB, namedB]) {
      const test = await k.manager.client.post(`${base()}/${id}/test`);
      expect(test.status).toBe(403);
      expect(test.body.error.code).toBe('server.target_refused');
    }
    expect(dialsTo(b.port)).toEqual([]);
    const audit = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=server.target_refused`);
    const rows = audit.body.events as any[];
    expect(rows.filter((r) => r.details.operation === 'probe')).toHaveLength(3);
    expect(rows.filter((r) => r.details.operation === 'test').map((r) => r.targetId)).toEqual(
      expect.arrayContaining([serverB, namedB]),
    );
    expect(rows[0]).toMatchObject({ result: 'denied', actorUserId: k.manager.id });
  });

  it('health checks mark a refused server as such, and the allowed one online', async () => {
    const statusOf = async (id: string) => (await k.viewer.client.get(`${base()}/${id}`)).body.status;
    // Registered now and never tested: only the scheduler dials it.
    const mapped = (await registerSim(k.root.client, k.tenantId, b, { name: 'b mapped', host: '::ffff:127.0.0.2' })).id;
    await eventually(async () => (await statusOf(serverA)) === 'online');
    await eventually(async () => (await statusOf(mapped)) === 'refused');
    const row = (await k.viewer.client.get(`${base()}/${mapped}`)).body;
    expect(row.healthCheckError).toMatch(/egress policy/);
    const checks = await k.t.database.db
      .selectFrom('connection_metrics')
      .select(['kind', 'error'])
      .where('server_id', '=', mapped)
      .execute();
    expect(checks[0]).toMatchObject({ kind: 'health', error: 'server.target_refused' });
    expect(dialsTo(b.port)).toEqual([]);
  });

  it('the inventory lists the allowed server and reports the refused ones', async () => {
    const list = await k.viewer.client.get(`/api/tenants/${k.tenantId}/vms`);
    expect(list.status).toBe(200);
    const byId = new Map((list.body.servers as any[]).map((s) => [s.serverId, s]));
    expect(byId.get(serverA)).toMatchObject({ ok: true });
    for (const id of [serverB, namedB]) {
      expect(byId.get(id)).toMatchObject({ ok: false });
      expect(JSON.stringify(byId.get(id).error)).toMatch(/target_refused|egress policy/);
    }
    expect(list.body.vms.every((g: any) => g.serverId === serverA)).toBe(true);
    expect(dialsTo(b.port)).toEqual([]);
  });

  it('the explorer and consoles are refused at 127.0.0.2 even for a server proven earlier', async () => {
    // As if B had been verified before the operator narrowed the policy.
    const row = await k.t.database.db
      .selectFrom('proxmox_servers')
      .selectAll()
      .where('id', '=', serverB)
      .executeTakeFirstOrThrow();
    await k.t.database.db
      .updateTable('proxmox_servers')
      .set({ verified_at: Date.now(), verified_endpoint: endpointKey(row) })
      .where('id', '=', serverB)
      .execute();
    const explorer = await k.root.client.get(`${base()}/${serverB}/pve/version`);
    expect(explorer.status).toBe(403);
    expect(explorer.body.error.code).toBe('server.target_refused');
    const console = await k.manager.client.post(`${base()}/${serverB}/vms/100/console`);
    expect(console.status).toBe(403);
    expect(console.body.error.code).toBe('server.target_refused');
    // A works: the explorer (A was tested above) and a console ticket (on a running guest: a
    // stopped one has no console, 409 vm.not_running).
    expect((await k.root.client.get(`${base()}/${serverA}/pve/version`)).status).toBe(200);
    expect(a.guest(100)).toBeDefined();
    a.guest(100)?.setRunning(true, Date.now());
    expect((await k.manager.client.post(`${base()}/${serverA}/vms/100/console`)).status).toBe(201);
    expect(dialsTo(b.port)).toEqual([]);
    expect(b.requestLog).toEqual([]);
  });
});

describe(`egress policy: the default (${TEST_DIALECT})`, () => {
  let k: Kit;
  let tenantAdmin: TestUser;
  let listener: CaptureListener;
  let page: CaptureListener;
  const base = () => `/api/tenants/${k.tenantId}/servers`;

  beforeAll(async () => {
    k = await startKit({ sim: { servers: 1, vms: 2 }, app: { deps: { servers: { resolve } } } });
    tenantAdmin = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, tenantAdmin, 'admin');
    await tenantAdmin.client.login(tenantAdmin.email, PASSWORD);
    listener = await startCaptureListener('127.0.0.1');
    // An internal service that is not Proxmox: a web page, and errors with long reason phrases.
    page = await startCaptureListener('127.0.0.1', (req, res) => {
      const status = req.url?.includes('/version') ? 503 : 200;
      res.writeHead(status, `Internal ${'detail '.repeat(150)}`, { 'content-type': 'text/html' });
      res.end(`<html>${'internal secret page '.repeat(200)}</html>`);
    });
  });
  afterAll(async () => {
    await k?.close();
    await listener?.close();
    await page?.close();
  });

  it('refuses metadata addresses in every spelling before any connection is made', async () => {
    dials.length = 0;
    const hosts = ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', 'metadata.test', 'mapped.test'];
    for (const host of hosts) {
      const probe = await tenantAdmin.client.post(`${base()}/probe`, { host, port: 80 });
      expect(probe.status, host).toBe(403);
      expect(probe.body.error.code).toBe('server.target_refused');
    }
    // Registering stores without contacting; every later dial is refused.
    const created = await tenantAdmin.client.post(base(), {
      name: 'metadata',
      host: '169.254.169.254',
      port: 80,
      apiToken: OWN_TOKEN.apiToken,
      tlsMode: 'insecure',
    });
    expect(created.status).toBe(201);
    const test = await tenantAdmin.client.post(`${base()}/${created.body.id}/test`);
    expect(test.status).toBe(403);
    expect(test.body.error.code).toBe('server.target_refused');
    const vms = await tenantAdmin.client.get(`/api/tenants/${k.tenantId}/vms`);
    expect(vms.body.servers.find((s: any) => s.serverId === created.body.id)).toMatchObject({ ok: false });
    expect(dials.filter((d) => METADATA.test(d.host) || d.host.endsWith('.test'))).toEqual([]);
    expect(dials.filter((d) => d.port === 80)).toEqual([]);
  });

  it('lets global admins narrow it per tenant; tenant admins see it but cannot change it', async () => {
    const settings = `/api/tenants/${k.tenantId}/settings`;
    const sim = k.sim.servers[0] as SimServer;
    const denied = await tenantAdmin.client.put(settings, { allowedTargets: ['0.0.0.0/0'] });
    expect(denied.status).toBe(403);
    const bad = await k.root.client.put(settings, { allowedTargets: ['10.0.0.1/8'] });
    expect(bad.status).toBe(400);
    const narrowed = await k.root.client.put(settings, { allowedTargets: ['127.0.0.2'] });
    expect(narrowed.status).toBe(200);
    const seen = (await tenantAdmin.client.get(settings)).body;
    expect(seen.allowedTargets).toEqual(['127.0.0.2']);
    // Saving the whole settings form, the list unchanged, still works for a tenant admin.
    expect((await tenantAdmin.client.put(settings, { ...seen, sessionIdleMinutes: 61 })).status).toBe(200);
    expect((await tenantAdmin.client.put(settings, { allowedTargets: null })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 50));
    const probe = await tenantAdmin.client.post(`${base()}/probe`, { host: sim.host, port: sim.port });
    expect(probe.status).toBe(403);
    expect(probe.body.error.code).toBe('server.target_refused');
    // A tenant list cannot widen the operator's: metadata stays refused even when listed.
    expect((await k.root.client.put(settings, { allowedTargets: ['169.254.0.0/16'] })).status).toBe(200);
    const meta = await tenantAdmin.client.post(`${base()}/probe`, { host: '169.254.169.254', port: 80 });
    expect(meta.status).toBe(403);
    expect((await k.root.client.put(settings, { allowedTargets: null })).status).toBe(200);
    expect((await tenantAdmin.client.post(`${base()}/probe`, { host: sim.host, port: sim.port })).status).toBe(200);
  });

  it('relays the explorer only from a server that has proven to be Proxmox', async () => {
    const sim = k.sim.servers[0] as SimServer;
    const real = await registerSim(tenantAdmin.client, k.tenantId, sim, { name: 'not yet tested' });
    const early = await tenantAdmin.client.get(`${base()}/${real.id}/pve/version`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('explorer.server_unverified');
    expect((await tenantAdmin.client.post(`${base()}/${real.id}/test`)).body.ok).toBe(true);
    expect((await tenantAdmin.client.get(`${base()}/${real.id}/pve/version`)).status).toBe(200);

    // An internal web service registered as a "server": /version is not Proxmox's, so nothing
    // else of it is ever read through the explorer, and its error text comes back capped.
    const fake = await tenantAdmin.client.post(base(), {
      name: 'internal page',
      host: page.host,
      port: page.port,
      apiToken: OWN_TOKEN.apiToken,
      tlsFingerprint: page.fingerprint,
    });
    const test = await tenantAdmin.client.post(`${base()}/${fake.body.id}/test`);
    expect(test.body.ok).toBe(false);
    expect(test.text).not.toMatch(/(detail ){40}/);
    expect(test.body.error.message.length).toBeLessThan(260);
    const read = await tenantAdmin.client.get(`${base()}/${fake.body.id}/pve/admin/secrets`);
    expect(read.status).toBe(409);
    expect(read.body.error.code).toBe('explorer.server_unverified');
    expect(page.requests.map((r) => r.url)).toEqual(['/api2/json/version']);

    // Moving a proven server elsewhere (with the token, finding 2) needs a new proof.
    const moved = await tenantAdmin.client.patch(`${base()}/${real.id}`, {
      host: listener.host,
      port: listener.port,
      tlsFingerprint: listener.fingerprint,
      apiToken: OWN_TOKEN.apiToken,
    });
    expect(moved.status).toBe(200);
    expect((await tenantAdmin.client.get(`${base()}/${real.id}/pve/version`)).body.error.code).toBe(
      'explorer.server_unverified',
    );
    expect(listener.requests).toEqual([]);
  });

  it('limits probes and tests to 30 a minute per tenant, with the envelope and Retry-After', async () => {
    const other = (await k.root.client.post('/api/tenants', { name: 'Busy', slug: `busy-${Date.now()}` })).body.id;
    const probe = (tenantId: string) =>
      k.root.client.post(`/api/tenants/${tenantId}/servers/probe`, { host: '169.254.169.254', port: 80 });
    const answers = [];
    for (let i = 0; i < 31; i++) answers.push(await probe(other));
    expect(answers.slice(0, 30).every((r) => r.status === 403)).toBe(true);
    const limited = answers[30];
    expect(limited?.status).toBe(429);
    expect(limited?.body.error.code).toBe('server.rate_limited');
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited?.body.requestId).toEqual(expect.any(String));
    // Another tenant keeps its own allowance.
    expect((await probe(k.tenantId)).status).toBe(403);
  });
});
