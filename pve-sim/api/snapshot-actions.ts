// Snapshots with the semantics of pve-guest-common's AbstractConfig and the qemu-server and
// pve-container handlers around it: reserved names refused by the API call, every other refusal
// (a lock, a template, a duplicate or unknown name) only in the task; `lock: snapshot` while one is
// taken, `snapshot-delete` while one is removed, `rollback` while one is rolled back; a rollback
// stops the guest, and starts it again from the RAM state when the snapshot has one.
import { handlerError, permissionError } from '../http/pve-error';
import type { ApiContext } from '../http/route-table';
import { configVolumes } from '../model/guest-config';
import type { GuestType, SimGuest, SimSnapshot } from '../model/sim-guest';
import type { WorkerContext } from '../model/tasks';
import { configMissing } from './guest-lookup';
import { guestDigest } from './presenters';

export function findSnapshot(guest: SimGuest, name: string): SimSnapshot {
  const snap = guest.snapshots.get(name);
  if (!snap) throw handlerError(`snapshot '${name}' does not exist`);
  return snap;
}

/** AbstractConfig::check_lock: "VM is locked (backup)", "CT is locked (snapshot)". */
function checkLock(guest: SimGuest): void {
  if (guest.lock !== undefined) throw handlerError(`${guest.label} is locked (${guest.lock})`);
}

/** The volume name of a volid: `local-lvm:vm-100-disk-0` → `vm-100-disk-0`. */
function volname(volid: string): string {
  return volid.slice(volid.indexOf(':') + 1);
}

/** GET …/snapshot: every snapshot, then `current` ("You are here!") whose parent is the
 * snapshot the current state descends from. Only QEMU lists `vmstate`. */
export function snapshotList(guest: SimGuest): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const snap of guest.snapshots.values()) {
    const item: Record<string, unknown> = { name: snap.name, snaptime: snap.snaptime };
    if (guest.type === 'qemu') item.vmstate = snap.vmstate !== undefined ? 1 : 0;
    item.description = snap.description ?? '';
    if (snap.parent !== undefined) item.parent = snap.parent;
    if (snap.snapstate !== undefined) item.snapstate = snap.snapstate;
    out.push(item);
  }
  const current: Record<string, unknown> = {
    name: 'current',
    digest: guestDigest(guest),
    running: guest.running ? 1 : 0,
    description: 'You are here!',
  };
  if (guest.parent !== undefined) current.parent = guest.parent;
  out.push(current);
  return out;
}

/** Runs a snapshot task on the node the request was proxied to. The guest's config is loaded
 * inside the worker (as these handlers do), so an unknown guest fails the task, not the call. */
function guestTask(
  ctx: ApiContext,
  type: GuestType,
  taskType: string,
  worker: (guest: SimGuest, w: WorkerContext) => Promise<void> | void,
): string {
  const { cluster, params, auth } = ctx;
  const nodeName = String(params.node);
  const vmid = Number(params.vmid);
  const node = cluster.nodes.get(nodeName);
  const guest = cluster.guests.get(vmid);
  return cluster.tasks.spawn(
    {
      node: nodeName,
      nodeBootTime: node?.bootTime ?? 0,
      type: taskType,
      id: String(vmid),
      user: auth.authid,
      log: guest && guest.type === type && guest.node === nodeName ? guest.taskLog : [],
    },
    (w) => {
      if (!guest || guest.type !== type || guest.node !== nodeName) throw configMissing(type, nodeName, vmid);
      return worker(guest, w);
    },
  ).upid;
}

/** POST …/snapshot. */
export function createSnapshot(ctx: ApiContext, type: GuestType): string {
  const snapname = String(ctx.params.snapname);
  // The handlers' own checks, before a task exists (qemu-server compares `pending` lower-cased).
  if (snapname === 'current') throw handlerError("unable to use snapshot name 'current' (reserved name)");
  if (type === 'qemu' && snapname.toLowerCase() === 'pending') {
    throw handlerError("unable to use snapshot name 'pending' (reserved name)");
  }
  if (type === 'lxc' && snapname === 'vzdump') {
    throw handlerError("unable to use snapshot name 'vzdump' (reserved name)");
  }
  if (type === 'qemu') {
    // qemu-server loads the config before forking: an unknown VM is an immediate 500.
    const guest = ctx.cluster.guests.get(Number(ctx.params.vmid));
    if (!guest || guest.type !== type || guest.node !== ctx.params.node) {
      throw configMissing(type, String(ctx.params.node), Number(ctx.params.vmid));
    }
  }
  const description = ctx.params.description === undefined ? undefined : String(ctx.params.description);
  const wantState = ctx.params.vmstate === true;
  const { cluster } = ctx;
  return guestTask(ctx, type, type === 'qemu' ? 'qmsnapshot' : 'vzsnapshot', async (guest, w) => {
    // __snapshot_prepare
    if (guest.template) throw handlerError("you can't take a snapshot if it's a template");
    checkLock(guest);
    if (guest.snapshots.has(snapname)) throw handlerError(`snapshot name '${snapname}' already used`);
    guest.lock = 'snapshot';
    // RAM state only for a running VM; for a stopped one `vmstate` is ignored.
    const vmstate = wantState && guest.type === 'qemu' && guest.running ? guest.stateVolume(snapname) : undefined;
    const snap: SimSnapshot = {
      name: snapname,
      description: description || undefined,
      snaptime: Math.floor(cluster.now() / 1000),
      parent: guest.parent,
      vmstate,
      snapstate: 'prepare',
      settings: guest.settings(),
    };
    guest.snapshots.set(snapname, snap);
    if (vmstate !== undefined) {
      const saved = ((guest.maxmem * 0.2) / 1024 ** 2).toFixed(2);
      w.log("saving VM state and RAM using storage 'local-lvm'");
      w.log('1.51 MiB in 0s');
      w.log(`completed saving the VM state in 1s, saved ${saved} MiB`);
    }
    await w.sleep(cluster.timing.taskDurationMs);
    for (const vol of configVolumes(snap.settings.hardware)) {
      if (guest.type === 'qemu') w.log(`snapshotting 'drive-${vol.key}' (${vol.volid})`);
      w.log(`  Logical volume "snap_${volname(vol.volid)}_${snapname}" created.`);
    }
    // __snapshot_commit
    snap.snapstate = undefined;
    guest.lock = undefined;
    guest.parent = snapname;
  });
}

