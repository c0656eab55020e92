// Second factors: a TOTP secret per user (sealed with the master key; pending until confirmed
// by a code; the last accepted time step, so a code is never accepted twice), ten single-use
// recovery codes (SHA-256), sign-in challenges between the password and the second factor (the
// cookie's SHA-256), and sessions that must enrol a factor before anything else
// (NEXUS_REQUIRE_MFA).
import type { Kysely } from 'kysely';
import {
  addRequiredColumn,
  counters,
  createEntity,
  createIndex,
  dropColumns,
  dropTables,
  ownedBy,
  required,
} from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('user_totp')
    .$call(ownedBy('user_id', 'users', 'primaryKey'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', t.millis)
    .$call(counters(0, 'last_step'))
    .$call(required(t.millis, 'created_at'))
    .execute();
  await createEntity(db, 'recovery_codes')
    .$call(ownedBy('user_id', 'users'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', t.millis)
    .$call(required(t.millis, 'created_at'))
    .execute();
  await createIndex(db, 'recovery_codes_user_idx', 'recovery_codes', ['user_id']);
  await createEntity(db, 'mfa_challenges')
    .$call(ownedBy('user_id', 'users'))
    .$call(required(t.millis, 'created_at', 'expires_at'))
    .execute();
  await addRequiredColumn(db, 'sessions', 'must_enrol', 'integer', 0);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'sessions', ['must_enrol']);
  await dropTables(db, ['mfa_challenges', 'recovery_codes', 'user_totp']);
}
