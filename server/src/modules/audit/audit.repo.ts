// The append-only audit trail with its hash chain. Rows are only ever inserted; the chain makes
// an edit or a deletion detectable by `verify`.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { AuditLogsTable, Database } from '../../db/schema';
import { type Executor, lockNamed } from '../../db/tx';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditRow = AuditLogsTable;

/** The hash covers every column but `hash` itself, in a fixed order. */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.tenant_id,
    row.actor_user_id,
    row.actor_label,
    row.actor_ip,
    row.user_agent,
    row.action,
    row.target_type,
    row.target_id,
    row.result,
    row.details,
    row.created_at,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface AuditFilter {
  tenantId?: string | null; // undefined: all tenants; null: only global events
  from?: number;
  to?: number;
  actor?: string; // user id or email label
  actorUserId?: string; // only this user's own actions
  action?: string; // exact, or prefix ending in '.'
  result?: string;
  beforeSeq?: number;
  limit: number;
}

export class AuditRepo {
  constructor(private readonly dialect: Dialect) {}

  async append(trx: Transaction<Database>, row: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>): Promise<AuditRow> {
    await lockNamed(trx, this.dialect, 'nexus.audit_chain');
    const last = await trx
      .selectFrom('audit_logs')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const base = { ...row, seq: (last?.seq ?? 0) + 1, prev_hash: last?.hash ?? GENESIS_HASH };
    const full: AuditRow = { ...base, hash: hashAuditRow(base) };
    await trx.insertInto('audit_logs').values(full).execute();
    return full;
  }

  async list(db: Executor, f: AuditFilter): Promise<AuditRow[]> {
    let q = db.selectFrom('audit_logs').selectAll();
    if (f.tenantId !== undefined) {
      q = f.tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', f.tenantId);
    }
    if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('created_at', '<=', f.to);
    if (f.actor) {
      const actor = f.actor;
      q = q.where((eb) => eb.or([eb('actor_user_id', '=', actor), eb('actor_label', '=', actor.toLowerCase())]));
    }
    if (f.actorUserId !== undefined) q = q.where('actor_user_id', '=', f.actorUserId);
    if (f.action) {
      q = f.action.endsWith('.')
        ? q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '')}%`)
        : q.where('action', '=', f.action);
    }
    if (f.result) q = q.where('result', '=', f.result);
    if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
    return q.orderBy('seq', 'desc').limit(f.limit).execute();
  }

  /** Walks the whole chain in seq order, in pages. */
  async *walk(db: Executor, pageSize = 1000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_logs')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(pageSize)
        .execute();
      for (const row of rows) yield row;
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = last.seq;
    }
  }
}
