// The whole data model of DESIGN.md §4, written once for both dialects with portable types.
import type { Kysely } from 'kysely';
import { counters, createEntity, createIndex, dropTables, ownedBy, required, timestamps } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await createEntity(db, 'users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('full_name', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('global_role', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('disabled_at', t.millis)
    .addColumn('password_changed_at', t.millis)
    .$call(timestamps(t.millis))
    .execute();

  await createEntity(db, 'sessions')
    .$call(ownedBy('user_id', 'users'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'created_at', 'last_seen_at', 'expires_at'))
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await createIndex(db, 'sessions_user_idx', 'sessions', ['user_id']);

  await createEntity(db, 'api_tokens')
    .$call(ownedBy('user_id', 'users'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'created_at'))
    .addColumn('last_used_at', t.millis)
    .addColumn('expires_at', t.millis)
    .execute();
  await createIndex(db, 'api_tokens_user_idx', 'api_tokens', ['user_id']);

  // Failed logins, shared by every instance so brute-force limits hold across them.
  await createEntity(db, 'login_failures')
    .$call(required('text', 'email', 'ip'))
    .$call(required(t.millis, 'created_at'))
    .execute();
  await createIndex(db, 'login_failures_pair_idx', 'login_failures', ['email', 'ip', 'created_at']);
  await createIndex(db, 'login_failures_ip_idx', 'login_failures', ['ip', 'created_at']);

  await createEntity(db, 'tenants')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('logo_url', 'text')
    .$call(counters(1, 'is_active'))
    .addColumn('created_by', 'text')
    .$call(timestamps(t.millis))
    .execute();

  await db.schema
    .createTable('tenant_settings')
    .$call(ownedBy('tenant_id', 'tenants', 'primaryKey'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'updated_at'))
    .execute();

  await db.schema
    .createTable('tenant_keys')
    .$call(ownedBy('tenant_id', 'tenants', 'primaryKey'))
    .$call(required('text', 'key_id', 'wrapped_key'))
    .$call(timestamps(t.millis))
    .execute();

  await createEntity(db, 'invitations')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .$call(ownedBy('tenant_id', 'tenants', 'optional'))
    .addColumn('email', 'text')
    .addColumn('role', 'text')
    .addColumn('created_by', 'text')
    .$call(required(t.millis, 'created_at', 'expires_at'))
    .addColumn('used_at', t.millis)
    .execute();

  await createEntity(db, 'user_tenant_assignments')
    .$call(ownedBy('user_id', 'users'))
    .$call(ownedBy('tenant_id', 'tenants'))
    .addColumn('role', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'created_at'))
    .addUniqueConstraint('user_tenant_unique', ['user_id', 'tenant_id'])
    .execute();
  await createIndex(db, 'user_tenant_tenant_idx', 'user_tenant_assignments', ['tenant_id']);

  await createEntity(db, 'proxmox_servers')
    .$call(ownedBy('tenant_id', 'tenants'))
    .$call(required('text', 'name', 'host'))
    .$call(counters(8006, 'port'))
    .$call(required('text', 'token_id', 'token_secret_encrypted', 'tls_mode'))
    .addColumn('tls_fingerprint', 'text')
    .addColumn('ca_pem', 'text')
    .$call(counters(0, 'use_tailscale'))
    .addColumn('tailscale_hostname', 'text')
    .addColumn('connection_timeout_ms', 'integer', (c) => c.notNull())
    .$call(counters(1, 'is_active'))
    .addColumn('connection_status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('last_health_check_at', t.millis)
    .addColumn('health_check_error', 'text')
    .addColumn('avg_response_time_ms', t.real)
    .addColumn('success_rate', t.real)
    .addColumn('learned_timeout_ms', 'integer')
    .$call(counters(0, 'consecutive_failures'))
    .addColumn('next_check_at', t.millis)
    .addColumn('status_changed_at', t.millis)
    .addColumn('created_by', 'text')
    .$call(timestamps(t.millis))
    .addUniqueConstraint('proxmox_servers_host_unique', ['tenant_id', 'host', 'port'])
    .execute();

  await createEntity(db, 'user_vm_assignments')
    .$call(ownedBy('tenant_id', 'tenants'))
    .$call(ownedBy('user_id', 'users'))
    .$call(ownedBy('server_id', 'proxmox_servers'))
    .addColumn('vmid', 'integer', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'created_at'))
    .addUniqueConstraint('user_vm_unique', ['tenant_id', 'user_id', 'server_id', 'vmid'])
    .execute();

  await createEntity(db, 'notifications')
    .$call(ownedBy('tenant_id', 'tenants'))
    .$call(required('text', 'kind', 'payload'))
    .addColumn('actor_user_id', 'text')
    .$call(required(t.millis, 'created_at'))
    .execute();
  await createIndex(db, 'notifications_tenant_idx', 'notifications', ['tenant_id', 'created_at']);

  await db.schema
    .createTable('notification_reads')
    .$call(ownedBy('notification_id', 'notifications'))
    .$call(ownedBy('user_id', 'users'))
    .$call(required(t.millis, 'read_at'))
    .addPrimaryKeyConstraint('notification_reads_pk', ['notification_id', 'user_id'])
    .execute();

  await createEntity(db, 'connection_metrics')
    .$call(required('text', 'tenant_id', 'server_id', 'kind'))
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('response_time_ms', t.real)
    .addColumn('error', 'text')
    .$call(required(t.millis, 'created_at'))
    .execute();
  await createIndex(db, 'connection_metrics_server_idx', 'connection_metrics', ['server_id', 'created_at']);
  await createIndex(db, 'connection_metrics_created_idx', 'connection_metrics', ['created_at']);

  // No foreign keys: the trail outlives the users, tenants and servers it mentions.
  await createEntity(db, 'audit_logs')
    .addColumn('seq', t.millis, (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text')
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_label', 'text')
    .addColumn('actor_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .$call(required(t.millis, 'created_at'))
    .$call(required('text', 'prev_hash', 'hash'))
    .execute();
  await createIndex(db, 'audit_logs_tenant_idx', 'audit_logs', ['tenant_id', 'seq']);
  await createIndex(db, 'audit_logs_created_idx', 'audit_logs', ['created_at']);

  await createEntity(db, 'console_sessions')
    .addColumn('ticket_hash', 'text', (c) => c.notNull().unique())
    .$call(required('text', 'tenant_id', 'user_id'))
    .addColumn('session_id', 'text')
    .addColumn('server_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text')
    .addColumn('vmid', 'integer', (c) => c.notNull())
    .addColumn('vm_type', 'text')
    .addColumn('view_only', 'integer', (c) => c.notNull())
    .$call(required(t.millis, 'expires_at'))
    .addColumn('consumed_at', t.millis)
    .addColumn('opened_at', t.millis)
    .addColumn('closed_at', t.millis)
    .addColumn('bytes_up', t.millis, (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_down', t.millis, (c) => c.notNull().defaultTo(0))
    .addColumn('close_reason', 'text')
    .addColumn('instance_id', 'text')
    .$call(required(t.millis, 'created_at'))
    .execute();
  await createIndex(db, 'console_sessions_open_idx', 'console_sessions', [
    'tenant_id',
    'server_id',
    'vmid',
    'closed_at',
  ]);

  await db.schema
    .createTable('kv')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'updated_at'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, [
    'kv',
    'console_sessions',
    'audit_logs',
    'connection_metrics',
    'notification_reads',
    'notifications',
    'user_vm_assignments',
    'proxmox_servers',
    'user_tenant_assignments',
    'invitations',
    'tenant_keys',
    'tenant_settings',
    'tenants',
    'login_failures',
    'api_tokens',
    'sessions',
    'users',
  ]);
}
