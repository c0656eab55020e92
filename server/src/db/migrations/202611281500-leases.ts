// leases: which instance runs singleton work (the health scheduler), renewed while it lives.
import type { Kysely } from 'kysely';
import { dropTables, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'expires_at'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, ['leases']);
}
