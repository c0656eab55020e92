// SQL of second factors: TOTP secrets, recovery codes and the sign-in challenges between the
// password and the second factor. Acceptance is a guarded update (a time step only moves forward,
// a recovery code is used once), so a code cannot be used twice even by parallel requests.
import type { Selectable } from 'kysely';
import type { UserTotpTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type TotpRow = Selectable<UserTotpTable>;

export class SecondFactorsRepo {
  findTotp(db: Executor, userId: string): Promise<TotpRow | undefined> {
    return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /** A confirmed authenticator app or a passkey: one query (it runs for every signed-in request). */
  async hasAnyFactor(db: Executor, userId: string): Promise<boolean> {
    const row = await this.confirmedTotp(db, userId)
      .unionAll(db.selectFrom('passkeys').select('user_id').where('user_id', '=', userId))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async hasConfirmedTotp(db: Executor, userId: string): Promise<boolean> {
    const row = await this.confirmedTotp(db, userId).executeTakeFirst();
    return row !== undefined;
  }

  private confirmedTotp(db: Executor, userId: string) {
    return db
      .selectFrom('user_totp')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is not', null);
  }

  /** A new pending secret replaces an unconfirmed one; a confirmed one stays (false). */
  async putPendingTotp(db: Executor, userId: string, sealed: string, now: number): Promise<boolean> {
    await db.deleteFrom('user_totp').where('user_id', '=', userId).where('confirmed_at', 'is', null).execute();
    const existing = await this.findTotp(db, userId);
    if (existing) return false;
    await db
      .insertInto('user_totp')
      .values({ user_id: userId, secret_sealed: sealed, confirmed_at: null, last_step: 0, created_at: now })
      .execute();
    return true;
  }

  /** Accepts a code's time step once: only a step after the last accepted one. */
  async acceptStep(db: Executor, userId: string, step: number, confirmAt: number | null): Promise<boolean> {
    let q = db
      .updateTable('user_totp')
      .set({ last_step: step })
      .where('user_id', '=', userId)
      .where('last_step', '<', step);
    if (confirmAt !== null) q = q.set({ confirmed_at: confirmAt });
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deleteTotp(db: Executor, userId: string): Promise<void> {
    await db.deleteFrom('user_totp').where('user_id', '=', userId).execute();
  }

  async replaceRecoveryCodes(db: Executor, userId: string, rows: { id: string; code_hash: string }[], now: number) {
    await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (rows.length === 0) return;
    await db
      .insertInto('recovery_codes')
      .values(rows.map((r) => ({ ...r, user_id: userId, used_at: null, created_at: now })))
      .execute();
  }

  async spendRecoveryCode(db: Executor, userId: string, codeHash: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recoveryCodesLeft(db: Executor, userId: string): Promise<number> {
    const row = await db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  insertChallenge(db: Executor, row: { id: string; user_id: string; created_at: number; expires_at: number }) {
    return db.insertInto('mfa_challenges').values(row).execute();
  }

  findChallenge(db: Executor, id: string, now: number) {
    return db
      .selectFrom('mfa_challenges')
      .select(['id', 'user_id'])
      .where('id', '=', id)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async deleteChallenges(db: Executor, where: { id: string } | { userId: string } | { before: number }) {
    let q = db.deleteFrom('mfa_challenges');
    if ('id' in where) q = q.where('id', '=', where.id);
    else if ('userId' in where) q = q.where('user_id', '=', where.userId);
    else q = q.where('expires_at', '<', where.before);
    await q.execute();
  }

  markReset(db: Executor, userId: string, now: number) {
    return db.updateTable('users').set({ factors_reset_at: now }).where('id', '=', userId).execute();
  }

  /** The user's sessions may go on: the factor they had to enrol is there. */
  async clearMustEnrol(db: Executor, userId: string): Promise<void> {
    await db.updateTable('sessions').set({ must_enrol: 0 }).where('user_id', '=', userId).execute();
  }

  /** Every TOTP row with its sealed secret (master-key rotation re-seals them). */
  allSealed(db: Executor) {
    return db.selectFrom('user_totp').select(['user_id', 'secret_sealed']).execute();
  }

  updateSealed(db: Executor, userId: string, sealed: string) {
    return db.updateTable('user_totp').set({ secret_sealed: sealed }).where('user_id', '=', userId).execute();
  }
}
