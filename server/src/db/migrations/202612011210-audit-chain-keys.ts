// Keyed audit chain: each row names the key of its HMAC (`hash_key_id`; null for rows hashed
// with plain SHA-256 before this migration), and `audit_keys` keeps the chain keys of retired
// master keys, sealed under the current one (see modules/audit/audit-keys.ts).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema.alterTable('audit_logs').addColumn('hash_key_id', 'text').execute();
  await db.schema
    .createTable('audit_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_keys').ifExists().execute();
  await db.schema.alterTable('audit_logs').dropColumn('hash_key_id').execute();
}
