// Second factors: a TOTP secret per user (sealed with the master key; pending until confirmed
// by a code; the last accepted time step, so a code is never accepted twice), ten single-use
// recovery codes (SHA-256), sign-in challenges between the password and the second factor (the
// cookie's SHA-256), and sessions that must enrol a factor before anything else
// (NEXUS_REQUIRE_MFA).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('user_totp')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', t.millis)
    .addColumn('last_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();
  await db.schema
    .createTable('mfa_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('sessions')
    .addColumn('must_enrol', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('must_enrol').execute();
  await db.schema.dropTable('mfa_challenges').ifExists().execute();
  await db.schema.dropTable('recovery_codes').ifExists().execute();
  await db.schema.dropTable('user_totp').ifExists().execute();
}
