// Power actions on many guests at once (DESIGN.md §9): each guest authorized by the one policy
// (a restricted member gets per-guest refusals, not a failed batch), run with bounded concurrency
// per Proxmox server (servers in parallel), one audit row per guest (the single action's own) and
// one for the batch, and a result per guest saying what happened or why not.
import type { BulkActionResult, VmAction } from '@common/schemas/vms';
import { decisionError } from '../../http/access';
import type { TenantContext } from '../../http/context';
import { isAppError } from '../../lib/app-error';
import { authorize } from '../../policy/policy';
import type { AuditService } from '../audit/audit.service';
import type { InventoryService } from './inventory.service';

/** Actions at once on one Proxmox server: enough to be quick, few enough not to flood pveproxy. */
export const PER_SERVER_CONCURRENCY = 4;

type Result = BulkActionResult['results'][number];

export interface BulkActionsDeps {
  inventory: Pick<InventoryService, 'action'>;
  audit: AuditService;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping their order in the answer. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export class BulkActionsService {
  constructor(private readonly d: BulkActionsDeps) {}

  async run(
    ctx: TenantContext,
    action: VmAction,
    guests: readonly { serverId: string; vmid: number }[],
  ): Promise<BulkActionResult> {
    const unique = [...new Map(guests.map((g) => [`${g.serverId}:${g.vmid}`, g])).values()];
    const byServer = new Map<string, { serverId: string; vmid: number }[]>();
    for (const g of unique) byServer.set(g.serverId, [...(byServer.get(g.serverId) ?? []), g]);
    const done = new Map<string, Result>();
    await Promise.all(
      [...byServer.values()].map((list) =>
        pool(list, PER_SERVER_CONCURRENCY, async (g) => {
          done.set(`${g.serverId}:${g.vmid}`, await this.one(ctx, action, g));
        }),
      ),
    );
    const results = unique.map((g) => done.get(`${g.serverId}:${g.vmid}`) as Result);
    const failed = results.filter((r) => !r.ok).length;
    await this.d.audit.recordAlone(ctx.audit, {
      tenantId: ctx.scope.tenantId,
      action: 'vm.bulk_action',
      targetType: 'tenant',
      targetId: ctx.scope.tenantId,
      result: failed === 0 ? 'success' : 'failure',
      details: { action, guests: results.length, succeeded: results.length - failed, failed },
    });
    return { results };
  }

  private async one(ctx: TenantContext, action: VmAction, g: { serverId: string; vmid: number }): Promise<Result> {
    const decision = authorize(ctx.actor, 'vm:power', {
      kind: 'guest',
      scope: ctx.scope,
      serverId: g.serverId,
      vmid: g.vmid,
    });
    try {
      if (!decision.allowed) throw decisionError(decision);
      const { upid } = await this.d.inventory.action(ctx, g.serverId, g.vmid, action);
      return { ...g, ok: true, upid };
    } catch (err) {
      const error = isAppError(err)
        ? { code: err.code, message: err.message }
        : { code: 'http.internal', message: 'Nexus hit an unexpected error' };
      return { ...g, ok: false, error };
    }
  }
}
