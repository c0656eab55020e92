// Outbound alerts: a tenant's channels (e-mail, webhooks; a webhook's secret sealed with the
// master key), the outbox written in the same transaction as what it reports, one delivery per
// channel (or person) with its attempts, the state of each server's alert (the offline window,
// flaps), per-server mutes, users' alert e-mail choices and the devices they signed in from.
// The outbox and deliveries are ordered by an auto-increment key: the one place the dialects
// need different DDL (as in realtime_events).
import { type Kysely, sql } from 'kysely';
import { counters, createEntity, createIndex, dropTables, ownedBy, required, timestamps } from './columns';
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
  await createEntity(db, 'notification_channels')
    .$call(ownedBy('tenant_id', 'tenants'))
    .$call(required('text', 'name', 'type', 'target'))
    .addColumn('secret_sealed', 'text')
    .addColumn('events', 'text', (c) => c.notNull())
    .$call(counters(1, 'enabled'))
    .addColumn('max_per_hour', 'integer', (c) => c.notNull())
    .addColumn('quiet_hours', 'text')
    .$call(timestamps(t.millis))
    .addColumn('last_success_at', t.millis)
    .addColumn('last_failure_at', t.millis)
    .addColumn('last_error', 'text')
    .addColumn('failing_since', t.millis)
    .execute();
  await createIndex(db, 'notification_channels_tenant_idx', 'notification_channels', ['tenant_id']);

  await createSequenced(
    db,
    ctx,
    'alert_outbox',
    `id text not null unique, tenant_id text, event text not null, data text not null,
     occurred_at ${ms} not null, dispatched_at ${ms}`,
  );
  await createIndex(db, 'alert_outbox_pending_idx', 'alert_outbox', ['dispatched_at', 'seq']);

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
  await createIndex(db, 'alert_deliveries_channel_idx', 'alert_deliveries', ['channel_id', 'state', 'seq']);
  await createIndex(db, 'alert_deliveries_user_idx', 'alert_deliveries', ['user_id', 'state']);
  await createIndex(db, 'alert_deliveries_state_idx', 'alert_deliveries', ['state', 'due_at']);

  await createEntity(db, 'alert_attempts')
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'at'))
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await createIndex(db, 'alert_attempts_delivery_idx', 'alert_attempts', ['delivery_id']);

  await db.schema
    .createTable('server_alerts')
    .addColumn('server_id', 'text', (c) => c.primaryKey())
    .$call(required('text', 'tenant_id', 'name', 'kind', 'state'))
    .$call(required(t.millis, 'since'))
    .addColumn('fired_at', t.millis)
    .addColumn('resolving_since', t.millis)
    .$call(counters(0, 'flaps'))
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('alert_mutes')
    .$call(ownedBy('tenant_id', 'tenants'))
    .addColumn('server_id', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'until'))
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text')
    .$call(required(t.millis, 'created_at'))
    .addPrimaryKeyConstraint('alert_mutes_pk', ['tenant_id', 'server_id'])
    .execute();

  await db.schema
    .createTable('user_devices')
    .$call(ownedBy('user_id', 'users'))
    .addColumn('device_hash', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'first_seen_at', 'last_seen_at'))
    .addPrimaryKeyConstraint('user_devices_pk', ['user_id', 'device_hash'])
    .execute();

  await db.schema
    .createTable('user_alert_prefs')
    .$call(ownedBy('user_id', 'users', 'primaryKey'))
    .$call(counters(0, 'guest_power', 'sign_in'))
    .$call(required(t.millis, 'updated_at'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, [
    'user_alert_prefs',
    'user_devices',
    'alert_mutes',
    'server_alerts',
    'alert_attempts',
    'alert_deliveries',
    'alert_outbox',
    'notification_channels',
  ]);
}
