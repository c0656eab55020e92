// Power actions on QEMU VMs and containers against pve-sim: every action, the 409s decided before
// Proxmox is called, tasks followed to their end on the event stream, denials that reach nothing,
// the audit trail, task status by UPID, one guest's status (and after a migration), history, nodes.
import { parseUpid } from '@common/schemas/vms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../pve-sim/index';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { openSse, type SseStream } from '../helpers/sse';
import { type Kit, registerAll, simAt, startInventoryKit } from './inventory-kit';

let k: Kit;
let sim: SimServer;
let serverId: string;
let sse: SseStream;

const guest = (vmid: number | string) => `/api/tenants/${k.tenantId}/servers/${serverId}/vms/${vmid}`;
const act = (client: TestUser['client'], vmid: number, action: string) =>
  client.post(`${guest(vmid)}/actions/${action}`);
const statusPosts = () => sim.requestLog.filter((r) => r.method === 'POST' && r.path.includes('/status/')).length;

beforeAll(async () => {
  k = await startInventoryKit({
    sim: {
      taskDurationMs: 60,
      scenario: {
        seed: 1,
        clusters: [
          {
            name: 'lab',
            nodes: [{ name: 'pve1' }, { name: 'pve2' }],
            guests: [
              { vmid: 100, type: 'qemu', node: 'pve1', name: 'vm-run', status: 'running' },
              { vmid: 101, type: 'qemu', node: 'pve1', name: 'vm-stop', status: 'stopped' },
              { vmid: 102, type: 'lxc', node: 'pve1', name: 'ct-run', status: 'running' },
              { vmid: 103, type: 'lxc', node: 'pve2', name: 'ct-stop', status: 'stopped' },
              { vmid: 104, type: 'qemu', node: 'pve2', name: 'vm-paused', status: 'paused' },
              { vmid: 105, type: 'qemu', node: 'pve1', name: 'tmpl', template: true },
              { vmid: 106, type: 'qemu', node: 'pve1', name: 'locked', status: 'stopped', lock: 'backup' },
              { vmid: 107, type: 'qemu', node: 'pve1', name: 'mover', status: 'running' },
            ],
          },
        ],
      } as never,
    },
  });
  sim = simAt(k, 0);
  [serverId = ''] = await registerAll(k);
  sse = await openSse(k.manager.client, `/api/tenants/${k.tenantId}/events`);
  expect(sse.status).toBe(200);
});
afterAll(async () => {
  sse?.close();
  await k?.close();
});

/** Starts an action and waits for Nexus to report its end. */
async function run(vmid: number, action: string) {
  const res = await act(k.manager.client, vmid, action);
  expect(res.status, `${action} ${vmid}: ${res.text}`).toBe(200);
  expect(res.body.status).toBe('running');
  const upid: string = res.body.upid;
  expect(parseUpid(upid)).not.toBeNull();
  const finished = await sse.waitFor((e) => e.event === 'task.finished' && e.data.upid === upid, 5000);
  return { upid, finished: finished.data };
}

