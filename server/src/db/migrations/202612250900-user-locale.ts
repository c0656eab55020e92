// The language a user chose for the web app (null: their browser's).
import type { Kysely } from 'kysely';
import { addColumns, dropColumns } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await addColumns(db, 'users', { locale: 'text' });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'users', ['locale']);
}
