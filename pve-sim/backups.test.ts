// Storages and backups: a node's storages with usage, their content as pve-storage lists it
// (backups with volid, size, ctime, notes, format, subtype), who may see which volume, and
// vzdump with its checks, its task log, its locks and the archive it leaves behind.
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
          name: 'lab',
          nodes: [{ name: 'pve1' }, { name: 'pve2' }],
          guests: [
            {
              vmid: 100,
              type: 'qemu',
              node: 'pve1',
              name: 'web',
              status: 'running',
              agent: true,
              backups: [
                { ageHours: 30, notes: 'nightly\nsecond line' },
                { ageHours: 200, compress: '0', protected: true },
              ],
            },
            { vmid: 101, type: 'qemu', node: 'pve1', name: 'locked', lock: 'snapshot' },
            { vmid: 102, type: 'qemu', node: 'pve1', name: 'ha', status: 'running', ha: true },
            { vmid: 103, type: 'qemu', node: 'pve1', name: 'stop-me', status: 'running' },
            { vmid: 200, type: 'lxc', node: 'pve1', name: 'ct', status: 'running', backups: [{ compress: 'gzip' }] },
            { vmid: 300, type: 'qemu', node: 'pve2', name: 'elsewhere', backups: [{}] },
          ],
        },
      ],
    },
  });
  s = sim.servers[0] as SimServer;
});
afterAll(() => sim.close());

const get = (path: string, query?: Record<string, string | number>, token = s.token) =>
  call(s, 'GET', path, { token, query });
const vzdump = (form: Record<string, string | number>, token = s.token) =>
  call(s, 'POST', '/nodes/pve1/vzdump', { token, form });

interface Volume {
  volid: string;
  content: string;
  format: string;
  size: number;
  ctime?: number;
  vmid?: number;
  notes?: string;
  subtype?: string;
  protected?: number;
}

async function backups(vmid?: number, token = s.token): Promise<Volume[]> {
  const query: Record<string, string | number> = { content: 'backup' };
  if (vmid !== undefined) query.vmid = vmid;
  return (await get('/nodes/pve1/storage/local/content', query, token)).body.data;
}

async function taskLog(upid: string): Promise<string[]> {
  const res = await get(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { limit: 0 });
  return (res.body.data as { t: string }[]).map((l) => l.t);
}

describe('node storages', () => {
  it('lists local and local-lvm with type, content, usage, and active/enabled/shared', async () => {
    const list = (await get('/nodes/pve1/storage')).body.data as Record<string, unknown>[];
    expect(list.map((e) => [e.storage, e.type, e.content])).toEqual([
      ['local', 'dir', 'backup,iso,vztmpl'],
      ['local-lvm', 'lvmthin', 'images,rootdir'],
    ]);
    for (const entry of list) {
      expect(entry).toMatchObject({ active: 1, enabled: 1, shared: 0 });
      expect(Number(entry.used) + Number(entry.avail)).toBe(entry.total);
      expect(entry.used_fraction).toBeCloseTo(Number(entry.used) / Number(entry.total), 6);
    }
    const forBackups = (await get('/nodes/pve1/storage', { content: 'backup' })).body.data as { storage: string }[];
    expect(forBackups.map((e) => e.storage)).toEqual(['local']);
    const unknown = await get('/nodes/pve1/storage', { storage: 'nas' });
    expect([unknown.status, unknown.body.errors]).toEqual([400, { storage: 'No such storage.' }]);
  });

  it('reads one storage, with its directory', async () => {
    const status = (await get('/nodes/pve1/storage/local/status')).body.data;
    expect(status).toMatchObject({ type: 'dir', content: 'backup,iso,vztmpl', active: 1, enabled: 1, shared: 0 });
    expect((await get('/nodes/pve1/storage/local')).body.data).toEqual([{ subdir: 'content' }, { subdir: 'status' }]);
    const unknown = await get('/nodes/pve1/storage/nas/status');
    expect(unknown.body.errors).toEqual({ storage: 'No such storage.' });
    expect((await get('/nodes/pve1/storage/x/status')).body.errors).toEqual({
      storage: "invalid format - storage ID 'x' cannot be shorter than 2 characters\n",
    });
  });

  it('hides storages from callers without Datastore.Audit or Datastore.AllocateSpace', async () => {
    const vmUser = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    expect((await get('/nodes/pve1/storage', undefined, vmUser)).body.data).toEqual([]);
    const denied = await get('/nodes/pve1/storage/local/content', undefined, vmUser);
    expect(denied.reason).toBe('Permission check failed (/storage/local, Datastore.Audit|Datastore.AllocateSpace)');
  });

  it('answers 595 for an offline node', async () => {
    s.setNodeOnline('pve2', false);
    try {
      expect((await get('/nodes/pve2/storage')).status).toBe(595);
      expect((await get('/nodes/pve2/storage/local/content')).status).toBe(595);
    } finally {
      s.setNodeOnline('pve2', true);
    }
  });
});

