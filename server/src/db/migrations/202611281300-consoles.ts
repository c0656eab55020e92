// Console sessions across instances: the API token a ticket is bound to (sessions use
// session_id), and a heartbeat so rows of an instance that died stop counting against limits.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema.alterTable('console_sessions').addColumn('token_id', 'text').execute();
  await db.schema.alterTable('console_sessions').addColumn('heartbeat_at', t.millis).execute();
  await db.schema
    .createIndex('console_sessions_node_idx')
    .on('console_sessions')
    .columns(['server_id', 'node', 'closed_at'])
    .execute();
  await db.schema
    .createIndex('console_sessions_user_idx')
    .on('console_sessions')
    .columns(['user_id', 'closed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('console_sessions_user_idx').ifExists().execute();
  await db.schema.dropIndex('console_sessions_node_idx').ifExists().execute();
  await db.schema.alterTable('console_sessions').dropColumn('heartbeat_at').execute();
  await db.schema.alterTable('console_sessions').dropColumn('token_id').execute();
}
