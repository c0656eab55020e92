// realtime_events: the PostgreSQL hub's log of tenant events, so every instance shares one id
// sequence (Last-Event-ID works on any instance) and catches up after a database restart.
// The auto-increment key is the one place the dialects need different DDL.
import { type Kysely, sql } from 'kysely';
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
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
  }
  await db.schema
    .createIndex('realtime_events_tenant_idx')
    .on('realtime_events')
    .columns(['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('realtime_events_created_idx').on('realtime_events').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('realtime_events').ifExists().execute();
}
