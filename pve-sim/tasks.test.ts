// Task lists and logs as PVE::API2::Tasks serves them: finished tasks by default, running ones
// with source=active|all (status RUNNING), filters by guest, type, user and status, paging with a
// total, the token split into user and tokenid, and logs read in pages (limit 0: to the end).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call, waitForTask } from './test-support/sim-client';

let sim: PveSim;
let s: SimServer;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 20,
    taskDurationMs: 40,
    scenario: {
      clusters: [
        {
          nodes: [{ name: 'pve1' }],
          guests: [
            { vmid: 100, type: 'qemu', node: 'pve1', status: 'running' },
            { vmid: 101, type: 'qemu', node: 'pve1' },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

const get = (path: string, query?: Record<string, string | number>) => call(s, 'GET', path, { token: s.token, query });

interface TaskEntry {
  upid: string;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status?: string;
  starttime: number;
  endtime?: number;
  pid: number;
  pstart: number;
  node: string;
}

/** A task that never ends by itself, one that ends with a warning and one that fails. */
function seedTasks() {
  const node = s.node;
  const base = { node: node.name, nodeBootTime: node.bootTime, user: 'root@pam', log: [] };
  const running = s.cluster.tasks.start({ ...base, type: 'qmigrate', id: '100', durationMs: null });
  s.cluster.tasks.spawn({ ...base, type: 'qmconfig', id: '100' }, (w) => w.warn('old setting ignored'));
  s.cluster.tasks.spawn({ ...base, type: 'qmconfig', id: '101' }, () => {
    throw new Error('something broke\n');
  });
  return running;
}

describe('GET /nodes/{node}/tasks', () => {
  it('lists finished tasks by default and running ones with source=active or all', async () => {
    const running = seedTasks();
    const done = (await call(s, 'POST', '/nodes/pve1/qemu/101/status/start', { token: s.token })).body.data;
    await waitForTask(s, done);
    const archive = (await get('/nodes/pve1/tasks')).body.data as TaskEntry[];
    expect(archive.map((t) => t.upid)).not.toContain(running.upid);
    expect(archive.find((t) => t.upid === done)).toMatchObject({
      type: 'qmstart',
      id: '101',
      user: 'root@pam',
      tokenid: 'pve-sim',
      status: 'OK',
      node: 'pve1',
      endtime: expect.any(Number),
      pid: expect.any(Number),
      pstart: expect.any(Number),
    });
    const active = (await get('/nodes/pve1/tasks', { source: 'active' })).body.data as TaskEntry[];
    expect(active).toEqual([expect.objectContaining({ upid: running.upid, status: 'RUNNING' })]);
    expect(active[0]?.endtime).toBeUndefined();
    const all = (await get('/nodes/pve1/tasks', { source: 'all' })).body;
    expect(all.data[0]).toMatchObject({ upid: running.upid, status: 'RUNNING' });
    expect(all.total).toBe(archive.length + 1);
  });

  it('filters by vmid, type, user and status; errors=1 keeps all but OK', async () => {
    const byVm = (await get('/nodes/pve1/tasks', { vmid: 101 })).body.data as TaskEntry[];
    expect(new Set(byVm.map((t) => t.id))).toEqual(new Set(['101']));
    const byType = (await get('/nodes/pve1/tasks', { typefilter: 'qmconfig' })).body.data as TaskEntry[];
    expect(byType.map((t) => t.status).sort()).toEqual(['WARNINGS: 1', 'something broke']);
    const errors = (await get('/nodes/pve1/tasks', { errors: 1, source: 'all' })).body.data as TaskEntry[];
    expect(errors.map((t) => t.status).sort()).toEqual(['RUNNING', 'WARNINGS: 1', 'something broke']);
    const warnings = (await get('/nodes/pve1/tasks', { statusfilter: 'warning' })).body.data as TaskEntry[];
    expect(warnings.map((t) => t.status)).toEqual(['WARNINGS: 1']);
    expect((await get('/nodes/pve1/tasks', { userfilter: 'PVE-SIM' })).body.data.length).toBeGreaterThan(0);
    expect((await get('/nodes/pve1/tasks', { userfilter: 'nobody' })).body.data).toEqual([]);
  });

  it('pages with start and limit, newest first, total counting every match', async () => {
    const all = (await get('/nodes/pve1/tasks', { limit: 500 })).body as { data: TaskEntry[]; total: number };
    expect(all.total).toBe(all.data.length);
    const page = (await get('/nodes/pve1/tasks', { start: 1, limit: 2 })).body as { data: TaskEntry[]; total: number };
    expect(page.total).toBe(all.total);
    expect(page.data.map((t) => t.upid)).toEqual(all.data.slice(1, 3).map((t) => t.upid));
    const starts = all.data.map((t) => t.starttime);
    expect([...starts].sort((x, y) => y - x)).toEqual(starts);
  });
});

describe('GET /nodes/{node}/tasks/{upid}/log', () => {
  it('reads lines {n, t} in pages; limit 0 reads to the end; WARN lines and TASK WARNINGS', async () => {
    const task = (await get('/nodes/pve1/tasks', { typefilter: 'qmconfig', statusfilter: 'warning' })).body
      .data[0] as TaskEntry;
    const path = `/nodes/pve1/tasks/${encodeURIComponent(task.upid)}/log`;
    const full = (await get(path, { limit: 0 })).body;
    expect(full).toMatchObject({
      data: [
        { n: 1, t: 'WARN: old setting ignored' },
        { n: 2, t: 'TASK WARNINGS: 1' },
      ],
      total: 2,
    });
    expect((await get(path, { start: 1, limit: 1 })).body.data).toEqual([{ n: 2, t: 'TASK WARNINGS: 1' }]);
    expect((await get(path, { download: 1, limit: 5 })).reason).toBe(
      "'download' cannot be used together with 'start' or 'limit' parameters",
    );
  });

  it('reads an empty log as one line "no content", as dump_logfile does', async () => {
    const reply = (await call(s, 'POST', '/nodes/pve1/termproxy', { token: s.token })).body.data;
    const log = (await get(`/nodes/pve1/tasks/${encodeURIComponent(reply.upid)}/log`)).body;
    expect(log).toMatchObject({ data: [{ n: 1, t: 'no content' }], total: 1 });
  });

  it('shows a failed worker’s error as TASK ERROR and as the exit status', async () => {
    const failed = (await get('/nodes/pve1/tasks', { statusfilter: 'error' })).body.data[0] as TaskEntry;
    const status = (await get(`/nodes/pve1/tasks/${encodeURIComponent(failed.upid)}/status`)).body.data;
    expect(status).toMatchObject({ status: 'stopped', exitstatus: 'something broke', user: 'root@pam' });
    const log = (await get(`/nodes/pve1/tasks/${encodeURIComponent(failed.upid)}/log`)).body.data;
    expect(log.at(-1)).toEqual({ n: 1, t: 'TASK ERROR: something broke' });
  });
});
