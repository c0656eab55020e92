// Single sign-on: the identity-provider accounts linked to users (provider + subject, unique),
// sign-ins waiting for the provider's answer (state stored as SHA-256 with the PKCE verifier,
// nonce, where to go after and a hash of the browser's cookie, ten minutes), and the provider a
// session came from (for signing out there too).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('user_identities_subject_unique', ['provider_id', 'subject'])
    .execute();
  await db.schema
    .createTable('sso_logins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.alterTable('sessions').addColumn('sso_provider', 'text').execute();
  await db.schema
    .alterTable('sessions')
    .addColumn('idp_mfa', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('idp_mfa').execute();
  await db.schema.alterTable('sessions').dropColumn('sso_provider').execute();
  await db.schema.dropTable('sso_logins').ifExists().execute();
  await db.schema.dropTable('user_identities').ifExists().execute();
}
