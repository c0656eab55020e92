// Identity providers managed by global admins (beside the one from the environment): issuer,
// client, the client secret sealed with the master key, scopes, groups claim, role map and the
// linking and trusted-MFA switches.
import type { Kysely } from 'kysely';
import { counters, createEntity, dropTables, required, timestamps } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await createEntity(db, 'identity_providers')
    .$call(required('text', 'name', 'issuer', 'client_id'))
    .addColumn('client_secret_sealed', 'text')
    .$call(required('text', 'scopes', 'groups_claim', 'role_map'))
    .$call(counters(0, 'allow_linking', 'trust_mfa'))
    .$call(timestamps(t.millis))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, ['identity_providers']);
}
