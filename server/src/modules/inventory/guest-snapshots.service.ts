// A guest's snapshots (QEMU and LXC): the tree as Proxmox lists it, and taking, rolling back and
// deleting one — each a Proxmox task followed to its end (task.finished on the event stream) and
// one audit row naming the person, the guest and the snapshot. Refusals Proxmox gives at once
// (a reserved name, a locked guest) come back as 409 in Proxmox's words.
import type { CreateSnapshotBody, Snapshot, SnapshotList, VmActionResult } from '@common/schemas/vms';
import { z } from 'zod';
import type { TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import { type ProxmoxConnection, pvePath } from '../../proxmox';
import { flag, type InventoryGuest, num, text } from './guest-normalize';
import { type GuestTaskDeps, startGuestTask } from './guest-task';

const SnapshotEntries = z.array(z.looseObject({})).max(10_000);
const Upid = z.string().max(400);
const GuestState = z.looseObject({ status: z.string().optional(), lock: z.string().optional() });

type SnapshotOp = 'create' | 'rollback' | 'delete';
const AUDIT_ACTION: Record<SnapshotOp, string> = {
  create: 'vm.snapshot_created',
  rollback: 'vm.snapshot_rolled_back',
  delete: 'vm.snapshot_deleted',
};

/** Tasks are started, audited and followed through startGuestTask. */
export type GuestSnapshotsDeps = GuestTaskDeps;

/** Proxmox's snapshot list: its entries, and `current` (the running state and its parent). */
export function normalizeSnapshots(entries: readonly Record<string, unknown>[]): SnapshotList {
  const snapshots: Snapshot[] = [];
  let current: SnapshotList['current'] = { parent: null };
  for (const e of entries) {
    const name = text(e.name, 40);
    if (!name) continue;
    const parent = text(e.parent, 40);
    if (name === 'current') {
      current = { parent };
      continue;
    }
    snapshots.push({
      name,
      description: text(e.description, 8 * 1024) ?? '',
      snaptime: num(e.snaptime),
      vmstate: flag(e.vmstate),
      parent,
    });
  }
  return { snapshots: treeOrder(snapshots), current };
}

/** Parents before their children (depth first, siblings oldest first), as Proxmox draws the tree. */
function treeOrder(list: Snapshot[]): Snapshot[] {
  const names = new Set(list.map((s) => s.name));
  const byAge = (a: Snapshot, b: Snapshot) => (a.snaptime ?? 0) - (b.snaptime ?? 0) || a.name.localeCompare(b.name);
  const children = new Map<string | null, Snapshot[]>();
  for (const s of list) {
    const parent = s.parent && names.has(s.parent) ? s.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: Snapshot[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null) => {
    for (const s of (children.get(parent) ?? []).sort(byAge)) {
      if (seen.has(s.name)) continue; // a cycle in a hand-edited config: listed once
      seen.add(s.name);
      out.push(s);
      walk(s.name);
    }
  };
  walk(null);
  // Whatever a cycle left out, at the end.
  for (const s of list.sort(byAge)) if (!seen.has(s.name)) out.push(s);
  return out;
}

export class GuestSnapshotsService {
  constructor(private readonly d: GuestSnapshotsDeps) {}

  async list(ctx: TenantContext, serverId: string, vmid: number): Promise<SnapshotList> {
    const server = await this.d.locator.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    const raw = await this.d.locator.onGuest(server, vmid, (conn, g) =>
      conn.get(pvePath`/nodes/${g.node}/${g.type}/${vmid}/snapshot`, undefined, { schema: SnapshotEntries }),
    );
    return normalizeSnapshots(raw);
  }

  create(ctx: TenantContext, serverId: string, vmid: number, body: CreateSnapshotBody): Promise<VmActionResult> {
    return this.run(ctx, serverId, vmid, 'create', body.name, async (conn, g) => {
      if (body.vmstate && g.type !== 'qemu') {
        throw new AppError('http.validation_failed', 'Containers have no RAM state to save', {
          details: [{ path: 'vmstate', message: 'only for QEMU guests' }],
        });
      }
      return conn.post(
        pvePath`/nodes/${g.node}/${g.type}/${vmid}/snapshot`,
        {
          snapname: body.name,
          ...(body.description ? { description: body.description } : {}),
          ...(body.vmstate && g.type === 'qemu' ? { vmstate: true } : {}),
        },
        { schema: Upid },
      );
    });
  }

  rollback(ctx: TenantContext, serverId: string, vmid: number, name: string): Promise<VmActionResult> {
    return this.run(ctx, serverId, vmid, 'rollback', name, (conn, g) =>
      conn.post(pvePath`/nodes/${g.node}/${g.type}/${vmid}/snapshot/${name}/rollback`, undefined, { schema: Upid }),
    );
  }

  delete(ctx: TenantContext, serverId: string, vmid: number, name: string): Promise<VmActionResult> {
    return this.run(ctx, serverId, vmid, 'delete', name, (conn, g) =>
      conn
        .request('DELETE', pvePath`/nodes/${g.node}/${g.type}/${vmid}/snapshot/${name}`, {}, { schema: Upid })
        .then((r) => r.data),
    );
  }

  /** One snapshot task: the lock checked first, then startGuestTask (refusals, audit, following). */
  private run(
    ctx: TenantContext,
    serverId: string,
    vmid: number,
    op: SnapshotOp,
    name: string,
    call: (conn: ProxmoxConnection, g: InventoryGuest) => Promise<string>,
  ): Promise<VmActionResult> {
    return startGuestTask(
      this.d,
      ctx,
      { serverId, vmid },
      { action: AUDIT_ACTION[op], refused: 'vm.snapshot_refused', details: () => ({ snapshot: name }) },
      async (conn, g) => {
        await this.refuseWhileLocked(conn, g, op);
        if (op !== 'create') await this.requireSnapshot(conn, g, name);
        return call(conn, g);
      },
    );
  }

  /** Rolling back to or deleting a snapshot that is not there: 404 now, not a failed task later. */
  private async requireSnapshot(conn: ProxmoxConnection, g: InventoryGuest, name: string): Promise<void> {
    const raw = await conn.get(pvePath`/nodes/${g.node}/${g.type}/${g.vmid}/snapshot`, undefined, {
      schema: SnapshotEntries,
    });
    if (!normalizeSnapshots(raw).snapshots.some((s) => s.name === name)) {
      throw new AppError('vm.snapshot_not_found', `This guest has no snapshot named ${name}`);
    }
  }

  private async refuseWhileLocked(conn: ProxmoxConnection, g: InventoryGuest, op: SnapshotOp): Promise<void> {
    const cur = await conn.get(pvePath`/nodes/${g.node}/${g.type}/${g.vmid}/status/current`, undefined, {
      schema: GuestState,
    });
    const lock = text(cur.lock, 32);
    if (lock) {
      throw new AppError(
        'vm.action_not_applicable',
        `The guest is locked (${lock}): try the ${op} again when that task has ended`,
        { details: { lock } },
      );
    }
  }
}
