// A Proxmox task a person starts on one guest (a snapshot, a backup): Proxmox's immediate refusals
// in its words, one audit row naming the person, guest and server (success or failure), and the
// task followed to its end (task.finished on the event stream). Power actions keep their own
// path (inventory.service.ts: the state check before Proxmox is asked).
import type { ErrorCode } from '@common/errors';
import { parseUpid, type VmActionResult } from '@common/schemas/vms';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../lib/app-error';
import type { ProxmoxConnection } from '../../proxmox';
import type { AuditService } from '../audit/audit.service';
import { type GuestLocator, reasonOf } from './guest-locator';
import type { InventoryGuest } from './guest-normalize';
import type { TaskFollower } from './task-follower';

export interface GuestTaskDeps {
  locator: GuestLocator;
  tasks: TaskFollower;
  audit: AuditService;
}

export async function startGuestTask(
  d: GuestTaskDeps,
  ctx: TenantContext,
  target: { serverId: string; vmid: number },
  opts: {
    /** The audit action (`vm.snapshot_created`, `vm.backup_started`, …). */
    action: string;
    /** The code of Proxmox's immediate refusals (409, in Proxmox's words). */
    refused: ErrorCode;
    /** What the audit row says besides the names (read when it is written). */
    details: () => Record<string, unknown>;
  },
  start: (conn: ProxmoxConnection, g: InventoryGuest) => Promise<string>,
): Promise<VmActionResult> {
  const { serverId, vmid } = target;
  const tenantId = ctx.scope.tenantId;
  const server = await d.locator.requireServer(tenantId, serverId, 'vm.not_found');
  let guest: InventoryGuest | null = null;
  const audit = (result: 'success' | 'failure', more: Record<string, unknown>) =>
    d.audit.recordAlone(ctx.audit, {
      tenantId,
      action: opts.action,
      targetType: 'vm',
      targetId: `${serverId}:${vmid}`,
      result,
      details: { serverId, serverName: server.name, vmid, guestName: guest?.name ?? null, ...opts.details(), ...more },
    });
  let upid: string;
  try {
    upid = await d.locator.onGuest(server, vmid, async (conn, g) => {
      guest = g;
      try {
        return await start(conn, g);
      } catch (err) {
        if (isAppError(err) && err.code === 'proxmox.error' && reasonOf(err)) {
          throw new AppError(opts.refused, `Proxmox refused: ${reasonOf(err)}`, { details: { reason: reasonOf(err) } });
        }
        throw err;
      }
    });
    if (!parseUpid(upid)) throw new AppError('proxmox.bad_response', 'Proxmox answered without a task id');
  } catch (err) {
    await audit('failure', { error: isAppError(err) ? err.code : 'http.internal', message: (err as Error).message });
    throw err;
  }
  await audit('success', { upid });
  const g = guest as InventoryGuest | null;
  d.locator.cache.invalidate(serverId);
  d.tasks.follow({
    tenantId,
    serverId,
    vmid,
    node: parseUpid(upid)?.node ?? g?.node ?? '',
    upid,
    type: g?.type ?? null,
  });
  return { upid, status: 'running' };
}
