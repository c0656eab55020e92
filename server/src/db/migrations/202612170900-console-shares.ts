// Console share links: one guest's console for someone without an account, for a while. The
// token is stored hashed (sha256), the PIN with scrypt; a console opened through a link names it
// (`share_id`) and keeps the client's address for "who is watching".
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('console_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('server_id', 'text', (c) => c.notNull().references('proxmox_servers.id').onDelete('cascade'))
    .addColumn('vmid', 'integer', (c) => c.notNull())
    .addColumn('vm_type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pin_hash', 'text')
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_at', t.millis)
    .addColumn('revoked_at', t.millis)
    .execute();
  await db.schema
    .createIndex('console_shares_guest_idx')
    .on('console_shares')
    .columns(['tenant_id', 'server_id', 'vmid'])
    .execute();
  await db.schema.alterTable('console_sessions').addColumn('share_id', 'text').execute();
  await db.schema.alterTable('console_sessions').addColumn('client_ip', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('console_sessions').dropColumn('client_ip').execute();
  await db.schema.alterTable('console_sessions').dropColumn('share_id').execute();
  await db.schema.dropTable('console_shares').ifExists().execute();
}
