// Outbound alerts: a tenant's channels (e-mail, webhooks; a webhook's secret sealed with the
// master key), the outbox written in the same transaction as what it reports, one delivery per
// channel (or person) with its attempts, the state of each server's alert (the offline window,
// flaps), per-server mutes, users' alert e-mail choices and the devices they signed in from.
// The outbox and deliveries are ordered by an auto-increment key: the one place the dialects
// need different DDL (as in realtime_events).
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index';

async function createSequenced(
  db: Kysely<unknown>,
  { dialect }: MigrationContext,
  table: string,
  columns: string,
): Promise<void> {
  const key = dialect === 'postgres' ? 'seq bigserial primary key' : 'seq integer primary key autoincrement';
  await sql.raw(`create table ${table} (${key}, ${columns})`).execute(db);
}

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const t = ctx.types;
  const ms = ctx.dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('notification_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text')
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_per_hour', 'integer', (c) => c.notNull())
    .addColumn('quiet_hours', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addColumn('last_success_at', t.millis)
    .addColumn('last_failure_at', t.millis)
    .addColumn('last_error', 'text')
    .addColumn('failing_since', t.millis)
    .execute();
  await db.schema
    .createIndex('notification_channels_tenant_idx')
    .on('notification_channels')
    .column('tenant_id')
    .execute();

  await createSequenced(
    db,
    ctx,
    'alert_outbox',
    `id text not null unique, tenant_id text, event text not null, data text not null,
     occurred_at ${ms} not null, dispatched_at ${ms}`,
  );
  await db.schema
    .createIndex('alert_outbox_pending_idx')
    .on('alert_outbox')
    .columns(['dispatched_at', 'seq'])
    .execute();

  await createSequenced(
    db,
    ctx,
    'alert_deliveries',
    `id text not null unique, outbox_id text not null, tenant_id text, channel_id text, user_id text,
     event text not null, summary text not null, data text not null, created_at ${ms} not null,
     due_at ${ms} not null, quiet integer not null default 0, state text not null,
     attempts integer not null default 0, next_attempt_at ${ms}, last_error text, sent_at ${ms},
     claimed_until ${ms}, digest_id text`,
  );
  await db.schema
    .createIndex('alert_deliveries_channel_idx')
    .on('alert_deliveries')
    .columns(['channel_id', 'state', 'seq'])
    .execute();
  await db.schema
    .createIndex('alert_deliveries_user_idx')
    .on('alert_deliveries')
    .columns(['user_id', 'state'])
    .execute();
  await db.schema
    .createIndex('alert_deliveries_state_idx')
    .on('alert_deliveries')
    .columns(['state', 'due_at'])
    .execute();

  await db.schema
    .createTable('alert_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('at', t.millis, (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_attempts_delivery_idx').on('alert_attempts').column('delivery_id').execute();

  await db.schema
    .createTable('server_alerts')
    .addColumn('server_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', t.millis, (c) => c.notNull())
    .addColumn('fired_at', t.millis)
    .addColumn('resolving_since', t.millis)
    .addColumn('flaps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('alert_mutes')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('server_id', 'text', (c) => c.notNull())
    .addColumn('until', t.millis, (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_mutes_pk', ['tenant_id', 'server_id'])
    .execute();

  await db.schema
    .createTable('user_devices')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_hash', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', t.millis, (c) => c.notNull())
    .addColumn('last_seen_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_devices_pk', ['user_id', 'device_hash'])
    .execute();

  await db.schema
    .createTable('user_alert_prefs')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('guest_power', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sign_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'user_alert_prefs',
    'user_devices',
    'alert_mutes',
    'server_alerts',
    'alert_attempts',
    'alert_deliveries',
    'alert_outbox',
    'notification_channels',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
