// Text consoles share the console tickets and sessions: a row says which kind it is (`vnc`, or
// `terminal` through Proxmox's termproxy) and, for a VM's serial port, which one.
import type { Kysely } from 'kysely';
import { addColumns, addRequiredColumn, dropColumns } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await addRequiredColumn(db, 'console_sessions', 'kind', 'text', 'vnc');
  await addColumns(db, 'console_sessions', { serial: 'text' });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'console_sessions', ['serial', 'kind']);
}
