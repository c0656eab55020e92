// Sessions, personal API tokens, one-time invitation/setup links and sign-in attempts (failed
// ones, and ones whose password is being checked).
// Only hashes of the secrets are stored.
import type { Insertable } from 'kysely';
import type { ApiTokensTable, InvitationsTable, SessionsTable, UserTenantAssignmentsTable } from '../../db/schema';
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

  /** A user's sessions, most recently used first. */
  listSessions(db: Executor, userId: string, now: number) {
    return db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
      .where('user_id', '=', userId)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute();
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

  findToken(db: Executor, id: string) {
    return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
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

  async deleteUserTokens(db: Executor, userId: string): Promise<string[]> {
    const rows = await db.deleteFrom('api_tokens').where('user_id', '=', userId).returning('id').execute();
    return rows.map((r) => r.id);
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

  /** A tenant's invitations neither used nor expired, newest first. */
  pendingInvitations(db: Executor, tenantId: string, now: number) {
    return db
      .selectFrom('invitations')
      .selectAll()
      .where('kind', '=', 'invite')
      .where('tenant_id', '=', tenantId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  /** Deletes a tenant's unused invitation; the row, or undefined when there was none. */
  async deleteInvitation(db: Executor, tenantId: string, id: string) {
    const row = await db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'invite')
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    await db.deleteFrom('invitations').where('id', '=', id).where('used_at', 'is', null).execute();
    return row;
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

  /** The membership an accepted invitation grants. */
  async insertMembership(db: Executor, row: Insertable<UserTenantAssignmentsTable>): Promise<void> {
    await db.insertInto('user_tenant_assignments').values(row).execute();
  }

  async insertLoginAttempt(db: Executor, row: { id: string; email: string; ip: string; created_at: number }) {
    await db
      .insertInto('login_failures')
      .values({ ...row, in_flight: 1 })
      .execute();
  }

  /** The attempt's password was wrong: it stays, as a failure. */
  async settleLoginFailure(db: Executor, id: string): Promise<void> {
    await db.updateTable('login_failures').set({ in_flight: 0 }).where('id', '=', id).execute();
  }

  /** Attempts from one address since `since`, newest first (a few dozen at most: refused attempts
   * leave no row). */
  recentAttempts(
    db: Executor,
    ip: string,
    since: number,
  ): Promise<{ email: string; created_at: number; in_flight: number }[]> {
    return db
      .selectFrom('login_failures')
      .select(['email', 'created_at', 'in_flight'])
      .where('ip', '=', ip)
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .limit(1000)
      .execute();
  }

  async deleteLoginFailure(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('login_failures').where('id', '=', id).execute();
  }

  async pruneFailures(db: Executor, before: number): Promise<void> {
    await db.deleteFrom('login_failures').where('created_at', '<', before).execute();
  }
}
