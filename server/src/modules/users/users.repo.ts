// Users and their tenant memberships.

import type { TenantRole } from '@common/permissions';
import type { Insertable, Updateable } from 'kysely';
import type { UsersTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type UserRow = UsersTable;

export interface MembershipRow {
  tenant_id: string;
  role: string;
  name: string;
  slug: string;
  is_active: number;
  settings: string | null;
}

export class UsersRepo {
  findById(db: Executor, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  list(db: Executor, opts: { limit: number; offset: number; search?: string }): Promise<UserRow[]> {
    let q = db.selectFrom('users').selectAll();
    if (opts.search) {
      const like = `%${opts.search.toLowerCase().replace(/[%_\\]/g, '')}%`;
      q = q.where((eb) => eb.or([eb('email', 'like', like), eb('full_name', 'like', like)]));
    }
    return q.orderBy('email').limit(opts.limit).offset(opts.offset).execute();
  }

  async count(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async countAdmins(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('global_role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insert(db: Executor, row: Insertable<UsersTable>): Promise<void> {
    await db.insertInto('users').values(row).execute();
  }

  async update(db: Executor, id: string, patch: Updateable<UsersTable>): Promise<void> {
    await db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('users').where('id', '=', id).execute();
  }

  memberships(db: Executor, userId: string): Promise<MembershipRow[]> {
    return db
      .selectFrom('user_tenant_assignments as m')
      .innerJoin('tenants as t', 't.id', 'm.tenant_id')
      .leftJoin('tenant_settings as s', 's.tenant_id', 't.id')
      .select(['m.tenant_id', 'm.role', 't.name', 't.slug', 't.is_active', 's.settings'])
      .where('m.user_id', '=', userId)
      .orderBy('t.name')
      .execute();
  }

  roleIn(db: Executor, userId: string, tenantId: string): Promise<TenantRole | undefined> {
    return db
      .selectFrom('user_tenant_assignments')
      .select('role')
      .where('user_id', '=', userId)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst()
      .then((r) => r?.role as TenantRole | undefined);
  }
}
