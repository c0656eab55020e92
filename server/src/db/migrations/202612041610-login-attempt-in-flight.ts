// Sign-in attempts are reserved before their password is checked (issue 14): login_failures also
// holds attempts still being checked, marked in_flight until they fail (a success deletes its row).
import type { Kysely } from 'kysely';
import { addRequiredColumn, dropColumns } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await addRequiredColumn(db, 'login_failures', 'in_flight', 'integer', 0);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'login_failures', ['in_flight']);
}
