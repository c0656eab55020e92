// What the inventory and the explorer need to know about registered servers, and the one way
// they reach them: the servers module's connect() (token decrypted, TLS policy applied).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { ProxmoxConnection } from '../../proxmox';
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
  };
}

/** Reads through the servers repository; connects through `services.servers.connect`. */
export function serverDirectory(
  db: Kysely<Database>,
  connect: (tenantId: string, serverId: string) => Promise<ProxmoxConnection>,
): ServerDirectory {
  const repo = new ServersRepo();
  return {
    list: async (tenantId, ids) => (await repo.list(db, tenantId, ids)).map(inventoryServer),
    find: async (tenantId, serverId) => {
      const row = await repo.find(db, tenantId, serverId);
      return row ? inventoryServer(row) : null;
    },
    connect,
  };
}
