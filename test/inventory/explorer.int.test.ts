// The Proxmox API explorer proxy against pve-sim: reads for members, writes for tenant admins
// (audited), every path trick refused before anything is forwarded, Proxmox's errors as data,
// `api` metrics — and a listening canary that must never see a single connection.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../pve-sim/index';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD } from '../helpers/factories';
import { type Kit, rawRequest, registerAll, simAt, startInventoryKit } from './inventory-kit';

let k: Kit;
let sim: SimServer;
let serverId: string;
let canary: net.Server;
let canaryPort = 0;
let canaryConnections = 0;

const pve = (path = '') => `/api/tenants/${k.tenantId}/servers/${serverId}/pve/${path}`;

beforeAll(async () => {
  canary = net.createServer((socket) => {
    canaryConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  canaryPort = (canary.address() as net.AddressInfo).port;
  k = await startInventoryKit({ sim: { servers: 1, vms: 3 } });
  sim = simAt(k, 0);
  [serverId = ''] = await registerAll(k);
  // The explorer relays only from a server that has proven to be Proxmox (issue 14): test it.
  await k.root.client.post(`/api/tenants/${k.tenantId}/servers/${serverId}/test`);
});
afterAll(async () => {
  await k?.close();
  await new Promise<void>((resolve) => canary.close(() => resolve()));
});

describe(`explorer proxy (${TEST_DIALECT})`, () => {
  it("forwards GETs of every unrestricted member to that server's /api2/json", async () => {
    const version = await k.viewer.client.get(pve('version'));
    expect(version.status).toBe(200);
    expect(version.body).toMatchObject({ status: 200, data: { version: expect.any(String) } });
    expect(sim.requestLog.at(-1)).toMatchObject({ method: 'GET', path: '/api2/json/version' });

    const root = await k.viewer.client.get(pve());
    expect(root.status).toBe(200);
    expect(root.body.data.map((d: any) => d.subdir)).toContain('nodes');

    const resources = await k.manager.client.get(pve('cluster/resources?type=vm'));
    expect(resources.status).toBe(200);
    expect(resources.body.data.length).toBe(sim.guests().length);
    expect(sim.requestLog.at(-1)).toMatchObject({ path: '/api2/json/cluster/resources', query: 'type=vm' });

    // UPIDs (colons, @, !) survive as one encoded segment.
    const upid = (await k.root.client.post(pve('nodes/pve1/qemu/100/status/start'), {})).body.data;
    const task = await k.viewer.client.get(pve(`nodes/pve1/tasks/${encodeURIComponent(upid)}/status`));
    expect(task.status).toBe(200);
    expect(task.body.data.upid).toBe(upid);
  });

  it('refuses path tricks before anything is forwarded', async () => {
    const evil = `127.0.0.1:${canaryPort}`;
    const targets = [
      '../../../version',
      'nodes/../../version',
      '%2e%2e/%2e%2e/version',
      '%2E%2E/version',
      'nodes%2fpve1',
      'nodes%2Fpve1/status',
      `%2f%2f${evil}/x`,
      `/${evil}/x`,
      `/${evil}`,
      `http://${evil}/x`,
      `https:%2f%2f${evil}/x`,
      `http:`,
      'nodes/%00',
      'nodes/a%0d%0aHost:%20evil',
      'version%5c..%5c..',
      'nodes/%252e%252e',
      'version?a=1&a=2',
    ];
    const before = sim.requestLog.length;
    for (const target of targets) {
      for (const method of ['GET', 'POST']) {
        const res = await rawRequest(k.root.client, method, pve(target), method === 'POST' ? '{}' : undefined);
        expect(res.status, `${method} ${target}: ${res.text}`).toBe(400);
        expect(res.json?.error?.code, target).toBe('explorer.path_refused');
      }
    }
    // A request target in absolute form names another host; Nexus must not go there either.
    const absolute = await rawRequest(k.root.client, 'GET', `http://${evil}${pve('version')}`);
    expect(absolute.status).toBe(400);
    expect(sim.requestLog.length).toBe(before);
  });

  it('lets only tenant admins write, audits every write, and refuses everyone else before Proxmox', async () => {
    const before = sim.requestLog.length;
    for (const client of [k.viewer.client, k.manager.client]) {
      const res = await client.post(pve('nodes/pve1/qemu/100/status/stop'), {});
      expect(res.status).toBe(403);
      expect((await client.delete(pve('pools/lab'))).status).toBe(403);
      expect((await client.put(pve('nodes/pve1/qemu/100/config'), { cores: 2 })).status).toBe(403);
    }
    const restricted = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, restricted, 'viewer');
    await restricted.client.login(restricted.email, PASSWORD);
    await k.root.client.put(`/api/tenants/${k.tenantId}/members/${restricted.id}/assignments`, {
      assignments: [{ serverId, vmid: 100, permissions: ['view'] }],
    });
    expect((await restricted.client.get(pve('version'))).status).toBe(403);
    expect(sim.requestLog.length).toBe(before);

    const admin = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, admin, 'admin');
    await admin.client.login(admin.email, PASSWORD);
    const stop = await admin.client.post(pve('nodes/pve1/qemu/101/status/stop'), { timeout: 5 });
    expect(stop.status).toBe(200);
    expect(stop.body.data).toMatch(/^UPID:pve1:/);
    const sent = sim.requestLog.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: '/api2/json/nodes/pve1/qemu/101/status/stop' });

    // Parameter errors and unknown methods come back as data in the error envelope.
    const bad = await admin.client.post(pve('nodes/pve1/qemu/101/status/stop'), { skiplock: true });
    expect(bad.status).toBe(502);
    expect(bad.body.error.details).toMatchObject({ status: 400, errors: { skiplock: expect.any(String) } });
    const del = await admin.client.delete(pve('nodes/pve1/qemu/101/nothing'));
    expect(del.status).toBe(502);
    expect(del.body.error.details.status).toBe(501);

    const audit = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=explorer.write`);
    const events = audit.body.events as any[];
    expect(events.find((e) => e.result === 'success' && e.actorUserId === admin.id)).toMatchObject({
      targetType: 'server',
      targetId: serverId,
      details: { method: 'POST', path: '/nodes/pve1/qemu/101/status/stop', params: ['timeout'], status: 200 },
    });
    expect(events.some((e) => e.result === 'failure' && e.details.method === 'DELETE')).toBe(true);
    const denied = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=authz.denied`);
    expect(denied.body.events.length).toBeGreaterThan(0);
  });

  it("passes Proxmox's error text as data, never into headers", async () => {
    const res = await k.viewer.client.get(pve('nodes/pve1/qemu/424242/status/current'));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('proxmox.error');
    expect(res.body.error.details.reason).toMatch(/does not exist/);
    for (const [name, value] of res.headers) expect(`${name}: ${value}`).not.toMatch(/does not exist|424242/);
    const offline = await k.viewer.client.get(pve('nodes/nowhere/status'));
    expect(offline.status).toBe(502);
  });

  it('caps bodies, takes only scalar parameters, and records api metrics', async () => {
    const big = await k.root.client.post(pve('nodes/pve1/qemu/101/config'), { description: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    const nested = await k.root.client.post(pve('nodes/pve1/qemu/101/status/start'), { a: { b: 1 } });
    expect(nested.status).toBe(400);
    const badName = await k.root.client.post(pve('nodes/pve1/qemu/101/status/start'), { 'a b': 1 });
    expect(badName.status).toBe(400);

    await k.t.nexus.services.serversModule.apiMetrics.flush();
    const rows = await k.t.database.db
      .selectFrom('connection_metrics')
      .select(['kind', 'success'])
      .where('server_id', '=', serverId)
      .where('kind', '=', 'api')
      .execute();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.some((r) => r.success === 0)).toBe(true);
  });

  it('never connected to anything but the registered server', () => {
    expect(canaryConnections).toBe(0);
  });
});
