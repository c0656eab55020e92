// SQL of the identity providers global admins manage.
import type { Selectable } from 'kysely';
import type { IdentityProvidersTable } from '../../../db/schema';
import type { Executor } from '../../../db/tx';

export type IdentityProviderRow = Selectable<IdentityProvidersTable>;

export class IdentityProvidersRepo {
  all(db: Executor): Promise<IdentityProviderRow[]> {
    return db.selectFrom('identity_providers').selectAll().orderBy('name').execute();
  }

  find(db: Executor, id: string): Promise<IdentityProviderRow | undefined> {
    return db.selectFrom('identity_providers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async put(db: Executor, row: IdentityProviderRow, exists: boolean): Promise<void> {
    if (exists) await db.updateTable('identity_providers').set(row).where('id', '=', row.id).execute();
    else await db.insertInto('identity_providers').values(row).execute();
  }

  async remove(db: Executor, id: string): Promise<boolean> {
    const r = await db.deleteFrom('identity_providers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  setSealed(db: Executor, id: string, sealed: string) {
    return db.updateTable('identity_providers').set({ client_secret_sealed: sealed }).where('id', '=', id).execute();
  }
}
