// SQL of single sign-on: linked provider accounts and sign-ins waiting for the provider's answer
// (taken once: a replayed callback finds nothing).
import type { Insertable, Selectable } from 'kysely';
import type { SsoLoginsTable } from '../../../db/schema';
import type { Executor } from '../../../db/tx';

export type SsoLoginRow = Selectable<SsoLoginsTable>;

export class SsoRepo {
  async userBySubject(db: Executor, providerId: string, subject: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('user_identities')
      .select('user_id')
      .where('provider_id', '=', providerId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_id;
  }

  link(db: Executor, row: { id: string; user_id: string; provider_id: string; subject: string; created_at: number }) {
    return db.insertInto('user_identities').values(row).execute();
  }

  insertLogin(db: Executor, row: Insertable<SsoLoginsTable>) {
    return db.insertInto('sso_logins').values(row).execute();
  }

  /** The waiting sign-in for this state, removed as it is read (single use); expired ones too. */
  async takeLogin(db: Executor, id: string, now: number): Promise<SsoLoginRow | undefined> {
    const row = await db.selectFrom('sso_logins').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const deleted = await db.deleteFrom('sso_logins').where('id', '=', id).executeTakeFirst();
    await db.deleteFrom('sso_logins').where('expires_at', '<', now).execute();
    return Number(deleted.numDeletedRows) === 1 && row.expires_at > now ? row : undefined;
  }

  async sessionProvider(db: Executor, sessionId: string): Promise<string | null> {
    const row = await db.selectFrom('sessions').select('sso_provider').where('id', '=', sessionId).executeTakeFirst();
    return row?.sso_provider ?? null;
  }

  markSession(db: Executor, sessionId: string, providerId: string) {
    return db.updateTable('sessions').set({ sso_provider: providerId }).where('id', '=', sessionId).execute();
  }
}
