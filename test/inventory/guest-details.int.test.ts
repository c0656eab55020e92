// The guest page's depth against pve-sim (issue 18): hardware from the config, IP addresses from
// the guest agent or the container (the agent's refusals in its own words), the task history of
// the guest and a task's log — and restricted members see only their guests' tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../pve-sim/index';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD } from '../helpers/factories';
import { openSse, type SseStream } from '../helpers/sse';
import { type Kit, registerAll, simAt, startInventoryKit } from './inventory-kit';

let k: Kit;
let sim: SimServer;
let serverId: string;
let sse: SseStream;
const guest = (vmid: number | string) => `/api/tenants/${k.tenantId}/servers/${serverId}/vms/${vmid}`;

beforeAll(async () => {
  k = await startInventoryKit({
    sim: {
      taskDurationMs: 60,
      scenario: {
        seed: 4,
        clusters: [
          {
            name: 'lab',
            nodes: [{ name: 'pve1' }],
            guests: [
              { vmid: 100, type: 'qemu', node: 'pve1', name: 'with-agent', status: 'running', agent: true },
              { vmid: 101, type: 'qemu', node: 'pve1', name: 'no-agent', status: 'running' },
              { vmid: 102, type: 'lxc', node: 'pve1', name: 'ct', status: 'running' },
              { vmid: 103, type: 'lxc', node: 'pve1', name: 'ct-off', status: 'stopped' },
            ],
          },
        ],
      } as never,
    },
  });
  sim = simAt(k, 0);
  [serverId = ''] = await registerAll(k);
  sse = await openSse(k.manager.client, `/api/tenants/${k.tenantId}/events`);
});
afterAll(async () => {
  sse?.close();
  await k?.close();
});

describe(`guest details (${TEST_DIALECT})`, () => {
  it('shows NICs, disks, boot order and notes from the configuration', async () => {
    const vm = await k.viewer.client.get(`${guest(100)}/hardware`);
    expect(vm.status).toBe(200);
    expect(vm.body.nics[0]).toMatchObject({ id: 'net0', model: 'virtio', bridge: 'vmbr0', firewall: true });
    expect(vm.body.nics[0].mac).toMatch(/^[0-9A-F:]{17}$/i);
    expect(
      vm.body.disks.some((d: { id: string; storage: string }) => d.id === 'scsi0' && d.storage === 'local-lvm'),
    ).toBe(true);
    expect(vm.body.bootOrder[0]).toBe('scsi0');
    const ct = await k.viewer.client.get(`${guest(102)}/hardware`);
    expect(ct.body.nics[0]).toMatchObject({ name: 'eth0', model: 'veth' });
    expect(ct.body.disks.some((d: { id: string }) => d.id === 'rootfs')).toBe(true);
  });

  it('lists IP addresses from the agent or the container, and says why there are none', async () => {
    const withAgent = await k.viewer.client.get(`${guest(100)}/interfaces`);
    expect(withAgent.status).toBe(200);
    expect(withAgent.body.source).toBe('agent');
    expect(withAgent.body.unavailable).toBeNull();
    expect(withAgent.body.interfaces.length).toBeGreaterThan(0);
    expect(withAgent.body.interfaces.flatMap((i: { addresses: unknown[] }) => i.addresses).length).toBeGreaterThan(0);
    const noAgent = await k.viewer.client.get(`${guest(101)}/interfaces`);
    expect(noAgent.body).toEqual({ source: 'agent', unavailable: 'No QEMU guest agent configured', interfaces: [] });
    const ct = await k.viewer.client.get(`${guest(102)}/interfaces`);
    expect(ct.body.source).toBe('lxc');
    expect(ct.body.interfaces[0].addresses.length).toBeGreaterThan(0);
    const off = await k.viewer.client.get(`${guest(103)}/interfaces`);
    expect(off.body).toEqual({ source: 'lxc', unavailable: 'The container is not running', interfaces: [] });
  });

  it("lists the guest's tasks and shows a task's log; restricted members only their guests'", async () => {
    const res = await k.manager.client.post(`${guest(101)}/actions/reboot`);
    expect(res.status).toBe(200);
    await sse.waitFor((e) => e.event === 'task.finished' && e.data.upid === res.body.upid, 5000);
    const tasks = await k.viewer.client.get(`${guest(101)}/tasks`);
    expect(tasks.status).toBe(200);
    const mine = tasks.body.tasks.find((t: { upid: string }) => t.upid === res.body.upid);
    expect(mine).toMatchObject({ type: 'qmreboot', status: 'stopped', exitstatus: 'OK', ok: true });
    expect(tasks.body.tasks.every((t: { upid: string }) => t.upid.includes(':101:'))).toBe(true);
    const log = await k.viewer.client.get(
      `/api/tenants/${k.tenantId}/servers/${serverId}/tasks/${encodeURIComponent(res.body.upid)}/log`,
    );
    expect(log.status).toBe(200);
    expect(log.body.lines.at(-1)).toMatch(/TASK OK/);

    const u = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, u, 'viewer');
    await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}/assignments`, {
      restricted: true,
      assignments: [{ serverId, vmid: 100, permissions: ['view'] }],
    });
    await u.client.login(u.email, PASSWORD);
    const other = await u.client.get(
      `/api/tenants/${k.tenantId}/servers/${serverId}/tasks/${encodeURIComponent(res.body.upid)}/log`,
    );
    expect(other.status).toBe(404);
    expect((await u.client.get(`${guest(101)}/tasks`)).status).toBe(404);
    expect((await u.client.get(`${guest(100)}/tasks`)).status).toBe(200);
    expect(sim.requestLog.some((r) => r.path.endsWith('/log'))).toBe(true);
  });

  it('shows each node with its Proxmox version, and its storages with usage to managers', async () => {
    const nodes = await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/nodes`);
    expect(nodes.status).toBe(200);
    expect(nodes.body.nodes[0]).toMatchObject({
      node: 'pve1',
      status: 'online',
      version: expect.stringMatching(/^\d+\.\d+/),
    });
    const storage = await k.manager.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/storage`);
    expect(storage.status).toBe(200);
    const local = storage.body.storages.find((s: { storage: string }) => s.storage === 'local');
    expect(local).toMatchObject({ node: 'pve1', content: expect.arrayContaining(['backup']), active: true });
    expect(local.total).toBeGreaterThan(0);
    expect(local.used).toBeLessThanOrEqual(local.total);
    expect((await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/storage`)).status).toBe(403);
  });
});
