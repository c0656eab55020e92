// realtime_events: the PostgreSQL hub's log of tenant events, so every instance shares one id
// sequence (Last-Event-ID works on any instance) and catches up after a database restart.
// The auto-increment key is the one place the dialects need different DDL.
import { type Kysely, sql } from 'kysely';
import { createIndex, dropTables, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { dialect, types: t }: MigrationContext): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create table realtime_events (id bigserial primary key, tenant_id text not null, payload text not null, created_at bigint not null)`.execute(
      db,
    );
  } else {
    await db.schema
      .createTable('realtime_events')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .$call(required('text', 'tenant_id', 'payload'))
      .$call(required(t.millis, 'created_at'))
      .execute();
  }
  await createIndex(db, 'realtime_events_tenant_idx', 'realtime_events', ['tenant_id', 'id']);
  await createIndex(db, 'realtime_events_created_idx', 'realtime_events', ['created_at']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, ['realtime_events']);
}
