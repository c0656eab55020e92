// Servers remember when they last proved to be Proxmox (GET /version answered in Proxmox's shape
// with the stored token accepted), and for which endpoint: the explorer relays only from a
// server whose current endpoint (address, port, TLS trust, token) is the one that was proven.
import type { Kysely } from 'kysely';
import { addColumns, dropColumns } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await addColumns(db, 'proxmox_servers', { verified_at: t.millis, verified_endpoint: 'text' });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'proxmox_servers', ['verified_endpoint', 'verified_at']);
}