describe('storage content', () => {
  it('lists a guest’s backups with volid, size, ctime, notes (first line), format and subtype', async () => {
    const list = await backups(100);
    expect(list).toHaveLength(2);
    for (const b of list) {
      expect(b.volid).toMatch(/^local:backup\/vzdump-qemu-100-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.vma(\.zst)?$/);
      expect(b).toMatchObject({ content: 'backup', subtype: 'qemu', vmid: 100, size: expect.any(Number) });
    }
    // Sorted by volid, i.e. oldest first for one guest.
    const [older, newer] = list as [Volume, Volume];
    expect(older).toMatchObject({ format: 'vma', protected: 1 });
    expect(older.notes).toBeUndefined();
    expect(newer).toMatchObject({ format: 'vma.zst', notes: 'nightly' });
    expect(newer.ctime).toBeCloseTo(Date.now() / 1000 - 30 * 3600, -2);
    const stamp = new Date((newer.ctime ?? 0) * 1000).toISOString().replace(/[-:]/g, '_').replace('T', '-');
    expect(newer.volid).toContain(stamp.slice(0, 19));
    expect((await backups(200))[0]).toMatchObject({ format: 'tar.gz', subtype: 'lxc' });
    // pve2's local storage is its own: its backups are not pve1's.
    expect((await backups()).map((b) => b.vmid)).not.toContain(300);
  });

  it('lists ISO images, templates and the guests’ disks on the thin pool', async () => {
    const local = (await get('/nodes/pve1/storage/local/content')).body.data as Volume[];
    expect(new Set(local.map((v) => v.content))).toEqual(new Set(['backup', 'iso', 'vztmpl']));
    const images = (await get('/nodes/pve1/storage/local-lvm/content', { vmid: 100 })).body.data as Volume[];
    expect(images.map((v) => v.volid)).toContain('local-lvm:vm-100-disk-0');
    expect(images.every((v) => v.content === 'images' && v.format === 'raw')).toBe(true);
    const rootfs = (await get('/nodes/pve1/storage/local-lvm/content', { content: 'rootdir' })).body.data as Volume[];
    expect(rootfs.map((v) => v.volid)).toContain('local-lvm:vm-200-disk-0');
    expect(rootfs.every((v) => v.vmid === 200)).toBe(true);
    expect((await get('/nodes/pve1/storage/local/content', { content: 'images' })).body.data).toEqual([]);
    const bad = await get('/nodes/pve1/storage/local/content', { content: 'photos' });
    expect(bad.body.errors).toEqual({ content: "invalid format - invalid content type 'photos'\n" });
    const missing = await get('/nodes/pve1/storage/nas/content');
    expect([missing.status, missing.reason]).toEqual([500, "storage 'nas' does not exist"]);
  });

  it('shows a backup only to who may back up that guest (check_volume_access)', async () => {
    const owner = s.addToken({
      privsep: true,
      acls: [
        { path: '/storage', privs: ['Datastore.AllocateSpace'] },
        { path: '/vms/100', privs: ['VM.Backup'] },
      ],
    });
    expect(new Set((await backups(undefined, owner)).map((b) => b.vmid))).toEqual(new Set([100]));
    const auditor = s.addToken({ privsep: true, acls: [{ path: '/', role: 'PVEAuditor' }] });
    const seen = (await get('/nodes/pve1/storage/local/content', undefined, auditor)).body.data as Volume[];
    expect(seen.map((v) => v.content).sort()).toEqual(['iso', 'vztmpl']);
  });
});

