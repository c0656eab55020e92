// Sessions, personal API tokens, one-time invitation/setup links and sign-in attempts (failed
// ones, and ones whose password is being checked).
// Only hashes of the secrets are stored.
import type { Insertable } from 'kysely';
import type { ApiTokensTable, InvitationsTable, SessionsTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export class CredentialsRepo {
  async insertSession(db: Executor, row: Insertable<SessionsTable>): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  }

  findSession(db: Executor, id: string) {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async touchSession(db: Executor, id: string, at: number): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }

  async deleteSession(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Revokes every session of a user, optionally keeping one (the caller's). */
  async deleteUserSessions(db: Executor, userId: string, keepId?: string): Promise<string[]> {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepId) q = q.where('id', '!=', keepId);
    const rows = await q.returning('id').execute();
    return rows.map((r) => r.id);
  }

  async deleteExpiredSessions(db: Executor, now: number): Promise<void> {
    await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }

  async insertToken(db: Executor, row: Insertable<ApiTokensTable>): Promise<void> {
    await db.insertInto('api_tokens').values(row).execute();
  }

  findTokenByHash(db: Executor, hash: string) {
    return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  listTokens(db: Executor, userId: string) {
    return db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  async deleteToken(db: Executor, userId: string, id: string): Promise<boolean> {
    const res = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async deleteUserTokens(db: Executor, userId: string): Promise<void> {
    await db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
  }

  async touchToken(db: Executor, id: string, at: number): Promise<void> {
    await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async insertInvitation(db: Executor, row: Insertable<InvitationsTable>): Promise<void> {
    await db.insertInto('invitations').values(row).execute();
  }

  findInvitation(db: Executor, hash: string) {
    return db.selectFrom('invitations').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  /** Marks a link used; false if someone else used it first (single use even under races). */
  async consumeInvitation(db: Executor, id: string, at: number): Promise<boolean> {
    const res = await db
      .updateTable('invitations')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async recordLoginFailure(db: Executor, row: { id: string; email: string; ip: string; created_at: number }) {
    await db.insertInto('login_failures').values(row).execute();
  }

  recentFailures(db: Executor, by: { email?: string; ip: string }, since: number, limit: number): Promise<number[]> {
    let q = db
      .selectFrom('login_failures')
      .select('created_at')
      .where('ip', '=', by.ip)
      .where('created_at', '>=', since);
    if (by.email !== undefined) q = q.where('email', '=', by.email);
    return q
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute()
      .then((rows) => rows.map((r) => r.created_at));
  }

  async deleteLoginFailure(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('login_failures').where('id', '=', id).execute();
  }

  async pruneFailures(db: Executor, before: number): Promise<void> {
    await db.deleteFrom('login_failures').where('created_at', '<', before).execute();
  }
}
