// Console tickets per user and minute are counted on every ticket request (issue 14): an index
// that finds a user's recent rows without reading their whole console history.
import type { Kysely } from 'kysely';
import { createIndex } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createIndex(db, 'console_sessions_user_created_idx', 'console_sessions', ['user_id', 'created_at']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('console_sessions_user_created_idx').ifExists().execute();
}
