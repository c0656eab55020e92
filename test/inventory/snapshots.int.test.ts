// Snapshots and bulk power actions against pve-sim (issue 18): the tree, create / roll back /
// delete as followed tasks with the human in the audit log, Proxmox's refusals in words, the
// `vm:snapshot` permission by role and the `snapshot` right of restricted members, and bulk
// actions where one guest is refused and one server is down while the rest proceed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../pve-sim/index';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { openSse, type SseStream } from '../helpers/sse';
import { type Kit, registerAll, simAt, startInventoryKit } from './inventory-kit';

let k: Kit;
let sim: SimServer;
let serverId: string;
let downId: string;
let sse: SseStream;

const guest = (vmid: number | string, server = serverId) => `/api/tenants/${k.tenantId}/servers/${server}/vms/${vmid}`;
const snaps = (vmid: number | string) => `${guest(vmid)}/snapshots`;

beforeAll(async () => {
  k = await startInventoryKit({
    sim: {
      servers: 2,
      taskDurationMs: 60,
      scenario: {
        seed: 3,
        clusters: [
          {
            name: 'lab',
            nodes: [{ name: 'pve1' }],
            guests: [
              { vmid: 100, type: 'qemu', node: 'pve1', name: 'vm-run', status: 'running' },
              { vmid: 101, type: 'lxc', node: 'pve1', name: 'ct-run', status: 'running' },
              { vmid: 102, type: 'qemu', node: 'pve1', name: 'vm-stop', status: 'stopped' },
              { vmid: 103, type: 'qemu', node: 'pve1', name: 'locked', status: 'stopped', lock: 'backup' },
              { vmid: 104, type: 'qemu', node: 'pve1', name: 'vm-run-2', status: 'running' },
            ],
          },
          {
            name: 'far',
            nodes: [{ name: 'pve9' }],
            guests: [{ vmid: 200, type: 'qemu', node: 'pve9', name: 'far-vm', status: 'running' }],
          },
        ],
      } as never,
    },
  });
  sim = simAt(k, 0);
  [serverId = '', downId = ''] = await registerAll(k);
  sse = await openSse(k.manager.client, `/api/tenants/${k.tenantId}/events`);
});
afterAll(async () => {
  sse?.close();
  await k?.close();
});

async function finished(upid: string) {
  const e = await sse.waitFor((x) => x.event === 'task.finished' && x.data.upid === upid, 8000);
  return e.data as { ok: boolean; exitstatus: string };
}

