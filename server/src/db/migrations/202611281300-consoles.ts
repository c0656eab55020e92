// Console sessions across instances: the API token a ticket is bound to (sessions use
// session_id), and a heartbeat so rows of an instance that died stop counting against limits.
import type { Kysely } from 'kysely';
import { addColumns, createIndex, dropColumns } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await addColumns(db, 'console_sessions', { token_id: 'text', heartbeat_at: t.millis });
  await createIndex(db, 'console_sessions_node_idx', 'console_sessions', ['server_id', 'node', 'closed_at']);
  await createIndex(db, 'console_sessions_user_idx', 'console_sessions', ['user_id', 'closed_at']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('console_sessions_user_idx').ifExists().execute();
  await db.schema.dropIndex('console_sessions_node_idx').ifExists().execute();
  await dropColumns(db, 'console_sessions', ['heartbeat_at', 'token_id']);
}
