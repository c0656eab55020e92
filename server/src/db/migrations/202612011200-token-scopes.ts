// api_tokens.scopes: what each personal API token may be used for (read, operate, console).
// Tokens created before scopes keep what they could do (all three); new tokens default to read.
import type { Kysely } from 'kysely';
import { addRequiredColumn, dropColumns } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await addRequiredColumn(db, 'api_tokens', 'scopes', 'text', 'read,operate,console');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'api_tokens', ['scopes']);
}
