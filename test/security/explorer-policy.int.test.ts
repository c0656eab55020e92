// Issue 14, finding 9: the explorer must not hand out what the console path protects. Ticket-,
// token- and secret-minting endpoints are refused for everyone (global admins too) before
// Proxmox sees anything, and audited; managers and viewers read only from the allowlist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../pve-sim/index';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { type Kit, registerAll, simAt, startInventoryKit } from '../inventory/inventory-kit';

let k: Kit;
let sim: SimServer;
let serverId: string;
let tenantAdmin: TestUser;

const pve = (path: string) => `/api/tenants/${k.tenantId}/servers/${serverId}/pve/${path}`;

beforeAll(async () => {
  k = await startInventoryKit({ sim: { servers: 1, vms: 3 } });
  sim = simAt(k, 0);
  [serverId = ''] = await registerAll(k);
  // The explorer relays only from a server proven to be Proxmox (finding 8): test it once.
  expect((await k.root.client.post(`/api/tenants/${k.tenantId}/servers/${serverId}/test`)).body.ok).toBe(true);
  tenantAdmin = await makeUser(k.t, { login: false });
  await addMember(k.t, k.tenantId, tenantAdmin, 'admin');
  await tenantAdmin.client.login(tenantAdmin.email, PASSWORD);
});
afterAll(async () => k?.close());

describe(`explorer policy (${TEST_DIALECT})`, () => {
  it('never relays vncproxy, termproxy or /access/ticket, whoever asks, and audits the attempt', async () => {
    const before = sim.requestLog.length;
    const attempts: [string, string][] = [
      ['POST', 'nodes/pve1/qemu/100/vncproxy'],
      ['POST', 'nodes/pve1/qemu/100/%76ncproxy'],
      ['POST', 'nodes/pve1/qemu/100/termproxy'],
      ['POST', 'nodes/pve1/termproxy'],
      ['GET', 'nodes/pve1/qemu/100/vncwebsocket?port=5900&vncticket=x'],
      ['POST', 'access/ticket'],
      ['POST', 'access/users/root@pam/token/stolen'],
      ['GET', 'access/users/root@pam/token'],
    ];
    for (const who of [tenantAdmin, k.root]) {
      for (const [method, path] of attempts) {
        const res = await who.client.request(method, pve(path), method === 'GET' ? undefined : { websocket: 1 });
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
        expect(res.body.error.code).toBe('explorer.endpoint_denied');
        expect(res.text).not.toMatch(/PVEVNC|ticket"\s*:\s*"/);
      }
    }
    expect(sim.requestLog.slice(before)).toEqual([]);
    const audit = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=explorer.refused`);
    const rows = audit.body.events as any[];
    expect(rows.length).toBe(attempts.length * 2);
    expect(rows.find((r) => r.actorUserId === tenantAdmin.id && r.details.method === 'POST')).toMatchObject({
      result: 'denied',
      targetId: serverId,
      details: { path: expect.stringMatching(/^\/(nodes|access)\//), rule: expect.any(String) },
    });
  });

  it('refuses reading files inside guests to members, and anything off the allowlist', async () => {
    const before = sim.requestLog.length;
    for (const who of [k.viewer, k.manager]) {
      const fileRead = await who.client.get(pve('nodes/pve1/qemu/100/agent/file-read?file=/etc/shadow'));
      expect(fileRead.status).toBe(403);
      expect(fileRead.body.error.code).toBe('explorer.endpoint_denied');
      for (const path of ['access/permissions', 'access', 'storage', 'nodes/pve1/qemu/100/agent/get-users']) {
        const res = await who.client.get(pve(path));
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('explorer.not_allowed');
      }
    }
    expect(sim.requestLog.slice(before)).toEqual([]);
  });

  it('lets members read status, configuration, RRD data and tasks', async () => {
    for (const path of [
      '',
      'version',
      'cluster/resources?type=vm',
      'cluster/status',
      'nodes',
      'nodes/pve1',
      'nodes/pve1/status',
      'nodes/pve1/qemu/100/status/current',
      'nodes/pve1/qemu/100/config',
      'nodes/pve1/qemu/100/rrddata?timeframe=hour',
      'nodes/pve1/tasks',
    ]) {
      const res = await k.viewer.client.get(pve(path));
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
  });

  it('keeps every other read and write for admins', async () => {
    const perms = await tenantAdmin.client.get(pve('access/permissions'));
    expect(perms.status).toBe(200);
    expect(sim.requestLog.at(-1)).toMatchObject({ path: '/api2/json/access/permissions' });
    const start = await tenantAdmin.client.post(pve('nodes/pve1/qemu/101/status/start'), {});
    expect(start.status).toBe(200);
    expect(start.body.data).toMatch(/^UPID:/);
  });
});
