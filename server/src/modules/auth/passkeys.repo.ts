// SQL of passkeys and WebAuthn challenges (each challenge taken once).
import type { Insertable, Selectable } from 'kysely';
import type { PasskeysTable, WebauthnChallengesTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type PasskeyRow = Selectable<PasskeysTable>;
export type ChallengeRow = Selectable<WebauthnChallengesTable>;

export class PasskeysRepo {
  list(db: Executor, userId: string): Promise<PasskeyRow[]> {
    return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }

  byCredential(db: Executor, credentialId: string): Promise<PasskeyRow | undefined> {
    return db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
  }

  async count(db: Executor, userId: string): Promise<number> {
    const row = await db
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  insert(db: Executor, row: Insertable<PasskeysTable>) {
    return db.insertInto('passkeys').values(row).execute();
  }

  async remove(db: Executor, userId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('passkeys').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  removeAll(db: Executor, userId: string) {
    return db.deleteFrom('passkeys').where('user_id', '=', userId).execute();
  }

  /** A signature counter only moves forward (a cloned authenticator would fall behind). */
  async used(db: Executor, id: string, counter: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('passkeys')
      .set({ counter, last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('counter', '<', counter), eb('counter', '=', 0)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  putChallenge(db: Executor, row: Insertable<WebauthnChallengesTable>) {
    return db.insertInto('webauthn_challenges').values(row).execute();
  }

  async takeChallenge(db: Executor, id: string, now: number): Promise<ChallengeRow | undefined> {
    const row = await db.selectFrom('webauthn_challenges').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const r = await db.deleteFrom('webauthn_challenges').where('id', '=', id).executeTakeFirst();
    await db.deleteFrom('webauthn_challenges').where('expires_at', '<', now).execute();
    return Number(r.numDeletedRows) === 1 && row.expires_at > now ? row : undefined;
  }
}
