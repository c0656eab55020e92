// Console tickets per user and minute are counted on every ticket request (issue 14): an index
// that finds a user's recent rows without reading their whole console history.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('console_sessions_user_created_idx')
    .on('console_sessions')
    .columns(['user_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('console_sessions_user_created_idx').ifExists().execute();
}
