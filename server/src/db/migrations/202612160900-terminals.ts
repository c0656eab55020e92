// Text consoles share the console tickets and sessions: a row says which kind it is (`vnc`, or
// `terminal` through Proxmox's termproxy) and, for a VM's serial port, which one.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('console_sessions')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('vnc'))
    .execute();
  await db.schema.alterTable('console_sessions').addColumn('serial', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('console_sessions').dropColumn('serial').execute();
  await db.schema.alterTable('console_sessions').dropColumn('kind').execute();
}
