// What the inventory and the explorer need to know about registered servers, and the one way
// they reach them: the servers module's connect() (token decrypted, TLS policy applied).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { ProxmoxConnection } from '../../proxmox';
import { isVerified } from '../servers/server-connector';
import { type ServerRow, ServersRepo } from '../servers/servers.repo';

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
 * Reads through the servers repository; connects through `services.servers.connect`. The list
 * is kept for a second per tenant: the warm path of a busy dashboard then costs no query for it.
 */
export function serverDirectory(
  db: Kysely<Database>,
  connect: (tenantId: string, serverId: string) => Promise<ProxmoxConnection>,
  now: () => number = Date.now,
): ServerDirectory {
  const repo = new ServersRepo();
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
    connect,
  };
}
