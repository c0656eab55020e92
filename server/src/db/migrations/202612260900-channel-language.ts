// The language an alert channel's messages are written in (null: English).
import type { Kysely } from 'kysely';
import { addColumns, dropColumns } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await addColumns(db, 'notification_channels', { language: 'text' });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'notification_channels', ['language']);
}
