// Passkeys (WebAuthn): the credentials a user registered (public key, signature counter, name),
// and the challenges of ceremonies under way (registration for a signed-in user; sign-in, with or
// without a known user), each single use for five minutes.
import type { Kysely } from 'kysely';
import { counters, createEntity, createIndex, dropTables, ownedBy, required } from './columns';
import type { MigrationContext } from './index';

export async function up(db: Kysely<unknown>, { types: t }: MigrationContext): Promise<void> {
  await createEntity(db, 'passkeys')
    .$call(ownedBy('user_id', 'users'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .$call(counters(0, 'counter'))
    .addColumn('transports', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .$call(required(t.millis, 'created_at'))
    .addColumn('last_used_at', t.millis)
    .execute();
  await createIndex(db, 'passkeys_user_idx', 'passkeys', ['user_id']);
  await createEntity(db, 'webauthn_challenges')
    .$call(ownedBy('user_id', 'users', 'optional'))
    .$call(required('text', 'purpose', 'challenge', 'origin'))
    .$call(required(t.millis, 'expires_at'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropTables(db, ['webauthn_challenges', 'passkeys']);
}
