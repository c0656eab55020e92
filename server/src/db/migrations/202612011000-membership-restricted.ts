// user_tenant_assignments.restricted: being restricted to guests is a property of the membership,
// not "has at least one assignment row" — rows cascade away with their server, and a member left
// with none must see nothing rather than everything. Members who have rows today are restricted.
import { type Kysely, sql } from 'kysely';
import { addRequiredColumn, dropColumns } from './columns';

export async function up(db: Kysely<unknown>): Promise<void> {
  await addRequiredColumn(db, 'user_tenant_assignments', 'restricted', 'integer', 0);
  await sql`
    update user_tenant_assignments set restricted = 1
    where exists (
      select 1 from user_vm_assignments a
      where a.tenant_id = user_tenant_assignments.tenant_id and a.user_id = user_tenant_assignments.user_id
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropColumns(db, 'user_tenant_assignments', ['restricted']);
}
