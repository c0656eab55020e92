// Tenants and their settings.
import type { Insertable, Updateable } from 'kysely';
import type { TenantsTable } from '../../db/schema';
import type { Executor } from '../../db/tx';

export type TenantRow = TenantsTable;

export class TenantsRepo {
  findBySlug(db: Executor, slug: string): Promise<TenantRow | undefined> {
    return db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  findById(db: Executor, id: string): Promise<TenantRow | undefined> {
    return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(db: Executor, ids?: string[]): Promise<TenantRow[]> {
    let q = db.selectFrom('tenants').selectAll();
    if (ids) {
      if (ids.length === 0) return Promise.resolve([]);
      q = q.where('id', 'in', ids);
    }
    return q.orderBy('name').execute();
  }

  async insert(db: Executor, row: Insertable<TenantsTable>): Promise<void> {
    await db.insertInto('tenants').values(row).execute();
  }

  async update(db: Executor, id: string, patch: Updateable<TenantsTable>): Promise<void> {
    await db.updateTable('tenants').set(patch).where('id', '=', id).execute();
  }

  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('tenants').where('id', '=', id).execute();
  }

  settingsJson(db: Executor, tenantId: string): Promise<string | undefined> {
    return db
      .selectFrom('tenant_settings')
      .select('settings')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst()
      .then((r) => r?.settings);
  }

  async saveSettings(db: Executor, tenantId: string, json: string, at: number): Promise<void> {
    await db
      .insertInto('tenant_settings')
      .values({ tenant_id: tenantId, settings: json, updated_at: at })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ settings: json, updated_at: at }))
      .execute();
  }

  async serverStatusCounts(db: Executor, tenantId: string, serverIds?: string[]): Promise<Record<string, number>> {
    let q = db
      .selectFrom('proxmox_servers')
      .select(['connection_status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId);
    if (serverIds) {
      if (serverIds.length === 0) return {};
      q = q.where('id', 'in', serverIds);
    }
    const rows = await q.groupBy('connection_status').execute();
    return Object.fromEntries(rows.map((r) => [r.connection_status, Number(r.n)]));
  }

  async memberCount(db: Executor, tenantId: string): Promise<number> {
    const row = await db
      .selectFrom('user_tenant_assignments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async activeConsoles(db: Executor, tenantId: string, guests?: { serverId: string; vmid: number }[]): Promise<number> {
    const rows = await db
      .selectFrom('console_sessions')
      .select(['server_id', 'vmid'])
      .where('tenant_id', '=', tenantId)
      .where('opened_at', 'is not', null)
      .where('closed_at', 'is', null)
      .execute();
    if (!guests) return rows.length;
    const allowed = new Set(guests.map((g) => `${g.serverId}:${g.vmid}`));
    return rows.filter((r) => allowed.has(`${r.server_id}:${r.vmid}`)).length;
  }
}
