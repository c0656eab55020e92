// Power actions: UPIDs, tasks that run and then change the guest, failed task versus immediate
// 500, QEMU-only reset, paused guests, HA-managed guests, locks, templates and offline nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call, waitForTask } from './test-support/sim-client';

let sim: PveSim;
let s: SimServer;
const TASK_MS = 60;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 50,
    taskDurationMs: TASK_MS,
    scenario: {
      clusters: [
        {
          name: 'power',
          nodes: [{ name: 'pve1' }, { name: 'pve2' }],
          guests: [
            { vmid: 100, type: 'qemu', node: 'pve1', name: 'stopped-vm' },
            { vmid: 101, type: 'qemu', node: 'pve1', name: 'running-vm', status: 'running' },
            { vmid: 102, type: 'qemu', node: 'pve1', name: 'to-pause', status: 'running' },
            { vmid: 103, type: 'qemu', node: 'pve1', name: 'paused', status: 'paused' },
            { vmid: 104, type: 'qemu', node: 'pve1', name: 'ha', ha: true },
            { vmid: 105, type: 'qemu', node: 'pve1', name: 'locked', status: 'running', lock: 'backup' },
            { vmid: 106, type: 'qemu', node: 'pve1', name: 'template', template: true },
            { vmid: 107, type: 'qemu', node: 'pve1', name: 'reset-me', status: 'running' },
            { vmid: 200, type: 'lxc', node: 'pve1', name: 'ct-running', status: 'running' },
            { vmid: 201, type: 'lxc', node: 'pve1', name: 'ct-stopped' },
            { vmid: 202, type: 'lxc', node: 'pve1', name: 'ct-ha', status: 'running', ha: true },
            { vmid: 203, type: 'lxc', node: 'pve1', name: 'ct-stays-stopped' },
            { vmid: 300, type: 'qemu', node: 'pve2', name: 'remote', status: 'running' },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

const post = (path: string, form?: Record<string, string | number>) => call(s, 'POST', path, { token: s.token, form });
const get = (path: string) => call(s, 'GET', path, { token: s.token });
const UPID = /^UPID:([a-zA-Z0-9-]+):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

describe('tasks', () => {
  it('start returns a UPID with trailing colon; the task runs, then the guest is running', async () => {
    const res = await post('/nodes/pve1/qemu/100/status/start');
    expect(res.status).toBe(200);
    const upid = res.body.data as string;
    const m = UPID.exec(upid);
    expect(m?.slice(1)).toEqual([
      'pve1',
      expect.any(String),
      expect.any(String),
      expect.any(String),
      'qmstart',
      '100',
      'root@pam!pve-sim',
    ]);
    const running = (await get(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).body.data;
    // The task API splits a token's authid into the owner and the token's name.
    expect(running).toMatchObject({
      upid,
      node: 'pve1',
      type: 'qmstart',
      id: '100',
      user: 'root@pam',
      tokenid: 'pve-sim',
      status: 'running',
    });
    expect(running.exitstatus).toBeUndefined();
    expect(running.pid).toEqual(expect.any(Number));
    expect(running.starttime).toBeCloseTo(Date.now() / 1000, -1);
    expect((await get('/nodes/pve1/qemu/100/status/current')).body.data.status).toBe('stopped');
    expect(await waitForTask(s, upid)).toMatchObject({ status: 'stopped', exitstatus: 'OK' });
    const current = (await get('/nodes/pve1/qemu/100/status/current')).body.data;
    expect(current).toMatchObject({ status: 'running', qmpstatus: 'running' });
    expect(s.guest(100)?.status).toBe('running');
    const log = await call(s, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { token: s.token });
    expect(log.body.data.at(-1)).toEqual({ n: log.body.total, t: 'TASK OK' });
  });

  it('lists tasks of a node, newest first, with filters', async () => {
    const upid = (await post('/nodes/pve1/qemu/101/status/reboot')).body.data as string;
    await waitForTask(s, upid);
    const res = await call(s, 'GET', '/nodes/pve1/tasks', { token: s.token, query: { vmid: 101 } });
    expect(res.body.data[0]).toMatchObject({ upid, type: 'qmreboot', status: 'OK', endtime: expect.any(Number) });
    expect(res.body.total).toBe(res.body.data.length);
    const tasksDir = (await get(`/nodes/pve1/tasks/${encodeURIComponent(upid)}`)).body.data;
    expect(tasksDir).toEqual([{ name: 'log' }, { name: 'status' }]);
  });

  it('answers an unknown or malformed UPID with 400', async () => {
    const unknown = 'UPID:pve1:00001234:00ABCDEF:65000000:qmstart:100:root@pam:';
    const res = await get(`/nodes/pve1/tasks/${encodeURIComponent(unknown)}/status`);
    expect([res.status, res.reason]).toEqual([400, 'Parameter verification failed.']);
    expect(res.body.errors).toEqual({ upid: 'no such task' });
    const bad = await get('/nodes/pve1/tasks/not-a-upid/status');
    expect(bad.body.errors).toEqual({ upid: 'unable to parse worker upid' });
  });

  it('keeps tasks private to their owner unless the caller has Sys.Audit on the node', async () => {
    const owner = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    const other = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    const upid = (await call(s, 'POST', '/nodes/pve1/lxc/201/status/start', { token: owner })).body.data as string;
    const path = `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`;
    expect((await call(s, 'GET', path, { token: owner })).status).toBe(200);
    expect((await call(s, 'GET', path, { token: other })).status).toBe(403);
    expect((await call(s, 'GET', path, { token: s.token })).status).toBe(200);
    await waitForTask(s, upid);
  });
});

describe('qemu semantics', () => {
  it('starting a running VM succeeds as a call but the task fails', async () => {
    const res = await post('/nodes/pve1/qemu/101/status/start');
    expect(res.status).toBe(200);
    expect(await waitForTask(s, res.body.data)).toEqual(
      expect.objectContaining({ status: 'stopped', exitstatus: 'VM 101 already running' }),
    );
  });

  it('suspend pauses (status stays running, qmpstatus and resources say paused); resume runs again', async () => {
    await waitForTask(s, (await post('/nodes/pve1/qemu/102/status/suspend')).body.data);
    expect((await get('/nodes/pve1/qemu/102/status/current')).body.data).toMatchObject({
      status: 'running',
      qmpstatus: 'paused',
    });
    const resources = (await get('/cluster/resources?type=vm')).body.data as { vmid: number; status: string }[];
    expect(resources.find((r) => r.vmid === 102)?.status).toBe('paused');
    const shutdown = await post('/nodes/pve1/qemu/102/status/shutdown');
    expect([shutdown.status, shutdown.reason]).toEqual([500, 'VM is paused - cannot shutdown']);
    await waitForTask(s, (await post('/nodes/pve1/qemu/102/status/resume')).body.data);
    expect((await get('/nodes/pve1/qemu/102/status/current')).body.data.qmpstatus).toBe('running');
  });

  it('forceStop shuts a paused VM down', async () => {
    const res = await post('/nodes/pve1/qemu/103/status/shutdown', { forceStop: 1 });
    await waitForTask(s, res.body.data);
    expect(s.guest(103)?.status).toBe('stopped');
  });

  it('refuses reboot, reset, suspend and resume of a stopped VM at once', async () => {
    for (const action of ['reboot', 'reset', 'suspend', 'resume']) {
      const res = await post(`/nodes/pve1/qemu/106/status/${action}`);
      expect([res.status, res.reason], action).toEqual([500, 'VM 106 not running']);
    }
  });

  it('stopping a stopped VM is a successful task', async () => {
    const res = await post('/nodes/pve1/qemu/106/status/stop');
    expect(await waitForTask(s, res.body.data)).toMatchObject({ exitstatus: 'OK' });
  });

  it('reset restarts a running VM (uptime starts over)', async () => {
    const before = (await get('/nodes/pve1/qemu/107/status/current')).body.data.uptime as number;
    expect(before).toBeGreaterThan(100);
    await waitForTask(s, (await post('/nodes/pve1/qemu/107/status/reset')).body.data);
    expect((await get('/nodes/pve1/qemu/107/status/current')).body.data.uptime).toBeLessThan(5);
  });

  it('fails the task for a locked VM and for a template', async () => {
    const locked = await post('/nodes/pve1/qemu/105/status/stop');
    expect(await waitForTask(s, locked.body.data)).toMatchObject({ exitstatus: 'VM is locked (backup)' });
    expect(s.guest(105)?.status).toBe('running');
    const template = await post('/nodes/pve1/qemu/106/status/start');
    expect(await waitForTask(s, template.body.data)).toMatchObject({
      exitstatus: "you can't start a vm if it's a template",
    });
  });

  it('allows skiplock only for root@pam', async () => {
    const res = await post('/nodes/pve1/qemu/105/status/stop', { skiplock: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ skiplock: 'Only root may use this option.' });
  });

  it('rejects form booleans spelled true', async () => {
    const res = await post('/nodes/pve1/qemu/101/status/shutdown', { forceStop: 'true' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ forceStop: "type check ('boolean') failed - got 'true'" });
  });

  it('takes parameters as JSON as well', async () => {
    const res = await call(s, 'POST', '/nodes/pve1/qemu/101/status/shutdown', {
      token: s.token,
      json: { forceStop: true, timeout: 30 },
    });
    expect(res.status).toBe(200);
    await waitForTask(s, res.body.data);
    expect(s.guest(101)?.status).toBe('stopped');
  });
});

describe('lxc semantics', () => {
  it('starting a running container is an immediate 500', async () => {
    const res = await post('/nodes/pve1/lxc/200/status/start');
    expect([res.status, res.reason]).toEqual([500, 'CT 200 already running']);
    expect(res.body.message).toBe('CT 200 already running\n');
  });

  it('has no reset; stop/shutdown/reboot of a stopped container fail at once', async () => {
    expect((await post('/nodes/pve1/lxc/200/status/reset')).status).toBe(501);
    for (const action of ['stop', 'shutdown', 'reboot', 'suspend']) {
      const res = await post(`/nodes/pve1/lxc/203/status/${action}`);
      expect([res.status, res.reason], action).toEqual([500, 'CT 203 not running']);
    }
  });

  it('shutdown runs as a vzshutdown task', async () => {
    const res = await post('/nodes/pve1/lxc/200/status/shutdown', { timeout: 10 });
    expect(UPID.exec(res.body.data)?.[5]).toBe('vzshutdown');
    await waitForTask(s, res.body.data);
    expect((await get('/nodes/pve1/lxc/200/status/current')).body.data.status).toBe('stopped');
  });
});

describe('HA-managed guests', () => {
  it('start only requests the state: hastart task, then the HA manager starts the VM as root@pam', async () => {
    const res = await post('/nodes/pve1/qemu/104/status/start');
    expect(UPID.exec(res.body.data)?.[5]).toBe('hastart');
    expect(await waitForTask(s, res.body.data)).toMatchObject({ exitstatus: 'OK' });
    expect((await get('/nodes/pve1/qemu/104/status/current')).body.data.ha).toEqual({ managed: 1, state: 'started' });
    const deadline = Date.now() + 2000;
    while (s.guest(104)?.status !== 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(s.guest(104)?.status).toBe('running');
    const tasks = (await call(s, 'GET', '/nodes/pve1/tasks', { token: s.token, query: { vmid: 104 } })).body.data;
    expect(tasks).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'qmstart', user: 'root@pam', status: 'OK' })]),
    );
  });

  it('stop and shutdown become hastop', async () => {
    const res = await post('/nodes/pve1/lxc/202/status/shutdown');
    expect(UPID.exec(res.body.data)?.[5]).toBe('hastop');
    await waitForTask(s, res.body.data);
    const resources = (await get('/cluster/resources?type=vm')).body.data as { vmid: number; hastate?: string }[];
    expect(resources.find((r) => r.vmid === 202)?.hastate).toBe('stopped');
  });
});

describe('offline nodes', () => {
  it('answers requests for an offline node with 595 and shows its guests as unknown', async () => {
    s.setNodeOnline('pve2', false);
    try {
      const res = await post('/nodes/pve2/qemu/300/status/stop');
      expect([res.status, res.reason]).toEqual([595, 'No route to host']);
      expect((await get('/nodes/pve2/qemu')).status).toBe(595);
      expect((await get('/nodes/pve2/status')).status).toBe(595);
      const vm = ((await get('/cluster/resources?type=vm')).body.data as Record<string, unknown>[]).find(
        (r) => r.vmid === 300,
      );
      expect(vm).toEqual({ id: 'qemu/300', type: 'qemu', vmid: 300, node: 'pve2', status: 'unknown' });
      const node = ((await get('/nodes')).body.data as Record<string, unknown>[]).find((n) => n.node === 'pve2');
      expect(node?.status).toBe('offline');
      expect(node?.cpu).toBeUndefined();
      const cluster = (await get('/cluster/status')).body.data as Record<string, unknown>[];
      expect(cluster[0]?.quorate).toBe(0);
      expect(cluster.find((e) => e.name === 'pve2')?.online).toBe(0);
      // RRD history is cluster-wide, so it still answers.
      expect(
        (await call(s, 'GET', '/nodes/pve2/qemu/300/rrddata', { token: s.token, query: { timeframe: 'hour' } })).status,
      ).toBe(200);
    } finally {
      s.setNodeOnline('pve2', true);
    }
    expect((await get('/nodes/pve2/qemu')).status).toBe(200);
  });
});
