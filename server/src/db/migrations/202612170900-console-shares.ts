// Console share links: one guest's console for someone without an account, for a while. The
// token is stored hashed (sha256), the PIN with scrypt; a console opened through a link names it
// (`share_id`) and keeps the client's address for "who is watching".
import type { Kysely } from 'kysely';
import { addColumns, counters, createEntity, createIndex, dropColumns, dropTables, ownedBy, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await createEntity(db, 'console_shares')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .$call(ownedBy('tenant_id', 'tenants'))
    .$call(ownedBy('server_id', 'proxmox_servers'))
    .addColumn('vmid', 'integer', (c) => c.notNull())
    .$call(required('text', 'vm_type', 'kind', 'mode'))
    .addColumn('note', 'text')
    .$call(ownedBy('created_by', 'users'))
    .$call(required(t.millis, 'created_at', 'expires_at'))
    .addColumn('max_uses', 'integer')
    .$call(counters(0, 'uses'))
    .addColumn('pin_hash', 'text')
    .$call(counters(0, 'pin_failures'))
    .addColumn('locked_at', t.millis)
    .addColumn('revoked_at', t.millis)
    .execute();
  await createIndex(db, 'console_shares_guest_idx', 'console_shares', ['tenant_id', 'server_id', 'vmid']);
  await addColumns(db, 'console_sessions', { share_id: 'text', client_ip: 'text' });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'console_sessions', ['client_ip', 'share_id']);
  await dropTables(db, ['console_shares']);
}