describe(`snapshots (${TEST_DIALECT})`, () => {
  it('takes, lists as a tree, rolls back and deletes, each a followed task audited with the person', async () => {
    for (const [vmid, vmstate] of [
      [100, true],
      [101, false],
    ] as const) {
      const first = await k.manager.client.post(snaps(vmid), { name: 'before-upgrade', description: 'clean', vmstate });
      expect(first.status, first.text).toBe(200);
      expect((await finished(first.body.upid)).ok).toBe(true);
      const second = await k.manager.client.post(snaps(vmid), { name: 'after_upgrade' });
      expect((await finished(second.body.upid)).ok).toBe(true);

      const list = await k.viewer.client.get(snaps(vmid));
      expect(list.status).toBe(200);
      expect(list.body.snapshots.map((s: { name: string; parent: string | null }) => [s.name, s.parent])).toEqual([
        ['before-upgrade', null],
        ['after_upgrade', 'before-upgrade'],
      ]);
      expect(list.body.snapshots[0]).toMatchObject({ description: 'clean', vmstate });
      expect(list.body.current).toEqual({ parent: 'after_upgrade' });

      const back = await k.manager.client.post(`${snaps(vmid)}/before-upgrade/rollback`);
      expect(back.status, back.text).toBe(200);
      expect((await finished(back.body.upid)).ok).toBe(true);
      expect((await k.viewer.client.get(snaps(vmid))).body.current).toEqual({ parent: 'before-upgrade' });

      const del = await k.manager.client.delete(`${snaps(vmid)}/after_upgrade`);
      expect(del.status, del.text).toBe(200);
      expect((await finished(del.body.upid)).ok).toBe(true);
      expect((await k.viewer.client.get(snaps(vmid))).body.snapshots.map((s: { name: string }) => s.name)).toEqual([
        'before-upgrade',
      ]);
    }
    const audit = await k.t.nexus.services.audit.list({ tenantId: k.tenantId, limit: 100 });
    const rows = audit.filter((r) => r.action.startsWith('vm.snapshot_') && r.result === 'success');
    expect(rows.map((r) => r.action).sort()).toEqual(
      [
        'vm.snapshot_created',
        'vm.snapshot_created',
        'vm.snapshot_created',
        'vm.snapshot_created',
        'vm.snapshot_rolled_back',
        'vm.snapshot_rolled_back',
        'vm.snapshot_deleted',
        'vm.snapshot_deleted',
      ].sort(),
    );
    for (const r of rows) expect(r.actor_label).toBe(k.manager.email);
    const named = rows.map((r) => JSON.parse(r.details ?? '{}') as { snapshot?: string; guestName?: string });
    expect(named).toContainEqual(expect.objectContaining({ snapshot: 'before-upgrade', guestName: 'vm-run' }));
    expect(named).toContainEqual(expect.objectContaining({ snapshot: 'after_upgrade', guestName: 'ct-run' }));
  });

  it('refuses bad names with 400 before Proxmox, and passes Proxmox’s refusals on in words', async () => {
    const before = sim.requestLog.length;
    for (const name of ['1abc', 'a', 'has space', 'x'.repeat(41), 'current', 'PENDING', 'a.b']) {
      const res = await k.manager.client.post(snaps(102), { name });
      expect(res.status, name).toBe(400);
    }
    expect(sim.requestLog.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
    const locked = await k.manager.client.post(snaps(103), { name: 'nope' });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toMatch(/locked \(backup\)/);
    const missing = await k.manager.client.post(`${snaps(102)}/never-taken/rollback`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('vm.snapshot_not_found');
    expect((await k.manager.client.delete(`${snaps(102)}/never-taken`)).status).toBe(404);
    // Proxmox's own refusal (a name already used) comes back in its words.
    const first = await k.manager.client.post(snaps(102), { name: 'twice' });
    expect(first.status).toBe(200);
    await finished(first.body.upid);
    const twice = await k.manager.client.post(snaps(102), { name: 'twice' });
    if (twice.status === 200) {
      // qemu-server refuses a used name inside the task: the task says so.
      expect((await finished(twice.body.upid)).exitstatus).toMatch(/already used/);
    } else {
      expect(twice.body.error.message).toMatch(/^Proxmox refused: .*already used/);
    }
    const ct = await k.manager.client.post(snaps(101), { name: 'with-ram', vmstate: true });
    expect(ct.status).toBe(400);
    expect((await k.manager.client.post(`${guest('0x66')}/snapshots`, { name: 'spelled' })).status).toBe(400);
    expect((await k.manager.client.get(`${guest('+102')}/snapshots`)).status).toBe(400);
  });

  it('lets admins and managers snapshot, not viewers; restricted members only with the snapshot right', async () => {
    expect((await k.viewer.client.post(snaps(102), { name: 'by-viewer' })).status).toBe(403);
    expect((await k.viewer.client.delete(`${snaps(100)}/before-upgrade`)).status).toBe(403);
    const restricted = async (permissions: string[]): Promise<TestUser> => {
      const u = await makeUser(k.t, { login: false });
      await addMember(k.t, k.tenantId, u, 'manager');
      const set = await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}/assignments`, {
        restricted: true,
        assignments: [{ serverId, vmid: 102, permissions }],
      });
      expect(set.status, set.text).toBe(200);
      await u.client.login(u.email, PASSWORD);
      return u;
    };
    const without = await restricted(['view', 'power']);
    expect((await without.client.post(snaps(102), { name: 'not-mine' })).status).toBe(403);
    expect((await without.client.get(snaps(102))).status).toBe(200);
    expect((await without.client.get(snaps(100))).status).toBe(404);
    const guests = await without.client.get(`/api/tenants/${k.tenantId}/vms`);
    expect(guests.body.vms[0].can).toMatchObject({ power: true, snapshot: false, backup: false });

    const withRight = await restricted(['view', 'snapshot']);
    const ok = await withRight.client.post(snaps(102), { name: 'mine' });
    expect(ok.status, ok.text).toBe(200);
    expect((await finished(ok.body.upid)).ok).toBe(true);
    expect((await withRight.client.post(snaps(100), { name: 'other' })).status).toBe(404);
    expect((await withRight.client.post(`${guest(102)}/actions/start`)).status).toBe(403);
  });
});

describe(`bulk actions (${TEST_DIALECT})`, () => {
  it('runs the rest when one guest is refused and one server is down, saying which failed and why', async () => {
    const far = simAt(k, 1);
    far.setFault({ down: true });
    try {
      const res = await k.manager.client.post(`/api/tenants/${k.tenantId}/vms/actions/shutdown`, {
        guests: [
          { serverId, vmid: 100 },
          { serverId, vmid: 104 },
          { serverId, vmid: 102 }, // already stopped: refused in words
          { serverId: downId, vmid: 200 }, // its server is down
          { serverId, vmid: 100 }, // twice: once
        ],
      });
      expect(res.status, res.text).toBe(200);
      const by = new Map(res.body.results.map((r: { vmid: number }) => [r.vmid, r]));
      expect(res.body.results).toHaveLength(4);
      expect(by.get(100)).toMatchObject({ ok: true, upid: expect.stringMatching(/^UPID:/) });
      expect(by.get(104)).toMatchObject({ ok: true });
      expect(by.get(102)).toMatchObject({ ok: false, error: { code: 'vm.action_not_applicable' } });
      expect((by.get(200) as { ok: boolean; error: { code: string } }).ok).toBe(false);
      expect((by.get(200) as { error: { code: string } }).error.code).toMatch(/^proxmox\./);
      for (const vmid of [100, 104]) {
        const upid = (by.get(vmid) as { upid: string }).upid;
        expect((await finished(upid)).ok).toBe(true);
      }
      const audit = await k.t.nexus.services.audit.list({ tenantId: k.tenantId, limit: 50 });
      expect(audit.filter((r) => r.action === 'vm.power' && r.result === 'success').length).toBeGreaterThanOrEqual(2);
      const batch = audit.find((r) => r.action === 'vm.bulk_action');
      expect(JSON.parse(batch?.details ?? '{}')).toMatchObject({ action: 'shutdown', guests: 4, failed: 2 });
    } finally {
      far.clearFaults();
    }
  });

  it('refuses viewers, and gives restricted members per-guest refusals for guests not theirs', async () => {
    const url = `/api/tenants/${k.tenantId}/vms/actions/start`;
    expect((await k.viewer.client.post(url, { guests: [{ serverId, vmid: 102 }] })).status).toBe(403);
    const u = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, u, 'manager');
    await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}/assignments`, {
      restricted: true,
      assignments: [{ serverId, vmid: 102, permissions: ['view', 'power'] }],
    });
    await u.client.login(u.email, PASSWORD);
    const res = await u.client.post(url, {
      guests: [
        { serverId, vmid: 102 },
        { serverId, vmid: 101 },
      ],
    });
    expect(res.status).toBe(200);
    const by = new Map(res.body.results.map((r: { vmid: number }) => [r.vmid, r]));
    expect(by.get(102)).toMatchObject({ ok: true });
    expect(by.get(101)).toMatchObject({ ok: false, error: { code: 'vm.not_found' } });
    expect((await u.client.post(url, { guests: [] })).status).toBe(400);
    expect((await u.client.post(url, { guests: [{ serverId, vmid: '102' }] })).status).toBe(400);
  });
});

describe(`backups (${TEST_DIALECT})`, () => {
  it('backs up now with the tenant’s mode, lists the archive newest first, and audits who did it', async () => {
    expect((await k.root.client.put(`/api/tenants/${k.tenantId}/settings`, { backupMode: 'suspend' })).status).toBe(
      200,
    );
    const before = await k.viewer.client.get(`${guest(102)}/backups`);
    expect(before.status).toBe(200);
    const res = await k.manager.client.post(`${guest(102)}/backups`);
    expect(res.status, res.text).toBe(200);
    expect((await finished(res.body.upid)).ok).toBe(true);
    expect(sim.requestLog.some((r) => r.method === 'POST' && r.path.endsWith('/vzdump'))).toBe(true);
    const log = await k.viewer.client.get(
      `/api/tenants/${k.tenantId}/servers/${serverId}/tasks/${encodeURIComponent(res.body.upid)}/log`,
    );
    // The job asked for the tenant's mode (Proxmox itself stops a VM that is already stopped).
    expect(log.body.lines[0]).toMatch(/vzdump 102 .*--mode suspend/);
    const after = await k.viewer.client.get(`${guest(102)}/backups`);
    expect(after.body.backups.length).toBe(before.body.backups.length + 1);
    expect(after.body.backups[0]).toMatchObject({ storage: expect.any(String), size: expect.any(Number) });
    expect(after.body.backups[0].volid).toMatch(/vzdump-qemu-102-/);
    const times = after.body.backups.map((b: { ctime: string }) => b.ctime);
    expect([...times].sort().reverse()).toEqual(times);
    const audit = await k.t.nexus.services.audit.list({ tenantId: k.tenantId, limit: 30 });
    const row = audit.find((r) => r.action === 'vm.backup_started' && r.result === 'success');
    expect(row?.actor_label).toBe(k.manager.email);
    expect(JSON.parse(row?.details ?? '{}')).toMatchObject({ vmid: 102, guestName: 'vm-stop', mode: 'suspend' });
  });

  it('refuses viewers and a locked guest in words; an unknown storage setting is Proxmox’s refusal', async () => {
    expect((await k.viewer.client.post(`${guest(102)}/backups`)).status).toBe(403);
    const locked = await k.manager.client.post(`${guest(103)}/backups`);
    if (locked.status === 200) {
      expect((await finished(locked.body.upid)).ok).toBe(false);
    } else {
      expect(locked.body.error.message).toMatch(/lock|backup/i);
    }
    await k.root.client.put(`/api/tenants/${k.tenantId}/settings`, { backupStorage: 'nowhere' });
    try {
      const res = await k.manager.client.post(`${guest(102)}/backups`);
      if (res.status === 200) expect((await finished(res.body.upid)).exitstatus).toMatch(/nowhere/);
      else expect(res.body.error.message).toMatch(/nowhere/);
    } finally {
      await k.root.client.put(`/api/tenants/${k.tenantId}/settings`, { backupStorage: null });
    }
  });
});
