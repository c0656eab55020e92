// Where a tenant's guests are: one cached `/cluster/resources` per server (ResourceCache: single
// flight, stale-while-revalidate), a guest's node and type from it, and running a Proxmox call
// on a guest where it lives now — re-reading the list once when Proxmox says it is not there
// (a migration). The list, one guest, power actions and consoles all locate guests here.
import type { ErrorCode } from '@common/errors';
import { parseVmid } from '@common/schemas/shared';
import { parseUpid } from '@common/schemas/vms';
import { z } from 'zod';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { startDeadline } from '../../lib/deadline';
import type { Logger } from '../../lib/logger';
import { canSeeGuest } from '../../policy/policy';
import { type ProxmoxConnection, PvePermissions, pvePath } from '../../proxmox';
import { abilitiesOf } from '../servers/permission-diagnosis';
import type { InventoryServer, ServerDirectory } from '../servers/server-directory';
import { type InventoryGuest, normalizeResources } from './guest-normalize';
import { type CacheKey, type CacheTiming, ResourceCache, type Snapshot } from './resource-cache';

const ResourceList = z.array(z.looseObject({})).max(100_000);

export function reasonOf(err: AppError): string {
  const reason = (err.details as { reason?: unknown } | null | undefined)?.reason;
  return typeof reason === 'string' ? reason : '';
}

