// When a global admin last reset a user's second factors: the user is told at their next visit
// (the account's security page and a notice after signing in).
import type { Kysely } from 'kysely';
import { addColumns, dropColumns } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await addColumns(db, 'users', { factors_reset_at: t.millis });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'users', ['factors_reset_at']);
}
