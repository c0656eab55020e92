// Single sign-on: the identity-provider accounts linked to users (provider + subject, unique),
// sign-ins waiting for the provider's answer (state stored as SHA-256 with the PKCE verifier,
// nonce, where to go after and a hash of the browser's cookie, ten minutes), and the provider a
// session came from (for signing out there too).
import type { Kysely } from 'kysely';
import { addColumns, addRequiredColumn, createEntity, dropColumns, dropTables, ownedBy, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await createEntity(db, 'user_identities')
    .$call(ownedBy('user_id', 'users'))
    .$call(required('text', 'provider_id', 'subject'))
    .$call(required(t.millis, 'created_at'))
    .addUniqueConstraint('user_identities_subject_unique', ['provider_id', 'subject'])
    .execute();
  await createEntity(db, 'sso_logins')
    .$call(required('text', 'provider_id', 'browser_hash', 'code_verifier', 'nonce', 'return_to'))
    .$call(required(t.millis, 'created_at', 'expires_at'))
    .execute();
  await addColumns(db, 'sessions', { sso_provider: 'text' });
  await addRequiredColumn(db, 'sessions', 'idp_mfa', 'integer', 0);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'sessions', ['idp_mfa', 'sso_provider']);
  await dropTables(db, ['sso_logins', 'user_identities']);
}