describe('vzdump', () => {
  it('runs a vzdump task that logs like vzdump, locks the guest and adds the archive with notes', async () => {
    const before = await backups(100);
    const res = await vzdump({
      vmid: 100,
      storage: 'local',
      mode: 'snapshot',
      compress: 'zstd',
      'notes-template': '{{guestname}} on {{node}} ({{cluster}}, {{vmid}})',
    });
    expect(res.body.data).toMatch(/:vzdump:100:root@pam!pve-sim:$/);
    expect((await waitForTask(s, res.body.data)).exitstatus).toBe('OK');
    expect(s.guest(100)?.lock).toBeUndefined();
    const after = await backups(100);
    expect(after).toHaveLength(before.length + 1);
    const made = after.find((b) => !before.some((x) => x.volid === b.volid));
    expect(made).toMatchObject({ format: 'vma.zst', notes: 'web on pve1 (lab, 100)', subtype: 'qemu' });
    const log = await taskLog(res.body.data);
    expect(log[0]).toBe(
      "INFO: starting new backup job: vzdump 100 --compress zstd --mode snapshot --node pve1 --notes-template '{{guestname}} on {{node}} ({{cluster}}, {{vmid}})' --storage local",
    );
    expect(log).toEqual(
      expect.arrayContaining([
        'INFO: Starting Backup of VM 100 (qemu)',
        'INFO: status = running',
        'INFO: VM Name: web',
        "INFO: include disk 'scsi0' 'local-lvm:vm-100-disk-0' 32G",
        'INFO: backup mode: snapshot',
        `INFO: creating vzdump archive '/var/lib/vz/dump/${made?.volid.replace('local:backup/', '')}'`,
        "INFO: issuing guest-agent 'fs-freeze' command",
        'INFO: adding notes to backup',
        'INFO: Backup job finished successfully',
        'TASK OK',
      ]),
    );
    expect(log.some((l) => /^INFO: Finished Backup of VM 100 \(\d\d:\d\d:\d\d\)$/.test(l))).toBe(true);
  });

  it('writes an uncompressed .vma without compress, a .tar for a container, and uses more space', async () => {
    const usedBefore = (await get('/nodes/pve1/storage/local/status')).body.data.used;
    for (const vmid of [100, 200])
      expect((await waitForTask(s, (await vzdump({ vmid })).body.data)).exitstatus).toBe('OK');
    expect((await backups(100)).some((b) => b.format === 'vma' && !b.protected)).toBe(true);
    expect((await backups(200)).map((b) => b.format)).toContain('tar');
    expect((await get('/nodes/pve1/storage/local/status')).body.data.used).toBeGreaterThan(usedBefore);
  });

  it('stops and restarts a running guest in stop mode, and refuses stop mode for a started HA guest', async () => {
    const res = await vzdump({ vmid: 103, mode: 'stop' });
    expect((await waitForTask(s, res.body.data)).exitstatus).toBe('OK');
    expect(s.guest(103)?.status).toBe('running');
    expect(await taskLog(res.body.data)).toEqual(
      expect.arrayContaining(['INFO: stopping virtual guest', 'INFO: restarting vm']),
    );
    const ha = await vzdump({ vmid: 102, mode: 'stop' });
    expect((await waitForTask(s, ha.body.data)).exitstatus).toBe('job errors');
    expect(await taskLog(ha.body.data)).toContain(
      'ERROR: Backup of VM 102 failed - Cannot execute a backup with stop mode on a HA managed and enabled Service. Use snapshot mode or disable the Service.',
    );
  });

  it('fails the guest (and the job) for a lock, an unknown guest or a storage without backups', async () => {
    const locked = await vzdump({ vmid: 101 });
    expect((await waitForTask(s, locked.body.data)).exitstatus).toBe('job errors');
    const log = await taskLog(locked.body.data);
    expect(log).toEqual(
      expect.arrayContaining([
        'ERROR: Backup of VM 101 failed - VM is locked (snapshot)',
        'INFO: Backup job finished with errors',
        'TASK ERROR: job errors',
      ]),
    );
    const unknown = await vzdump({ vmid: 999 });
    expect(await taskLog(unknown.body.data)).toContain("ERROR: Backup of VM 999 failed - unable to find VM '999'");
    const lvm = await vzdump({ vmid: 100, storage: 'local-lvm' });
    expect((await waitForTask(s, lvm.body.data)).exitstatus).toBe(
      "could not get storage information for 'local-lvm': can't use storage 'local-lvm' for backups - wrong content type",
    );
  });

  it('answers OK without a task when the guests live on other nodes', async () => {
    const res = await vzdump({ vmid: 300 });
    expect([res.status, res.body.data]).toEqual([200, 'OK']);
  });

  it('checks its parameters as the API does', async () => {
    const cases: [Record<string, string | number>, Record<string, string>][] = [
      [{}, { vmid: 'property is missing' }],
      [{ vmid: 100, all: 1 }, { all: "option conflicts with option 'vmid'" }],
      [{ vmid: 100, 'notes-template': '{{guestname}}' }, { storage: "missing property required by 'notes-template'" }],
      [
        { vmid: 100, storage: 'local', 'notes-template': 'x {{nope}}' },
        { 'notes-template': "found unknown: variable 'nope' at char 6\n" },
      ],
      [{ vmid: 100, stdout: 1 }, { stdout: 'option is only allowed on the command line interface.' }],
      [{ vmid: '100,abc' }, { vmid: 'invalid format - value does not look like a valid VM ID\n' }],
      [
        { vmid: 100, compress: 'xz' },
        { compress: "value 'xz' does not have a value in the enumeration '0, 1, gzip, lzo, zstd'" },
      ],
    ];
    for (const [form, errors] of cases) {
      const res = await vzdump(form);
      expect([res.status, res.body.errors], JSON.stringify(form)).toEqual([400, errors]);
    }
  });

  it('needs Datastore.AllocateSpace on the storage in the call and VM.Backup on the guest in the task', async () => {
    const noSpace = s.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEVMUser' }] });
    const denied = await vzdump({ vmid: 100 }, noSpace);
    expect([denied.status, denied.reason]).toEqual([
      403,
      'Permission check failed (/storage/local, Datastore.AllocateSpace)',
    ]);
    const rootOnly = await vzdump({ vmid: 100, tmpdir: '/tmp' }, noSpace);
    expect(rootOnly.body.errors).toEqual({ tmpdir: 'Only root may set this option.' });
    const noBackup = s.addToken({
      privsep: true,
      acls: [
        { path: '/storage', privs: ['Datastore.AllocateSpace'] },
        { path: '/vms', privs: ['VM.Audit'] },
      ],
    });
    const res = await vzdump({ vmid: 100 }, noBackup);
    expect((await waitForTask(s, res.body.data)).exitstatus).toBe('Permission check failed (/vms/100, VM.Backup)');
  });

  it('shows in the guest’s task history, newest first', async () => {
    const tasks = (await get('/nodes/pve1/tasks', { vmid: 100, typefilter: 'vzdump' })).body.data as {
      type: string;
      starttime: number;
    }[];
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    expect(tasks.every((t) => t.type === 'vzdump')).toBe(true);
    const starts = tasks.map((t) => t.starttime);
    expect([...starts].sort((x, y) => y - x)).toEqual(starts);
  });
});

