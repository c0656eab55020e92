// SQL of console recordings (`console_recordings`).
import type { Insertable, Selectable } from 'kysely';
import type { ConsoleRecordingsTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type RecordingRow = Selectable<ConsoleRecordingsTable>;

export interface RecordingListRow extends RecordingRow {
  user_email: string | null;
  server_name: string | null;
}

export interface ListFilter {
  tenantId: string;
  /** Only this user's (members see their own). */
  userId?: string;
  serverId?: string;
  limit: number;
  /** Rows to skip (the service pages on when it leaves some out). */
  offset?: number;
}

export class RecordingsRepo {
  insert(db: Executor, row: Insertable<ConsoleRecordingsTable>): Promise<unknown> {
    return db.insertInto('console_recordings').values(row).execute();
  }

  find(db: Executor, tenantId: string, id: string): Promise<RecordingListRow | undefined> {
    return this.listed(db).where('r.tenant_id', '=', tenantId).where('r.id', '=', id).executeTakeFirst();
  }

  /** Ended recordings, newest first (one still recording is not listed). */
  list(db: Executor, f: ListFilter): Promise<RecordingListRow[]> {
    let q = this.listed(db).where('r.tenant_id', '=', f.tenantId).where('r.status', '!=', 'recording');
    if (f.userId) q = q.where('r.user_id', '=', f.userId);
    if (f.serverId) q = q.where('r.server_id', '=', f.serverId);
    return q
      .orderBy('r.started_at', 'desc')
      .orderBy('r.id')
      .limit(f.limit)
      .offset(f.offset ?? 0)
      .execute();
  }

  private listed(db: Executor) {
    return db
      .selectFrom('console_recordings as r')
      .leftJoin('users as u', 'u.id', 'r.user_id')
      .leftJoin('proxmox_servers as s', 's.id', 'r.server_id')
      .selectAll('r')
      .select(['u.email as user_email', 's.name as server_name']);
  }

  /** Ends a recording still marked as recording (false when something else ended it). */
  async finish(
    db: Executor,
    id: string,
    end: { status: string; endedAt: number; durationMs: number; bytes: number; error: string | null },
  ): Promise<boolean> {
    const result = await db
      .updateTable('console_recordings')
      .set({
        status: end.status,
        ended_at: end.endedAt,
        duration_ms: end.durationMs,
        bytes: end.bytes,
        error: end.error,
      })
      .where('id', '=', id)
      .where('status', '=', 'recording')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Recordings still marked as recording (recovery looks at their files). */
  unfinished(db: Executor): Promise<RecordingRow[]> {
    return db.selectFrom('console_recordings').selectAll().where('status', '=', 'recording').execute();
  }

  /** Ended recordings that started before `before` in one tenant (retention). */
  expired(db: Executor, tenantId: string, before: number, limit: number): Promise<RecordingRow[]> {
    return db
      .selectFrom('console_recordings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('status', '!=', 'recording')
      .where('started_at', '<', before)
      .limit(limit)
      .execute();
  }

  /** Tenants that have recordings. */
  async tenantsWithRecordings(db: Executor): Promise<string[]> {
    const rows = await db.selectFrom('console_recordings').select('tenant_id').distinct().execute();
    return rows.map((r) => r.tenant_id);
  }

  delete(db: Executor, id: string): Promise<unknown> {
    return db.deleteFrom('console_recordings').where('id', '=', id).execute();
  }

  /** Bytes stored per tenant. */
  async usage(db: Executor, tenantId?: string): Promise<{ tenantId: string; bytes: number; count: number }[]> {
    let q = db
      .selectFrom('console_recordings')
      .select((eb) => ['tenant_id', eb.fn.sum<number>('bytes').as('bytes'), eb.fn.countAll<number>().as('count')])
      .groupBy('tenant_id');
    if (tenantId) q = q.where('tenant_id', '=', tenantId);
    const rows = await q.execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, bytes: Number(r.bytes ?? 0), count: Number(r.count) }));
  }
}