/** POST …/snapshot/{snapname}/rollback. */
export function rollbackSnapshot(ctx: ApiContext, type: GuestType): string {
  const { cluster, params, auth } = ctx;
  const snapname = String(params.snapname);
  const start = params.start === true;
  // qemu-server checks VM.PowerMgmt up front, so VM.Snapshot.Rollback alone cannot power the VM
  // on; pve-container does not.
  if (type === 'qemu' && start) {
    const vmid = Number(params.vmid);
    const pool = cluster.guests.get(vmid)?.pool;
    if (!cluster.accounts.permissions(auth, `/vms/${vmid}`, pool).has('VM.PowerMgmt')) {
      throw permissionError(`/vms/${vmid}`, ['VM.PowerMgmt']);
    }
  }
  return guestTask(ctx, type, type === 'qemu' ? 'qmrollback' : 'vzrollback', async (guest, w) => {
    if (guest.template) throw handlerError("you can't rollback if vm is a template");
    const snap = findSnapshot(guest, snapname);
    if (snap.snapstate !== undefined) {
      throw handlerError(`unable to rollback to incomplete snapshot (snapstate = ${snap.snapstate})`);
    }
    checkLock(guest);
    // __snapshot_rollback_vm_stop: the guest stops whatever the snapshot holds.
    guest.setRunning(false, cluster.now());
    guest.lock = 'rollback';
    await w.sleep(cluster.timing.taskDurationMs);
    for (const vol of configVolumes(snap.settings.hardware)) {
      w.log(`  Logical volume "${volname(vol.volid)}" successfully removed.`);
      w.log(`  Logical volume "${volname(vol.volid)}" created.`);
    }
    guest.applySettings(snap.settings);
    guest.parent = snapname;
    guest.lock = undefined;
    // With RAM state, vm_start loads it and continues: the VM runs as it did then.
    if (snap.vmstate !== undefined || start) guest.setRunning(true, cluster.now());
  });
}

/** DELETE …/snapshot/{snapname}. `force` only matters when removing a volume fails, which it
 * never does here. */
export function deleteSnapshot(ctx: ApiContext, type: GuestType): string {
  const snapname = String(ctx.params.snapname);
  const { cluster } = ctx;
  return guestTask(ctx, type, type === 'qemu' ? 'qmdelsnapshot' : 'vzdelsnapshot', async (guest, w) => {
    const snap = findSnapshot(guest, snapname);
    checkLock(guest);
    if (guest.template) throw handlerError("you can't delete a snapshot if vm is a template");
    guest.lock = 'snapshot-delete';
    snap.snapstate = 'delete';
    await w.sleep(cluster.timing.taskDurationMs);
    if (snap.vmstate !== undefined) w.log(`  Logical volume "${volname(snap.vmstate)}" successfully removed.`);
    for (const vol of configVolumes(snap.settings.hardware)) {
      w.log(`  Logical volume "snap_${volname(vol.volid)}_${snapname}" successfully removed.`);
    }
    // Children and the current state move up to the deleted snapshot's parent.
    if (guest.parent === snapname) guest.parent = snap.parent;
    for (const other of guest.snapshots.values()) if (other.parent === snapname) other.parent = snap.parent;
    guest.snapshots.delete(snapname);
    guest.lock = undefined;
  });
}

/** PUT …/snapshot/{snapname}/config: only the description; without one, nothing happens at all. */
export function updateSnapshotConfig(guest: SimGuest, snapname: string, description: string | undefined): null {
  if (description === undefined) return null;
  checkLock(guest);
  findSnapshot(guest, snapname).description = description || undefined;
  return null;
}