describe('while a backup runs', () => {
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
              { vmid: 100, type: 'qemu', node: 'n1', status: 'running' },
              { vmid: 101, type: 'qemu', node: 'n1', status: 'running' },
            ],
          },
        ],
      },
    });
    server = slow.servers[0] as SimServer;
  });
  afterAll(() => slow.close());

  const at = (path: string, query?: Record<string, string | number>) =>
    call(server, 'GET', `/nodes/n1${path}`, { token: server.token, query });

  it('locks the guest (lock: backup), stops it in stop mode, and lists the task as RUNNING', async () => {
    const backup = await call(server, 'POST', '/nodes/n1/vzdump', { token: server.token, form: { vmid: 100 } });
    const stop = await call(server, 'POST', '/nodes/n1/vzdump', {
      token: server.token,
      form: { vmid: 101, mode: 'stop' },
    });
    expect((await at('/qemu/100/status/current')).body.data.lock).toBe('backup');
    expect((await at('/qemu/101/status/current')).body.data).toMatchObject({ status: 'stopped', lock: 'backup' });
    const active = (await at('/tasks', { source: 'active' })).body.data as { upid: string; status: string }[];
    expect(active).toEqual(
      expect.arrayContaining([expect.objectContaining({ upid: backup.body.data, status: 'RUNNING' })]),
    );
    // The default source lists finished tasks only.
    const archive = (await at('/tasks')).body.data as { upid: string }[];
    expect(archive.map((t) => t.upid)).not.toContain(backup.body.data);
    for (const res of [backup, stop]) expect((await waitForTask(server, res.body.data, 5000)).exitstatus).toBe('OK');
    expect((await at('/qemu/101/status/current')).body.data.status).toBe('running');
    expect((await at('/qemu/100/status/current')).body.data.lock).toBeUndefined();
  });
});
