// SQL for proxmox_servers and connection_metrics. Every read of tenant data takes the tenant id.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ConnectionMetricsTable, ProxmoxServersTable } from '../../db/schema';
import type { Executor } from '../../db/tx';
import { newId } from '../../lib/ids';

export type ServerRow = Selectable<ProxmoxServersTable>;
export type ServerPatch = Updateable<ProxmoxServersTable>;
export type MetricRow = Insertable<ConnectionMetricsTable>;

/** One check or call of a server, as connection_metrics keeps it (times to 0.1 ms). */
export function metricRow(
  server: { tenantId: string; serverId: string },
  kind: 'api' | 'health',
  outcome: { ok: boolean; elapsedMs: number; errorCode: string | null },
  at: number,
): MetricRow {
  return {
    id: newId(),
    tenant_id: server.tenantId,
    server_id: server.serverId,
    kind,
    success: outcome.ok ? 1 : 0,
    response_time_ms: Math.round(outcome.elapsedMs * 10) / 10,
    error: outcome.errorCode,
    created_at: at,
  };
}

export class ServersRepo {
  list(db: Executor, tenantId: string, ids?: string[]): Promise<ServerRow[]> {
    let q = db.selectFrom('proxmox_servers').selectAll().where('tenant_id', '=', tenantId);
    if (ids) {
      if (ids.length === 0) return Promise.resolve([]);
      q = q.where('id', 'in', ids);
    }
    return q.orderBy('name').orderBy('id').execute();
  }

  /** Every active server (all tenants) with one of these statuses, or among these ids. */
  byStatusOrId(db: Executor, statuses: readonly string[], ids: readonly string[]) {
    return db
      .selectFrom('proxmox_servers')
      .select(['id', 'tenant_id', 'name', 'connection_status', 'status_changed_at', 'health_check_error', 'is_active'])
      .where((eb) =>
        eb.or([
          eb.and([eb('connection_status', 'in', [...statuses]), eb('is_active', '=', 1)]),
          ...(ids.length > 0 ? [eb('id', 'in', [...ids])] : []),
        ]),
      )
      .execute();
  }

  find(db: Executor, tenantId: string, id: string): Promise<ServerRow | undefined> {
    return db
      .selectFrom('proxmox_servers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** For background work that starts from a server id it already holds (scheduler). */
  findById(db: Executor, id: string): Promise<ServerRow | undefined> {
    return db.selectFrom('proxmox_servers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  count(db: Executor, tenantId: string): Promise<number> {
    return db
      .selectFrom('proxmox_servers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0));
  }

  /** `host:port` of every server of the tenant (for duplicate checks). */
  async hostPorts(db: Executor, tenantId: string): Promise<Map<string, string>> {
    const rows = await db
      .selectFrom('proxmox_servers')
      .select(['id', 'host', 'port'])
      .where('tenant_id', '=', tenantId)
      .execute();
    return new Map(rows.map((r) => [`${r.host}:${r.port}`, r.id]));
  }

  async insert(db: Executor, row: Insertable<ProxmoxServersTable>): Promise<void> {
    await db.insertInto('proxmox_servers').values(row).execute();
  }

  async update(db: Executor, tenantId: string, id: string, patch: ServerPatch): Promise<void> {
    await db.updateTable('proxmox_servers').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /** Deletes the server and its metrics (connection_metrics has no foreign key). */
  async delete(db: Executor, tenantId: string, id: string): Promise<boolean> {
    await db.deleteFrom('connection_metrics').where('tenant_id', '=', tenantId).where('server_id', '=', id).execute();
    const res = await db
      .deleteFrom('proxmox_servers')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  // --- health scheduler ------------------------------------------------------------------------

  /** Active servers whose next check is due, soonest first. */
  due(db: Executor, now: number, limit: number): Promise<ServerRow[]> {
    return db
      .selectFrom('proxmox_servers')
      .selectAll()
      .where('is_active', '=', 1)
      .where((eb) => eb.or([eb('next_check_at', 'is', null), eb('next_check_at', '<=', now)]))
      .orderBy('next_check_at')
      .limit(limit)
      .execute();
  }

  async setHealth(db: Executor, id: string, patch: ServerPatch): Promise<void> {
    await db.updateTable('proxmox_servers').set(patch).where('id', '=', id).execute();
  }

  /** Sets tls_error unless already set; true when this call made the change. Health columns only:
   * updated_at marks configuration changes. */
  async markTlsError(db: Executor, tenantId: string, id: string, error: string, at: number): Promise<boolean> {
    const res = await db
      .updateTable('proxmox_servers')
      .set({ connection_status: 'tls_error', health_check_error: error, status_changed_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('connection_status', '<>', 'tls_error')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  // --- connection metrics ----------------------------------------------------------------------

  async insertMetrics(db: Executor, rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('connection_metrics').values(rows).execute();
  }

  metricsSince(
    db: Executor,
    tenantId: string,
    serverId: string,
    kind: string,
    from: number,
  ): Promise<{ success: number; response_time_ms: number | null; created_at: number }[]> {
    return db
      .selectFrom('connection_metrics')
      .select(['success', 'response_time_ms', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .where('server_id', '=', serverId)
      .where('kind', '=', kind)
      .where('created_at', '>=', from)
      .orderBy('created_at')
      .execute();
  }

  /** Checks and successes of one kind since `from` (the 24 h success rate). */
  async successCounts(db: Executor, serverId: string, kind: string, from: number): Promise<{ n: number; ok: number }> {
    const row = await db
      .selectFrom('connection_metrics')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('success').as('ok')])
      .where('server_id', '=', serverId)
      .where('kind', '=', kind)
      .where('created_at', '>=', from)
      .executeTakeFirst();
    return { n: Number(row?.n ?? 0), ok: Number(row?.ok ?? 0) };
  }

  /** Latest successful response times, newest first (seed of the learned timeout). */
  async recentLatencies(db: Executor, serverId: string, limit: number): Promise<number[]> {
    const rows = await db
      .selectFrom('connection_metrics')
      .select('response_time_ms')
      .where('server_id', '=', serverId)
      .where('kind', '=', 'health')
      .where('success', '=', 1)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.response_time_ms)).filter((n) => Number.isFinite(n));
  }

  /** Deletes up to `batch` metrics older than `before`; returns how many went. */
  async pruneMetrics(db: Executor, before: number, batch: number): Promise<number> {
    const res = await db
      .deleteFrom('connection_metrics')
      .where('id', 'in', (eb) =>
        eb.selectFrom('connection_metrics').select('id').where('created_at', '<', before).limit(batch),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  // --- default server bootstrap ----------------------------------------------------------------
}
