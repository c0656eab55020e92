// The servers module's read port: what the inventory, the explorer and consoles need to know
// about registered servers, and the one way they reach them — connect() (the row read once, its
// token decrypted, TLS and egress policy applied).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { AppError } from '../../lib/app-error';
import type { ProxmoxConnection } from '../../proxmox';
import { isVerified, type ServerConnector } from './server-connector';
import type { ServerRow, ServersRepo } from './servers.repo';

export interface InventoryServer {
  id: string;
  tenantId: string;
  name: string;
  active: boolean;
  /** Changes whenever the server is edited (new host, token, TLS…): cached guests start over. */
  version: string;
  /** The deadline of a list fetch: the learned timeout, never above the configured one. */
  timeoutMs: number;
  /** Its current endpoint has proven to be Proxmox (the explorer relays only then). */
  verified: boolean;
}

export interface ServerDirectory {
  list(tenantId: string, ids?: string[]): Promise<InventoryServer[]>;
  find(tenantId: string, serverId: string): Promise<InventoryServer | null>;
  connect(tenantId: string, serverId: string): Promise<ProxmoxConnection>;
  /** Across tenants: active servers in one of these statuses, and these servers whatever their
   * status (alerts reconcile their state from this; a server absent from the answer is gone). */
  statuses(statuses: readonly string[], ids: readonly string[]): Promise<ServerStatusRow[]>;
}

export interface ServerStatusRow {
  id: string;
  tenantId: string;
  name: string;
  status: string;
  /** When the status last changed (null: never). */
  since: number | null;
  error: string | null;
  active: boolean;
}

export function inventoryServer(row: ServerRow): InventoryServer {
  const configured = row.connection_timeout_ms;
  const learned = row.learned_timeout_ms;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    active: row.is_active === 1,
    version: String(row.updated_at),
    timeoutMs: learned !== null && learned > 0 ? Math.min(learned, configured) : configured,
    verified: isVerified(row),
  };
}

/** How long a tenant's server list is reused by the fan-out (an edit shows within this time). */
export const SERVER_LIST_TTL_MS = 1_000;

/**
 * Reads through the servers repository. The list is kept for a second per tenant: the warm path
 * of a busy dashboard then costs no query for it.
 */
export function serverDirectory(
  db: Kysely<Database>,
  repo: ServersRepo,
  connector: ServerConnector,
  now: () => number = Date.now,
): ServerDirectory {
  const lists = new Map<string, { at: number; servers: Promise<InventoryServer[]> }>();
  const all = (tenantId: string): Promise<InventoryServer[]> => {
    const hit = lists.get(tenantId);
    if (hit && now() - hit.at < SERVER_LIST_TTL_MS) return hit.servers;
    const servers = repo.list(db, tenantId).then((rows) => rows.map(inventoryServer));
    servers.catch(() => lists.delete(tenantId));
    lists.set(tenantId, { at: now(), servers });
    if (lists.size > 10_000) lists.delete(lists.keys().next().value ?? '');
    return servers;
  };
  return {
    list: async (tenantId, ids) => {
      const servers = await all(tenantId);
      if (!ids) return servers;
      const wanted = new Set(ids);
      return servers.filter((s) => wanted.has(s.id));
    },
    find: async (tenantId, serverId) => {
      const row = await repo.find(db, tenantId, serverId);
      return row ? inventoryServer(row) : null;
    },
    statuses: async (statuses, ids) =>
      (await repo.byStatusOrId(db, statuses, ids)).map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        name: r.name,
        status: r.connection_status,
        since: r.status_changed_at,
        error: r.health_check_error,
        active: r.is_active === 1,
      })),
    connect: async (tenantId, serverId) => {
      const row = await repo.find(db, tenantId, serverId);
      if (!row) throw new AppError('server.not_found', 'Server not found');
      if (row.is_active !== 1) throw new AppError('server.inactive', 'This server is deactivated');
      return connector.connect(row);
    },
  };
}