describe(`inventory: power actions (${TEST_DIALECT})`, () => {
  it('runs every action on a QEMU VM and reports each end and new state on the event stream', async () => {
    const steps: [string, string, string][] = [
      ['suspend', 'qmsuspend', 'paused'],
      ['resume', 'qmresume', 'running'],
      ['reboot', 'qmreboot', 'running'],
      ['reset', 'qmreset', 'running'],
      ['shutdown', 'qmshutdown', 'stopped'],
      ['start', 'qmstart', 'running'],
      ['stop', 'qmstop', 'stopped'],
    ];
    for (const [action, taskType, after] of steps) {
      const { upid, finished } = await run(100, action);
      expect(parseUpid(upid)).toMatchObject({ node: 'pve1', type: taskType, id: '100' });
      expect(finished).toMatchObject({ serverId, vmid: 100, ok: true, exitstatus: 'OK', guestStatus: after });
      const status = await sse.waitFor((e) => e.event === 'vm.status' && e.data.vmid === 100 && e.id !== null);
      expect(status.data.serverId).toBe(serverId);
      expect((await k.manager.client.get(guest(100))).body.status).toBe(after);
    }
    // The list reflects the last state too.
    const list = await k.manager.client.get(`/api/tenants/${k.tenantId}/vms`);
    expect(list.body.vms.find((g: any) => g.vmid === 100).status).toBe('stopped');
  });

  it('runs every action on a container', async () => {
    const steps: [string, string, string][] = [
      ['suspend', 'vzsuspend', 'running'],
      ['resume', 'vzresume', 'running'],
      ['reboot', 'vzreboot', 'running'],
      ['shutdown', 'vzshutdown', 'stopped'],
      ['start', 'vzstart', 'running'],
      ['stop', 'vzstop', 'stopped'],
    ];
    for (const [action, taskType, after] of steps) {
      const { upid, finished } = await run(102, action);
      expect(parseUpid(upid)).toMatchObject({ type: taskType, id: '102' });
      expect(finished).toMatchObject({ ok: true, guestStatus: after });
    }
  });

  it('refuses actions that cannot apply with a 409, before Proxmox is called', async () => {
    await run(100, 'start'); // 100 running again; 101 stopped, 102 stopped, 104 paused
    const cases: [number, string, RegExp][] = [
      [102, 'reset', /containers cannot be reset/i],
      [103, 'reset', /containers cannot be reset/i],
      [101, 'reset', /not running/i],
      [101, 'stop', /already stopped/i],
      [101, 'shutdown', /not running/i],
      [100, 'start', /already running/i],
      [100, 'resume', /not paused/i],
      [104, 'start', /paused; resume/i],
      [104, 'reboot', /paused/i],
      [104, 'suspend', /already paused/i],
      [105, 'start', /template/i],
      [102, 'stop', /already stopped/i],
      [103, 'suspend', /not running/i],
    ];
    for (const [vmid, action, message] of cases) {
      // Read the state first (as the UI does), so it is known and fresh.
      await k.manager.client.get(`/api/tenants/${k.tenantId}/vms`);
      const before = statusPosts();
      const res = await act(k.manager.client, vmid, action);
      expect(res.status, `${action} on ${vmid}: ${res.text}`).toBe(409);
      expect(res.body.error.code).toBe('vm.action_not_applicable');
      expect(res.body.error.message).toMatch(message);
      expect(statusPosts(), `${action} on ${vmid} reached Proxmox`).toBe(before);
    }
    const unknown = await act(k.manager.client, 101, 'explode');
    expect(unknown.status).toBe(400);
    const body = await k.manager.client.post(`${guest(101)}/actions/start`, { force: true });
    expect(body.status).toBe(400);
  });

  it('never refuses on a list seconds old: a guest that stopped by itself starts (issue 16)', async () => {
    await k.manager.client.get(`/api/tenants/${k.tenantId}/vms`); // the list says running, and is fresh
    const g = sim.guest(100);
    expect(g?.status).toBe('running');
    g?.setRunning(false, Date.now());
    const res = await act(k.manager.client, 100, 'start');
    expect(res.status, res.text).toBe(200);
    await sse.waitFor((e) => e.event === 'task.finished' && e.data.upid === res.body.upid, 5000);
    expect(sim.guest(100)?.status).toBe('running');
  });

  it("reports a failed task with Proxmox's error text", async () => {
    const { finished } = await run(106, 'start');
    expect(finished.ok).toBe(false);
    expect(finished.exitstatus).toMatch(/locked \(backup\)/);
    expect(finished.guestStatus).toBe('stopped');
  });

  it('denies viewers and members without power, and nothing reaches Proxmox', async () => {
    const before = sim.requestLog.length;
    const res = await act(k.viewer.client, 101, 'start');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('policy.forbidden');

    const restricted = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, restricted, 'manager');
    await restricted.client.login(restricted.email, PASSWORD);
    await k.root.client.put(`/api/tenants/${k.tenantId}/members/${restricted.id}/assignments`, {
      assignments: [
        { serverId, vmid: 101, permissions: ['view'] },
        { serverId, vmid: 103, permissions: ['view', 'power'] },
      ],
    });
    expect((await act(restricted.client, 101, 'start')).status).toBe(403);
    const unassigned = await act(restricted.client, 100, 'stop');
    expect(unassigned.status).toBe(404);
    expect(unassigned.body.error.code).toBe('vm.not_found');
    expect(sim.requestLog.length).toBe(before);

    const allowed = await act(restricted.client, 103, 'start');
    expect(allowed.status).toBe(200);
    await sse.waitFor((e) => e.event === 'task.finished' && e.data.upid === allowed.body.upid);
    // Tasks of guests they may not see are not theirs either.
    const { upid } = await run(100, 'stop');
    const hidden = await restricted.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/tasks/${upid}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('task.not_found');
    const own = await restricted.client.get(
      `/api/tenants/${k.tenantId}/servers/${serverId}/tasks/${encodeURIComponent(allowed.body.upid)}`,
    );
    expect(own.status).toBe(200);
  });

  it('audits who powered which guest, with the task id', async () => {
    const { upid } = await run(101, 'start');
    const res = await k.root.client.get(`/api/tenants/${k.tenantId}/audit?action=vm.power`);
    expect(res.status).toBe(200);
    const entry = res.body.events.find((e: any) => e.details?.upid === upid);
    expect(entry).toMatchObject({
      actorUserId: k.manager.id,
      actor: k.manager.email,
      action: 'vm.power',
      targetType: 'vm',
      targetId: `${serverId}:101`,
      result: 'success',
      details: { action: 'start', vmid: 101, serverId, node: 'pve1', type: 'qemu', guestName: 'vm-stop' },
    });
    const refused = res.body.events.find(
      (e: any) => e.result === 'failure' && e.details?.error === 'vm.action_not_applicable',
    );
    expect(refused).toBeTruthy();
  });

  it('reads a task by UPID: only well-formed ones, only of this server', async () => {
    const { upid } = await run(101, 'stop');
    const base = `/api/tenants/${k.tenantId}/servers/${serverId}/tasks`;
    const res = await k.viewer.client.get(`${base}/${encodeURIComponent(upid)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ upid, node: 'pve1', type: 'qmstop', id: '101', status: 'stopped', ok: true });
    expect(res.body.exitstatus).toBe('OK');

    expect((await k.viewer.client.get(`${base}/not-a-upid`)).status).toBe(400);
    const unknown = upid.replace(/:[0-9A-F]{8}:/, ':0000FFFF:');
    const gone = await k.viewer.client.get(`${base}/${encodeURIComponent(unknown)}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('task.not_found');
    const elsewhere = upid.replace('UPID:pve1:', 'UPID:pve9:');
    expect((await k.viewer.client.get(`${base}/${encodeURIComponent(elsewhere)}`)).status).toBe(404);
    const otherServer = await k.viewer.client.get(
      `/api/tenants/${k.tenantId}/servers/${crypto.randomUUID()}/tasks/${encodeURIComponent(upid)}`,
    );
    expect(otherServer.status).toBe(404);
  });

  it("reads one guest's status, and finds it again after a migration", async () => {
    const res = await k.viewer.client.get(guest(107));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      serverId,
      vmid: 107,
      node: 'pve1',
      type: 'qemu',
      name: 'mover',
      status: 'running',
      qmpstatus: 'running',
      ha: { managed: false },
      can: { power: false, console: 'view-only', snapshot: false, backup: false },
    });
    expect(res.body.maxmem).toBeGreaterThan(0);

    const moved = sim.guest(107);
    if (!moved) throw new Error('no guest 107');
    moved.node = 'pve2';
    const again = await k.viewer.client.get(guest(107));
    expect(again.status).toBe(200);
    expect(again.body.node).toBe('pve2');
    const { upid } = await run(107, 'stop');
    expect(parseUpid(upid)?.node).toBe('pve2');

    const missing = await k.viewer.client.get(guest(999));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('vm.not_found');
    expect((await k.viewer.client.get(guest('abc'))).status).toBe(400);
  });

  it('serves resource history validated and downsampled, and node figures', async () => {
    const hour = await k.viewer.client.get(`${guest(100)}/rrddata?timeframe=hour`);
    expect(hour.status).toBe(200);
    expect(hour.body.timeframe).toBe('hour');
    const points = hour.body.points as any[];
    expect(points.length).toBeGreaterThan(30);
    expect(points.length).toBeLessThanOrEqual(70);
    for (let i = 1; i < points.length; i++) expect(points[i].time).toBeGreaterThan(points[i - 1].time);
    expect(Object.keys(points[0]).sort()).toEqual(
      ['cpu', 'disk', 'diskread', 'diskwrite', 'maxcpu', 'maxdisk', 'maxmem', 'mem', 'netin', 'netout', 'time'].sort(),
    );
    const week = await k.viewer.client.get(`${guest(102)}/rrddata?timeframe=week&cf=MAX&points=10`);
    expect(week.body.points).toHaveLength(10);
    expect((await k.viewer.client.get(`${guest(100)}/rrddata?timeframe=year`)).status).toBe(400);
    expect((await k.viewer.client.get(`${guest(100)}/rrddata?points=5000`)).status).toBe(400);

    const nodes = await k.viewer.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/nodes`);
    expect(nodes.status).toBe(200);
    expect(nodes.body.nodes.map((n: any) => [n.node, n.status])).toEqual([
      ['pve1', 'online'],
      ['pve2', 'online'],
    ]);
    expect(nodes.body.nodes[0].maxmem).toBeGreaterThan(0);
  });
});
