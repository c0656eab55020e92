// api_tokens.scopes: what each personal API token may be used for (read, operate, console).
// Tokens created before scopes keep what they could do (all three); new tokens default to read.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read,operate,console'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('scopes').execute();
}
