// Keyed audit chain: each row names the key of its HMAC (`hash_key_id`; null for rows hashed
// with plain SHA-256 before this migration), and `audit_keys` keeps the chain keys of retired
// master keys, sealed under the current one (see modules/audit/audit-keys.ts).
import type { Kysely } from 'kysely';
import { addColumns, createEntity, dropColumns, dropTables, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await addColumns(db, 'audit_logs', { hash_key_id: 'text' });
  await createEntity(db, 'audit_keys')
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'created_at'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, ['audit_keys']);
  await dropColumns(db, 'audit_logs', ['hash_key_id']);
}
