// The append-only audit trail with its keyed hash chain (audit-chain.ts). Rows are only ever
// inserted; the chain makes an edit or a deletion detectable by `verify`.
import type { Transaction } from 'kysely';
import type { Dialect } from '../../db/database';
import type { AuditLogsTable, Database } from '../../db/schema';
import { type Executor, lockNamed } from '../../db/tx';
import { type AuditKey, GENESIS_HASH, keyedAuditHash } from './audit-chain';

export type AuditRow = AuditLogsTable;

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

  async append(
    trx: Transaction<Database>,
    row: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash' | 'hash_key_id'>,
    key: AuditKey,
  ): Promise<AuditRow> {
    await lockNamed(trx, this.dialect, 'nexus.audit_chain');
    const last = await this.last(trx);
    const base = { ...row, seq: (last?.seq ?? 0) + 1, prev_hash: last?.hash ?? GENESIS_HASH, hash_key_id: key.id };
    const full: AuditRow = { ...base, hash: keyedAuditHash(key, base) };
    await trx.insertInto('audit_logs').values(full).execute();
    return full;
  }

  /** A kv entry of the audit module: the chain head (lets verify notice deleted last rows) and
   * the forwarder's settings and cursors. */
  async writeKv(db: Executor, key: string, value: string, at: number): Promise<void> {
    await db
      .insertInto('kv')
      .values({ key, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute();
  }

  async readKv(db: Executor, key: string): Promise<string | undefined> {
    return (await db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  /** Rows after `seq`, in order (what a forwarder sends next). */
  after(db: Executor, seq: number, limit: number): Promise<AuditRow[]> {
    return db.selectFrom('audit_logs').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  }

  last(db: Executor) {
    return db
      .selectFrom('audit_logs')
      .select(['seq', 'hash', 'hash_key_id'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
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

/** Chain keys retired by master key rotations, sealed under the current master key. */
export class AuditKeysRepo {
  find(db: Executor, id: string) {
    return db.selectFrom('audit_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  all(db: Executor) {
    return db.selectFrom('audit_keys').selectAll().orderBy('id').execute();
  }

  async save(db: Executor, row: { id: string; wrapped_key: string; created_at: number }): Promise<void> {
    await db
      .insertInto('audit_keys')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ wrapped_key: row.wrapped_key }))
      .execute();
  }
}
