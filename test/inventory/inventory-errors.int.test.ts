// How Proxmox failures reach the user: an offline node flags only its guests, a token without
// rights says so (list and actions), and Proxmox's 5xx text travels as data, never in a header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { type Kit, registerSim, simAt, sleep, startInventoryKit, tokenOf } from './inventory-kit';

let k: Kit;
let ids: string[];
const vms = () => `/api/tenants/${k.tenantId}/vms`;
const guest = (i: number, vmid: number) => `/api/tenants/${k.tenantId}/servers/${ids[i]}/vms/${vmid}`;

beforeAll(async () => {
  k = await startInventoryKit({ sim: { servers: 4, nodes: 2, vms: 6 } });
  const noRights = simAt(k, 1).addToken({ privsep: true, acls: [] });
  const auditOnly = simAt(k, 2).addToken({ privsep: true, acls: [{ path: '/', role: 'PVEAuditor' }] });
  const tokens = [simAt(k, 0).token, noRights, auditOnly, simAt(k, 3).token];
  ids = [];
  for (const [i, sim] of k.sim.servers.entries()) {
    const apiToken = tokenOf(tokens[i] ?? '').apiToken;
    ids.push((await registerSim(k.root.client, k.tenantId, sim, { apiToken, connectionTimeoutMs: 1000 })).id);
  }
});
afterAll(async () => k?.close());

const rowOf = (body: any, i: number) => body.servers.find((s: any) => s.serverId === ids[i]);

describe(`inventory: Proxmox failures (${TEST_DIALECT})`, () => {
  it("flags an offline node's guests and leaves the others alone", async () => {
    const sim = simAt(k, 0);
    sim.setNodeOnline('pve1-2', false);
    try {
      k.t.nexus.services.guestLocator.cache.clear();
      const res = await k.manager.client.get(`${vms()}?server=${ids[0]}`);
      expect(res.status).toBe(200);
      expect(rowOf(res.body, 0)).toMatchObject({ ok: true, offlineNodes: ['pve1-2'] });
      for (const g of res.body.vms) {
        if (g.node === 'pve1-2') expect(g).toMatchObject({ nodeOffline: true, status: 'unknown', name: null });
        else expect(g.nodeOffline).toBe(false);
      }
      const onOffline = sim.guests().find((g) => g.node === 'pve1-2');
      const onOnline = sim.guests().find((g) => g.node === 'pve1-1' && !g.template);
      if (!onOffline || !onOnline) throw new Error('scenario without guests on both nodes');
      const down = await k.manager.client.get(guest(0, onOffline.vmid));
      expect(down.status).toBe(502);
      expect(down.body.error.code).toBe('proxmox.node_offline');
      const action = await k.manager.client.post(`${guest(0, onOffline.vmid)}/actions/stop`);
      expect(action.status).toBe(502);
      expect(action.body.error.code).toBe('proxmox.node_offline');
      const up = await k.manager.client.get(guest(0, onOnline.vmid));
      expect(up.status).toBe(200);
      expect(up.body.nodeOffline).toBe(false);
    } finally {
      sim.setNodeOnline('pve1-2', true);
    }
  });

  it('says when the token lacks the rights to list guests', async () => {
    const res = await k.manager.client.get(`${vms()}?server=${ids[1]}`);
    expect(res.status).toBe(200);
    const row = rowOf(res.body, 1);
    expect(row.ok).toBe(false);
    expect(row.error.code).toBe('proxmox.permission_denied');
    expect(row.error.message).toMatch(/lacks VM\.Audit/);
    expect(res.body.vms).toEqual([]);
  });

  it('says when the token lacks the right to power a guest', async () => {
    const sim = simAt(k, 2);
    const target = sim.guests().find((g) => !g.template && !g.ha.managed && !g.lock);
    if (!target) throw new Error('no plain guest');
    const action = target.running ? 'stop' : 'start';
    const list = await k.manager.client.get(`${vms()}?server=${ids[2]}`);
    expect(rowOf(list.body, 2).ok).toBe(true);
    const res = await k.manager.client.post(`${guest(2, target.vmid)}/actions/${action}`);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('proxmox.permission_denied');
    expect(res.body.error.message).toMatch(/lacks a permission.*VM\.PowerMgmt/);
  });

  it("passes Proxmox's error text as data, never in a header", async () => {
    const sim = simAt(k, 3);
    const before = await k.manager.client.get(guest(3, 100));
    expect(before.status).toBe(200);
    const vmid = 100;
    const g = sim.guest(vmid);
    if (!g) throw new Error('no guest 100');
    // The guest disappears between the list and the call: Proxmox's 500 text arrives as data.
    const realNode = g.node;
    sim.cluster.guests.delete(vmid);
    try {
      const gone = await k.manager.client.get(guest(3, vmid));
      expect(gone.status).toBe(404);
      expect(gone.body.error.code).toBe('vm.not_found');
    } finally {
      sim.cluster.guests.set(vmid, g);
      g.node = realNode;
    }

    sim.setFault({ status5xx: 503 });
    try {
      k.t.nexus.services.guestLocator.cache.clear();
      const list = await k.manager.client.get(`${vms()}?server=${ids[3]}`);
      expect(list.status).toBe(200);
      expect(rowOf(list.body, 3)).toMatchObject({ ok: false, error: { code: 'proxmox.error' } });
      const one = await k.manager.client.get(guest(3, vmid));
      expect(one.status).toBe(502);
      expect(one.body.error.code).toBe('proxmox.error');
      expect(one.body.error.details.status).toBe(503);
      for (const [name, value] of one.headers) {
        expect(`${name}: ${value}`).not.toMatch(/Service Unavailable|Proxmox error/i);
      }
    } finally {
      sim.clearFaults();
    }
    await sleep(300); // past the miss-refresh interval: the recovered server is asked again
    const hostile = simAt(k, 3)
      .guests()
      .find((x) => x.name === '<img src=x onerror=alert(1)>');
    expect(hostile).toBeTruthy();
    const detail = await k.manager.client.get(guest(3, hostile?.vmid ?? 0));
    expect(detail.body.name).toBe('<img src=x onerror=alert(1)>');
  });
});
