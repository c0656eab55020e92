// Sign-in attempts are reserved before their password is checked (issue 14): login_failures also
// holds attempts still being checked, marked in_flight until they fail (a success deletes its row).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('login_failures')
    .addColumn('in_flight', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failures').dropColumn('in_flight').execute();
}