export function statusOf(err: AppError): number | null {
  const status = (err.details as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' ? status : null;
}

/** PVE's answer for a guest looked up on the wrong node (migrated) or that is gone. */
export const isMissingConfig = (err: unknown): err is AppError =>
  isAppError(err) && err.code === 'proxmox.error' && /does not exist/i.test(reasonOf(err));

/** A list of which no entry is usable (wrong types, or not Proxmox's answer at all). */
export function unusableList(what: 'guest' | 'node', entries: number): AppError {
  return new AppError(
    'proxmox.bad_response',
    `Proxmox answered the ${what} list in an unexpected shape (none of its ${entries} entries is a ${what})`,
    { details: { entries } },
  );
}

/** The error a failed list fetch recorded, raised again for a caller that needs that server. */
export function snapshotError(snap: Snapshot): AppError {
  const e = snap.error ?? { code: 'proxmox.error', message: 'Proxmox could not be read' };
  return new AppError(e.code as ErrorCode, e.message, { details: snap.errorDetails });
}

export interface GuestLocatorDeps {
  servers: ServerDirectory;
  clock: Clock;
  log: Logger;
}

export class GuestLocator {
  readonly cache: ResourceCache;

  constructor(
    private readonly d: GuestLocatorDeps,
    cacheTiming: CacheTiming,
    /** A guest missing from a cached list triggers a refresh only when the list is older than this. */
    private readonly missRefreshMs: number,
  ) {
    this.cache = new ResourceCache(
      (key, signal) => this.fetchGuests(key, signal),
      cacheTiming,
      d.clock,
      (err) => d.log.error({ err }, 'guest list fetch failed unexpectedly'),
    );
  }

  close(): void {
    this.cache.close();
  }

  keyOf(server: InventoryServer): CacheKey {
    return { tenantId: server.tenantId, serverId: server.id, version: server.version, timeoutMs: server.timeoutMs };
  }

  /** One server's guests, straight from Proxmox (the cache calls this, single-flight). */
  private async fetchGuests(key: CacheKey, closing: AbortSignal): Promise<InventoryGuest[]> {
    // The deadline runs from here, so reading and decrypting the server's token counts too.
    const { signal, clear } = startDeadline(key.timeoutMs, closing);
    try {
      const conn = await this.d.servers.connect(key.tenantId, key.serverId);
      const raw = await conn.get(pvePath`/cluster/resources`, { type: 'vm' }, { schema: ResourceList, signal });
      if (raw.length === 0) await this.explainEmpty(conn, signal);
      const guests = normalizeResources(key.serverId, raw);
      // Entries of which not one is a guest (no vmid, node or type of the right kind) are not
      // Proxmox's guest list: say so, instead of showing a healthy server without guests.
      if (guests.length === 0 && raw.length > 0) throw unusableList('guest', raw.length);
      return guests;
    } finally {
      clear();
    }
  }

  /** A privilege-separated token without ACLs sees an empty list: say so instead of "no guests". */
  private async explainEmpty(conn: ProxmoxConnection, signal: AbortSignal): Promise<void> {
    let perms: PvePermissions;
    try {
      perms = await conn.get(pvePath`/access/permissions`, undefined, { schema: PvePermissions, signal });
    } catch {
      return; // the list itself answered; an empty server is possible
    }
    if (!abilitiesOf(perms).listGuests) {
      throw new AppError(
        'proxmox.permission_denied',
        'The API token lacks VM.Audit on Proxmox, so it sees no guests: give the token (or, with privilege separation, the token itself) a role such as PVEVMUser or PVEAuditor on /vms',
        { details: { missing: 'VM.Audit' } },
      );
    }
  }

  /** On guest routes an unknown server reads like an unknown guest (as the policy answers). */
  async requireServer(tenantId: string, serverId: string, missing: ErrorCode): Promise<InventoryServer> {
    const server = await this.d.servers.find(tenantId, serverId);
    if (!server) throw new AppError(missing, `${missing.startsWith('vm') ? 'Vm' : 'Server'} not found`);
    if (!server.active) throw new AppError('server.inactive', 'This server is deactivated');
    return server;
  }

  /** Node and type of a guest from the cached list; a miss refreshes once (new or moved guest). */
  async locate(server: InventoryServer, vmid: number): Promise<InventoryGuest> {
    const key = this.keyOf(server);
    let snap = (await this.cache.get(key)).snapshot;
    let guest = snap.guests.find((g) => g.vmid === vmid);
    if (guest) return guest;
    // New guest, or the server failed last time and may be back: look again (at most so often).
    snap = await this.cache.refresh(key, this.missRefreshMs);
    guest = snap.guests.find((g) => g.vmid === vmid);
    if (guest) return guest;
    if (!snap.ok) throw snapshotError(snap);
    throw new AppError('vm.not_found', 'Vm not found');
  }

  /**
   * Runs `fn` against the guest where the cache says it lives. When Proxmox answers that its
   * config does not exist there (migrated, or deleted), the list is re-read and `fn` runs once
   * more at the new place. A 595/596 flags that node's guests as offline.
   */
  async onGuest<T>(
    server: InventoryServer,
    vmid: number,
    fn: (conn: ProxmoxConnection, guest: InventoryGuest) => Promise<T>,
  ): Promise<T> {
    const conn = await this.d.servers.connect(server.tenantId, server.id);
    const guest = await this.locate(server, vmid);
    const attempt = async (g: InventoryGuest) => {
      try {
        return await fn(conn, g);
      } catch (err) {
        if (isAppError(err) && err.code === 'proxmox.node_offline') this.cache.markNodeOffline(server.id, g.node);
        throw err;
      }
    };
    try {
      return await attempt(guest);
    } catch (err) {
      if (!isMissingConfig(err)) throw err;
      const moved = await this.relocate(server, vmid, err);
      if (moved.node === guest.node && moved.type === guest.type) throw err;
      return attempt(moved);
    }
  }

  /** Where a guest is now: the list read afresh (not the cache), e.g. after a migration. When
   * the list cannot be read, `failure` (the error that made us look) is raised, else the list's. */
  private async relocate(server: InventoryServer, vmid: number, failure?: unknown): Promise<InventoryGuest> {
    const snap = await this.cache.refresh(this.keyOf(server), 0);
    if (!snap.ok) throw failure ?? snapshotError(snap);
    const moved = snap.guests.find((g) => g.vmid === vmid);
    if (!moved) throw new AppError('vm.not_found', 'Vm not found');
    return moved;
  }

  /** Locates a guest for other modules (consoles): node, type and name — `afresh` when Proxmox
   * said it is not where the cached list put it. */
  async locateGuest(
    tenantId: string,
    serverId: string,
    vmid: number,
    afresh = false,
  ): Promise<{ node: string; type: 'qemu' | 'lxc'; name: string | null }> {
    const server = await this.requireServer(tenantId, serverId, 'vm.not_found');
    const g = afresh ? await this.relocate(server, vmid) : await this.locate(server, vmid);
    return { node: g.node, type: g.type, name: g.name };
  }

  /**
   * A call about one task of a server (its status, its log): the UPID parsed, restricted members
   * limited to tasks of guests they may see, the node taken from the UPID (tasks are read where
   * they ran), and Proxmox's "no such task" (400) or unknown node (500) answered as not found.
   */
  async onTask<T>(
    ctx: TenantContext,
    serverId: string,
    upid: string,
    call: (conn: ProxmoxConnection, task: NonNullable<ReturnType<typeof parseUpid>>) => Promise<T>,
  ): Promise<T> {
    const parsed = parseUpid(upid);
    const notFound = () => new AppError('task.not_found', 'Task not found');
    if (!parsed) throw notFound();
    if (ctx.scope.assignments) {
      const vmid = parseVmid(parsed.id);
      if (vmid === null || !canSeeGuest(ctx.scope, serverId, vmid)) throw notFound();
    }
    const server = await this.requireServer(ctx.scope.tenantId, serverId, 'server.not_found');
    const conn = await this.d.servers.connect(server.tenantId, server.id);
    try {
      return await call(conn, parsed);
    } catch (err) {
      const status = isAppError(err) && err.code === 'proxmox.error' ? statusOf(err) : null;
      if (status === 400 || status === 500) throw notFound();
      throw err;
    }
  }
}
