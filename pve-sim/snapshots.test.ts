// Snapshots as qemu-server, pve-container and pve-guest-common handle them: the tree with its
// "You are here!" entry, create/rollback/delete tasks with their locks, RAM state, the snapshot
// sections of the config, and every refusal in Proxmox's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from './index';
import type { SimServer } from './sim-server';
import { call, waitForTask } from './test-support/sim-client';

let sim: PveSim;
let s: SimServer;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 20,
    taskDurationMs: 80,
    scenario: {
      clusters: [
        {
          name: null,
          nodes: [{ name: 'pve1' }],
          guests: [
            {
              vmid: 100,
              type: 'qemu',
              node: 'pve1',
              name: 'web',
              status: 'running',
              snapshots: [
                { name: 'install', description: 'fresh <b>install</b>', ageHours: 72 },
                { name: 'upgrade', vmstate: true, ageHours: 48 },
                { name: 'branch', parent: 'install', ageHours: 24 },
              ],
            },
            { vmid: 101, type: 'qemu', node: 'pve1', name: 'off' },
            { vmid: 102, type: 'qemu', node: 'pve1', name: 'locked', status: 'running', lock: 'backup' },
            { vmid: 103, type: 'qemu', node: 'pve1', name: 'tmpl', template: true },
            { vmid: 104, type: 'qemu', node: 'pve1', name: 'ram', status: 'running' },
            { vmid: 200, type: 'lxc', node: 'pve1', name: 'ct', status: 'running', snapshots: [{ name: 'first' }] },
            { vmid: 201, type: 'lxc', node: 'pve1', name: 'ct-locked', lock: 'mounted' },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

const get = (path: string, query?: Record<string, string | number>) => call(s, 'GET', path, { token: s.token, query });
const post = (path: string, form: Record<string, string | number> = {}, token = s.token) =>
  call(s, 'POST', path, { token, form });

interface SnapshotEntry {
  name: string;
  parent?: string;
  description: string;
  snaptime?: number;
  vmstate?: number;
  snapstate?: string;
  running?: number;
  digest?: string;
}

async function list(vmid: number, type = 'qemu'): Promise<SnapshotEntry[]> {
  return (await get(`/nodes/pve1/${type}/${vmid}/snapshot`)).body.data;
}

/** Starts a task and waits for its end; returns its exit status. */
async function task(res: { status: number; reason: string; body: { data: string } }): Promise<string | undefined> {
  expect(res.status, res.reason).toBe(200);
  return (await waitForTask(s, res.body.data)).exitstatus;
}

describe('the snapshot list', () => {
  it('is a tree through `parent`, ending with "You are here!" under the current snapshot', async () => {
    const entries = await list(100);
    expect(entries.map((e) => [e.name, e.parent])).toEqual([
      ['install', undefined],
      ['upgrade', 'install'],
      ['branch', 'install'],
      ['current', 'branch'],
    ]);
    const [install, upgrade] = entries;
    expect(install).toMatchObject({ description: 'fresh <b>install</b>', vmstate: 0 });
    expect(upgrade).toMatchObject({ description: '', vmstate: 1 });
    expect(install?.snaptime).toBeCloseTo(Date.now() / 1000 - 72 * 3600, -2);
    expect(entries.at(-1)).toMatchObject({ description: 'You are here!', running: 1, digest: expect.any(String) });
    // Containers have no RAM state, so no vmstate either.
    expect(await list(200, 'lxc')).toEqual([
      { name: 'first', snaptime: expect.any(Number), description: '' },
      { name: 'current', parent: 'first', running: 1, description: 'You are here!', digest: expect.any(String) },
    ]);
  });

  it('has a per-snapshot directory with rollback and config', async () => {
    expect((await get('/nodes/pve1/qemu/100/snapshot/install')).body.data).toEqual([
      { cmd: 'rollback' },
      { cmd: 'config' },
    ]);
  });

  it('shows in the config as `parent`, and a snapshot section through ?snapshot=', async () => {
    expect((await get('/nodes/pve1/qemu/100/config')).body.data.parent).toBe('branch');
    const snap = (await get('/nodes/pve1/qemu/100/config', { snapshot: 'upgrade' })).body.data;
    expect(snap).toMatchObject({
      name: 'web',
      parent: 'install',
      snaptime: expect.any(Number),
      vmstate: 'local-lvm:vm-100-state-upgrade',
      runningmachine: expect.any(String),
      digest: expect.any(String),
    });
    expect(snap.lock).toBeUndefined();
    expect((await get('/nodes/pve1/qemu/100/snapshot/install/config')).body.data.description).toBe(
      'fresh <b>install</b>',
    );
    const missing = await get('/nodes/pve1/qemu/100/config', { snapshot: 'nope' });
    expect([missing.status, missing.reason]).toEqual([500, "snapshot 'nope' does not exist"]);
    const both = await get('/nodes/pve1/qemu/100/config', { snapshot: 'install', current: 1 });
    expect(both.body.errors).toEqual({
      snapshot: "cannot use 'snapshot' parameter with 'current'",
      current: "cannot use 'snapshot' parameter with 'current'",
    });
  });
});

describe('taking a snapshot', () => {
  it('makes the new snapshot the parent of the current state', async () => {
    const res = await post('/nodes/pve1/qemu/100/snapshot', { snapname: 'before-deploy', description: 'deploy 42' });
    expect(res.body.data).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmsnapshot:100:root@pam!pve-sim:$/);
    expect(await task(res)).toBe('OK');
    const config = (await get('/nodes/pve1/qemu/100/config')).body.data;
    expect(config.lock).toBeUndefined();
    expect(config.parent).toBe('before-deploy');
    const entries = await list(100);
    expect(entries.find((e) => e.name === 'before-deploy')).toMatchObject({ parent: 'branch', vmstate: 0 });
    expect(entries.at(-1)?.parent).toBe('before-deploy');
    const log = (await get(`/nodes/pve1/tasks/${encodeURIComponent(res.body.data)}/log`)).body.data as { t: string }[];
    expect(log.map((l) => l.t)).toEqual(
      expect.arrayContaining(["snapshotting 'drive-scsi0' (local-lvm:vm-100-disk-0)", 'TASK OK']),
    );
  });

  it('saves the RAM of a running VM with vmstate, and ignores vmstate for a stopped one', async () => {
    expect(await task(await post('/nodes/pve1/qemu/104/snapshot', { snapname: 'with-ram', vmstate: 1 }))).toBe('OK');
    expect((await list(104)).find((e) => e.name === 'with-ram')?.vmstate).toBe(1);
    expect(await task(await post('/nodes/pve1/qemu/101/snapshot', { snapname: 'cold', vmstate: 1 }))).toBe('OK');
    expect((await list(101)).find((e) => e.name === 'cold')?.vmstate).toBe(0);
    expect((await get('/nodes/pve1/qemu/101/config', { snapshot: 'cold' })).body.data.vmstate).toBeUndefined();
  });

  it('refuses reserved names in the call, as each handler does', async () => {
    const cases: [string, string, string][] = [
      ['qemu/100', 'current', "unable to use snapshot name 'current' (reserved name)"],
      ['qemu/100', 'PENDING', "unable to use snapshot name 'pending' (reserved name)"],
      ['lxc/200', 'current', "unable to use snapshot name 'current' (reserved name)"],
      ['lxc/200', 'vzdump', "unable to use snapshot name 'vzdump' (reserved name)"],
    ];
    for (const [guest, snapname, reason] of cases) {
      const res = await post(`/nodes/pve1/${guest}/snapshot`, { snapname });
      expect([res.status, res.reason], `${guest} ${snapname}`).toEqual([500, reason]);
    }
    // Reserved only for the other guest type.
    expect(await task(await post('/nodes/pve1/lxc/200/snapshot', { snapname: 'pending' }))).toBe('OK');
    expect(await task(await post('/nodes/pve1/qemu/101/snapshot', { snapname: 'vzdump' }))).toBe('OK');
  });

  it('refuses names that are not configuration IDs before anything happens', async () => {
    const cases: [string, string][] = [
      ['a', "invalid format - invalid configuration ID 'a'\n"],
      ['1st', "invalid format - invalid configuration ID '1st'\n"],
      ['two words', "invalid format - invalid configuration ID 'two words'\n"],
      ['dots.are.out', "invalid format - invalid configuration ID 'dots.are.out'\n"],
      [`x${'y'.repeat(40)}`, 'value may only be 40 characters long'],
    ];
    for (const [snapname, error] of cases) {
      const res = await post('/nodes/pve1/qemu/101/snapshot', { snapname });
      expect([res.status, res.body.errors], snapname).toEqual([400, { snapname: error }]);
    }
    const path = await get('/nodes/pve1/qemu/100/snapshot/bad%20name/config');
    expect(path.body.errors).toEqual({ snapname: "invalid format - invalid configuration ID 'bad name'\n" });
  });

  it('fails the task for a duplicate name, a lock, a template and a running snapshot task', async () => {
    expect(await task(await post('/nodes/pve1/qemu/100/snapshot', { snapname: 'install' }))).toBe(
      "snapshot name 'install' already used",
    );
    expect(await task(await post('/nodes/pve1/qemu/102/snapshot', { snapname: 'x1' }))).toBe('VM is locked (backup)');
    expect(await task(await post('/nodes/pve1/lxc/201/snapshot', { snapname: 'x1' }))).toBe('CT is locked (mounted)');
    expect(await task(await post('/nodes/pve1/qemu/103/snapshot', { snapname: 'x1' }))).toBe(
      "you can't take a snapshot if it's a template",
    );
    // A failed snapshot leaves no trace: no lock, no entry.
    expect((await list(100)).filter((e) => e.name === 'install')).toHaveLength(1);
    expect(s.guest(100)?.lock).toBeUndefined();
  });

  it('answers an unknown VM at once, but an unknown container only in the task', async () => {
    const vm = await post('/nodes/pve1/qemu/999/snapshot', { snapname: 'x1' });
    expect([vm.status, vm.reason]).toEqual([
      500,
      "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist",
    ]);
    expect(await task(await post('/nodes/pve1/lxc/999/snapshot', { snapname: 'x1' }))).toBe(
      "Configuration file 'nodes/pve1/lxc/999.conf' does not exist",
    );
  });

  it('needs VM.Snapshot', async () => {
    const user = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    const res = await post('/nodes/pve1/qemu/101/snapshot', { snapname: 'x1' }, user);
    expect([res.status, res.reason]).toEqual([403, 'Permission check failed (/vms/101, VM.Snapshot)']);
  });
});

describe('snapshot config', () => {
  it('updates the description only, and only when one is given', async () => {
    const path = '/nodes/pve1/qemu/100/snapshot/install/config';
    const put = (form: Record<string, string>) => call(s, 'PUT', path, { token: s.token, form });
    expect((await put({ description: 'renamed <i>notes</i>' })).body.data).toBeNull();
    expect((await list(100)).find((e) => e.name === 'install')?.description).toBe('renamed <i>notes</i>');
    // Without a description nothing is checked: not even that the snapshot exists.
    const noop = await call(s, 'PUT', '/nodes/pve1/qemu/100/snapshot/ghost/config', { token: s.token });
    expect(noop.status).toBe(200);
    const ghost = await call(s, 'PUT', '/nodes/pve1/qemu/100/snapshot/ghost/config', {
      token: s.token,
      form: { description: 'x' },
    });
    expect([ghost.status, ghost.reason]).toEqual([500, "snapshot 'ghost' does not exist"]);
    const locked = await call(s, 'PUT', '/nodes/pve1/qemu/102/snapshot/any/config', {
      token: s.token,
      form: { description: 'x' },
    });
    expect(locked.reason).toBe('VM is locked (backup)');
  });

  it('can be read with any of VM.Snapshot, VM.Snapshot.Rollback or VM.Audit', async () => {
    const rollbackOnly = s.addToken({ privsep: true, acls: [{ path: '/vms', privs: ['VM.Snapshot.Rollback'] }] });
    const res = await call(s, 'GET', '/nodes/pve1/qemu/100/snapshot/install/config', { token: rollbackOnly });
    expect(res.status).toBe(200);
    const none = s.addToken({ privsep: true, acls: [{ path: '/vms', privs: ['VM.Console'] }] });
    const denied = await call(s, 'GET', '/nodes/pve1/qemu/100/snapshot/install/config', { token: none });
    expect(denied.reason).toBe('Permission check failed (/vms/100, VM.Snapshot|VM.Snapshot.Rollback|VM.Audit)');
  });
});

describe('rollback', () => {
  it('stops a running VM, restores the configuration and makes the snapshot the parent', async () => {
    const guest = s.guest(100);
    if (!guest) throw new Error('no guest');
    const cores = guest.cpus;
    guest.cpus = cores + 4;
    const res = await post('/nodes/pve1/qemu/100/snapshot/install/rollback');
    expect(res.body.data).toMatch(/:qmrollback:100:/);
    expect(await task(res)).toBe('OK');
    expect(guest.status).toBe('stopped');
    expect(guest.lock).toBeUndefined();
    expect(guest.cpus).toBe(cores);
    expect((await get('/nodes/pve1/qemu/100/config')).body.data).toMatchObject({ parent: 'install', cores });
    expect((await list(100)).at(-1)?.parent).toBe('install');
  });

  it('starts the VM again from a snapshot with RAM state, or when asked to', async () => {
    expect(await task(await post('/nodes/pve1/qemu/100/snapshot/upgrade/rollback'))).toBe('OK');
    expect(s.guest(100)?.status).toBe('running');
    expect(await task(await post('/nodes/pve1/qemu/100/snapshot/install/rollback', { start: 1 }))).toBe('OK');
    expect(s.guest(100)?.status).toBe('running');
  });

  it('needs VM.PowerMgmt for start=1 on a VM (qemu-server), not on a container (pve-container)', async () => {
    const rollbackOnly = s.addToken({ privsep: true, acls: [{ path: '/vms', privs: ['VM.Snapshot.Rollback'] }] });
    const vm = await post('/nodes/pve1/qemu/100/snapshot/install/rollback', { start: 1 }, rollbackOnly);
    expect([vm.status, vm.reason]).toEqual([403, 'Permission check failed (/vms/100, VM.PowerMgmt)']);
    expect(await task(await post('/nodes/pve1/qemu/100/snapshot/install/rollback', {}, rollbackOnly))).toBe('OK');
    const ct = await post('/nodes/pve1/lxc/200/snapshot/first/rollback', { start: 1 }, rollbackOnly);
    expect(await task(ct)).toBe('OK');
    expect(s.guest(200)?.status).toBe('running');
    const none = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    const denied = await post('/nodes/pve1/qemu/100/snapshot/install/rollback', {}, none);
    expect(denied.reason).toBe('Permission check failed (/vms/100, VM.Snapshot|VM.Snapshot.Rollback)');
  });

  it('stops a running container and fails for an unknown snapshot or a lock', async () => {
    expect(await task(await post('/nodes/pve1/lxc/200/snapshot/first/rollback'))).toBe('OK');
    expect(s.guest(200)?.status).toBe('stopped');
    expect(await task(await post('/nodes/pve1/lxc/200/snapshot/ghost/rollback'))).toBe(
      "snapshot 'ghost' does not exist",
    );
    const source = s.guest(100)?.snapshots.get('install');
    if (!source) throw new Error('no snapshot to copy');
    s.guest(102)?.snapshots.set('old', { ...source, name: 'old' });
    expect(await task(await post('/nodes/pve1/qemu/102/snapshot/old/rollback'))).toBe('VM is locked (backup)');
  });
});

describe('deleting a snapshot', () => {
  it('moves children and the current state up to its parent', async () => {
    // install ← upgrade, install ← branch ← before-deploy; current is under install now.
    const res = await call(s, 'DELETE', '/nodes/pve1/qemu/100/snapshot/install', {
      token: s.token,
      query: { force: 1 },
    });
    expect(res.body.data).toMatch(/:qmdelsnapshot:100:/);
    expect(await task(res)).toBe('OK');
    const entries = await list(100);
    expect(entries.map((e) => e.name)).not.toContain('install');
    expect(entries.find((e) => e.name === 'upgrade')?.parent).toBeUndefined();
    expect(entries.find((e) => e.name === 'branch')?.parent).toBeUndefined();
    expect(entries.at(-1)?.parent).toBeUndefined();
    expect(s.guest(100)?.lock).toBeUndefined();
  });

  it('fails the task for an unknown snapshot', async () => {
    const res = await call(s, 'DELETE', '/nodes/pve1/qemu/100/snapshot/ghost', { token: s.token });
    expect(await task(res)).toBe("snapshot 'ghost' does not exist");
  });

  it('lists its tasks in the guest task history', async () => {
    const tasks = (await get('/nodes/pve1/tasks', { vmid: 100 })).body.data as { type: string }[];
    expect(new Set(tasks.map((t) => t.type))).toEqual(new Set(['qmsnapshot', 'qmrollback', 'qmdelsnapshot']));
  });
});

describe('while a snapshot task runs', () => {
  // Slow tasks, so that every look at the guest surely falls inside the task.
  let slow: PveSim;
  let server: SimServer;
  beforeAll(async () => {
    slow = await startPveSim({
      taskDurationMs: 1000,
      scenario: {
        clusters: [
          {
            nodes: [{ name: 'n1' }],
            guests: [
              { vmid: 100, type: 'qemu', node: 'n1', status: 'running', snapshots: [{ name: 'base' }] },
              { vmid: 101, type: 'qemu', node: 'n1', status: 'running', snapshots: [{ name: 'base' }] },
            ],
          },
        ],
      },
    });
    server = slow.servers[0] as SimServer;
  });
  afterAll(() => slow.close());

  const at = (path: string, method = 'GET', form?: Record<string, string>) =>
    call(server, method, `/nodes/n1/qemu${path}`, { token: server.token, form });

  it('shows lock: snapshot in config, status and resources, and a second snapshot fails on it', async () => {
    const first = await at('/100/snapshot', 'POST', { snapname: 'one' });
    const second = await at('/100/snapshot', 'POST', { snapname: 'two' });
    expect((await at('/100/config')).body.data.lock).toBe('snapshot');
    expect((await at('/100/status/current')).body.data.lock).toBe('snapshot');
    const resources = (await call(server, 'GET', '/cluster/resources', { token: server.token })).body.data as {
      vmid?: number;
      lock?: string;
    }[];
    expect(resources.find((r) => r.vmid === 100)?.lock).toBe('snapshot');
    const entries = (await at('/100/snapshot')).body.data as SnapshotEntry[];
    expect(entries.find((e) => e.name === 'one')?.snapstate).toBe('prepare');
    expect((await waitForTask(server, second.body.data)).exitstatus).toBe('VM is locked (snapshot)');
    expect((await waitForTask(server, first.body.data, 5000)).exitstatus).toBe('OK');
    expect([...(server.guest(100)?.snapshots.keys() ?? [])]).toEqual(['base', 'one']);
    expect(server.guest(100)?.lock).toBeUndefined();
  });

  it('shows lock: rollback on a stopped VM during a rollback, and snapshot-delete during a delete', async () => {
    const rollback = await at('/101/snapshot/base/rollback', 'POST');
    expect((await at('/101/status/current')).body.data).toMatchObject({ status: 'stopped', lock: 'rollback' });
    expect((await waitForTask(server, rollback.body.data, 5000)).exitstatus).toBe('OK');
    const del = await at('/101/snapshot/base', 'DELETE');
    expect((await at('/101/config')).body.data.lock).toBe('snapshot-delete');
    const entries = (await at('/101/snapshot')).body.data as SnapshotEntry[];
    expect(entries.find((e) => e.name === 'base')?.snapstate).toBe('delete');
    expect((await waitForTask(server, del.body.data, 5000)).exitstatus).toBe('OK');
    expect((await at('/101/config')).body.data.lock).toBeUndefined();
  });
});
