// Servers remember when they last proved to be Proxmox (GET /version answered in Proxmox's shape
// with the stored token accepted), and for which endpoint: the explorer relays only from a
// server whose current endpoint (address, port, TLS trust, token) is the one that was proven.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema.alterTable('proxmox_servers').addColumn('verified_at', t.millis).execute();
  await db.schema.alterTable('proxmox_servers').addColumn('verified_endpoint', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('proxmox_servers').dropColumn('verified_endpoint').execute();
  await db.schema.alterTable('proxmox_servers').dropColumn('verified_at').execute();
}
