// SQL for tenant_keys: one random data key per tenant, stored wrapped by a master key.
import type { TenantKeysTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type TenantKeyRow = TenantKeysTable;

export class TenantKeysRepo {
  find(db: Executor, tenantId: string): Promise<TenantKeyRow | undefined> {
    return db.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  /** Inserts unless the tenant already has a key (another request or instance won the race). */
  async insertIfAbsent(db: Executor, row: TenantKeyRow): Promise<void> {
    await db
      .insertInto('tenant_keys')
      .values(row)
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
  }

  all(db: Executor): Promise<TenantKeyRow[]> {
    return db.selectFrom('tenant_keys').selectAll().orderBy('tenant_id').execute();
  }

  countNotWrappedBy(db: Executor, keyId: string): Promise<number> {
    return db
      .selectFrom('tenant_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key_id', '<>', keyId)
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0));
  }

  /** Replaces the wrapping only if it is still the one that was read (compare-and-set). */
  async rewrap(
    db: Executor,
    tenantId: string,
    from: { keyId: string; wrapped: string },
    to: { keyId: string; wrapped: string },
    at: number,
  ): Promise<boolean> {
    const res = await db
      .updateTable('tenant_keys')
      .set({ key_id: to.keyId, wrapped_key: to.wrapped, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('key_id', '=', from.keyId)
      .where('wrapped_key', '=', from.wrapped)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
