// SQL of console share links (`console_shares`). Uses and PIN failures are counted in the
// database with guarded updates, so parallel requests on any instance cannot exceed a link's
// maximum uses or get more than its PIN attempts.
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ConsoleSharesTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type ShareRow = Selectable<ConsoleSharesTable>;

export interface ShareListRow extends ShareRow {
  creator_email: string | null;
  creator_name: string | null;
}

export class SharesRepo {
  insert(db: Executor, row: Insertable<ConsoleSharesTable>): Promise<unknown> {
    return db.insertInto('console_shares').values(row).execute();
  }

  findByTokenHash(db: Executor, tokenHash: string): Promise<ShareRow | undefined> {
    return db.selectFrom('console_shares').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  findById(db: Executor, id: string): Promise<ShareRow | undefined> {
    return db.selectFrom('console_shares').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A guest's links that still count: not revoked, not expired (used-up and locked ones too,
   * until they expire, so the tenant sees why a link stopped working). */
  activeForGuest(db: Executor, tenantId: string, serverId: string, vmid: number, now: number): Promise<ShareListRow[]> {
    return db
      .selectFrom('console_shares as s')
      .leftJoin('users as u', 'u.id', 's.created_by')
      .selectAll('s')
      .select(['u.email as creator_email', 'u.full_name as creator_name'])
      .where('s.tenant_id', '=', tenantId)
      .where('s.server_id', '=', serverId)
      .where('s.vmid', '=', vmid)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .orderBy('s.created_at', 'desc')
      .execute();
  }

  /** Counts one use; false when the link is used up, revoked, locked or expired meanwhile. */
  async takeUse(db: Executor, id: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('console_shares')
      .set({ uses: sql`uses + 1` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where('locked_at', 'is', null)
      .where('expires_at', '>', now)
      .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Counts a wrong PIN and locks the link at `limit` failures; the failures after this one. */
  async failPin(db: Executor, id: string, limit: number, now: number): Promise<number> {
    await db
      .updateTable('console_shares')
      .set({
        pin_failures: sql`pin_failures + 1`,
        locked_at: sql`CASE WHEN pin_failures + 1 >= ${limit} THEN COALESCE(locked_at, ${now}) ELSE locked_at END`,
      })
      .where('id', '=', id)
      .execute();
    const row = await db.selectFrom('console_shares').select('pin_failures').where('id', '=', id).executeTakeFirst();
    return row?.pin_failures ?? limit;
  }

  /** Revokes; false when it was revoked already (or is another guest's). */
  async revoke(db: Executor, id: string, where: { tenantId: string; serverId: string; vmid: number }, now: number) {
    const result = await db
      .updateTable('console_shares')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('tenant_id', '=', where.tenantId)
      .where('server_id', '=', where.serverId)
      .where('vmid', '=', where.vmid)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Links long over: nothing to keep a week after they ended. */
  async deleteEndedBefore(db: Executor, before: number): Promise<number> {
    const result = await db
      .deleteFrom('console_shares')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
