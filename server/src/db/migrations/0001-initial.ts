// The whole data model of DESIGN.md §4, written once for both dialects with portable types.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('full_name', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('global_role', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('disabled_at', t.millis)
    .addColumn('password_changed_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('last_seen_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('last_used_at', t.millis)
    .addColumn('expires_at', t.millis)
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  // Failed logins, shared by every instance so brute-force limits hold across them.
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_failures_pair_idx')
    .on('login_failures')
    .columns(['email', 'ip', 'created_at'])
    .execute();
  await db.schema.createIndex('login_failures_ip_idx').on('login_failures').columns(['ip', 'created_at']).execute();

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('logo_url', 'text')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenant_settings')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenant_keys')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('role', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('used_at', t.millis)
    .execute();

  await db.schema
    .createTable('user_tenant_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('user_tenant_unique', ['user_id', 'tenant_id'])
    .execute();
  await db.schema.createIndex('user_tenant_tenant_idx').on('user_tenant_assignments').column('tenant_id').execute();

  await db.schema
    .createTable('proxmox_servers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull().defaultTo(8006))
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('token_secret_encrypted', 'text', (c) => c.notNull())
    .addColumn('tls_mode', 'text', (c) => c.notNull())
    .addColumn('tls_fingerprint', 'text')
    .addColumn('ca_pem', 'text')
    .addColumn('use_tailscale', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tailscale_hostname', 'text')
    .addColumn('connection_timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('connection_status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('last_health_check_at', t.millis)
    .addColumn('health_check_error', 'text')
    .addColumn('avg_response_time_ms', t.real)
    .addColumn('success_rate', t.real)
    .addColumn('learned_timeout_ms', 'integer')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_check_at', t.millis)
    .addColumn('status_changed_at', t.millis)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('proxmox_servers_host_unique', ['tenant_id', 'host', 'port'])
    .execute();

  await db.schema
    .createTable('user_vm_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('server_id', 'text', (c) => c.notNull().references('proxmox_servers.id').onDelete('cascade'))
    .addColumn('vmid', 'integer', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('user_vm_unique', ['tenant_id', 'user_id', 'server_id', 'vmid'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_tenant_idx')
    .on('notifications')
    .columns(['tenant_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('notification_reads')
    .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('read_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_reads_pk', ['notification_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('connection_metrics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('server_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('response_time_ms', t.real)
    .addColumn('error', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('connection_metrics_server_idx')
    .on('connection_metrics')
    .columns(['server_id', 'created_at'])
    .execute();
  await db.schema.createIndex('connection_metrics_created_idx').on('connection_metrics').column('created_at').execute();

  // No foreign keys: the trail outlives the users, tenants and servers it mentions.
  await db.schema
    .createTable('audit_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
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
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_logs_tenant_idx').on('audit_logs').columns(['tenant_id', 'seq']).execute();
  await db.schema.createIndex('audit_logs_created_idx').on('audit_logs').column('created_at').execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('server_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text')
    .addColumn('vmid', 'integer', (c) => c.notNull())
    .addColumn('vm_type', 'text')
    .addColumn('view_only', 'integer', (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('consumed_at', t.millis)
    .addColumn('opened_at', t.millis)
    .addColumn('closed_at', t.millis)
    .addColumn('bytes_up', t.millis, (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_down', t.millis, (c) => c.notNull().defaultTo(0))
    .addColumn('close_reason', 'text')
    .addColumn('instance_id', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('console_sessions_open_idx')
    .on('console_sessions')
    .columns(['tenant_id', 'server_id', 'vmid', 'closed_at'])
    .execute();

  await db.schema
    .createTable('kv')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
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
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
