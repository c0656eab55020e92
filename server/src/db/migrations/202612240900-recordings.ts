// Console recordings: one row per recorded console, its file under NEXUS_RECORDINGS_DIR. The
// server, guest and user are kept as plain ids (no foreign keys): a recording is the audit log's
// other half and outlives a deleted server or account; it goes with its tenant, or by retention.
import type { Kysely } from 'kysely';
import { createEntity, createIndex, dropTables, ownedBy, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await createEntity(db, 'console_recordings')
    .$call(ownedBy('tenant_id', 'tenants'))
    .addColumn('console_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('share_id', 'text')
    .$call(required('text', 'server_id'))
    .addColumn('vmid', 'integer')
    .addColumn('node', 'text')
    .$call(required('text', 'kind', 'status', 'file', 'key_id'))
    .$call(required(t.millis, 'started_at'))
    .addColumn('ended_at', t.millis)
    .addColumn('duration_ms', t.millis)
    .addColumn('bytes', t.millis, (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await createIndex(db, 'console_recordings_tenant_idx', 'console_recordings', ['tenant_id', 'started_at']);
  await createIndex(db, 'console_recordings_status_idx', 'console_recordings', ['status']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, ['console_recordings']);
}
