// Guests across a tenant's servers: the fan-out list (one cached `/cluster/resources` per server),
// one guest's status, power actions with their tasks followed to the end, resource history, node
// figures and task status. Every Proxmox call goes through the servers module's connections.

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ErrorCode } from '@common/errors';
import { parseUuid, parseVmid } from '@common/schemas/shared';
import type { TenantSettings } from '@common/schemas/tenants';
import {
  type GuestDetail,
  type GuestList,
  type NodeInfo,
  parseUpid,
  type RrdData,
  type RrdQuery,
  type Guest as ServedGuest,
  type ServerFetchStatus,
  type ServerNodes,
  type TaskStatus,
  type VmAction,
  type VmActionResult,
  type VmListQuery,
} from '@common/schemas/vms';
import { z } from 'zod';
import type { TenantContext } from '../../http/context';
import { AppError, isAppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { startDeadline } from '../../lib/deadline';
import type { Logger } from '../../lib/logger';
import { canSeeGuest, guestAbilities, isGlobalAdmin, type TenantScope } from '../../policy/policy';
import { cleanText, type ProxmoxConnection, PvePermissions, pvePath } from '../../proxmox';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import { abilitiesOf } from '../servers/permission-diagnosis';
import type { InventoryServer, ServerDirectory } from '../servers/server-directory';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { flag, type InventoryGuest, nodeName, normalizeResources, num, text } from './guest-normalize';
import { ListBodies } from './list-bodies';
import { NOT_APPLICABLE_PVE, whyNotApplicable } from './power-rules';
import { type CacheKey, type CacheTiming, DEFAULT_CACHE_TIMING, ResourceCache, type Snapshot } from './resource-cache';
import { downsample, normalizeRrd } from './rrd';
import {
  DEFAULT_TASK_FOLLOW,
  type FollowedTask,
  PveTaskStatus,
  TaskFollower,
  type TaskFollowOptions,
  type TaskOutcome,
  taskSucceeded,
} from './task-follower';

export interface InventoryOptions {
  cache: CacheTiming;
  tasks: TaskFollowOptions;
  /** A guest missing from a cached list triggers a refresh only when the list is older than this. */
  missRefreshMs: number;
}

export const DEFAULT_INVENTORY_OPTIONS: InventoryOptions = {
  cache: DEFAULT_CACHE_TIMING,
  tasks: DEFAULT_TASK_FOLLOW,
  missRefreshMs: 1_000,
};

export interface InventoryDeps {
  servers: ServerDirectory;
  settings: Pick<TenantSettingsReader, 'get'>;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  log: Logger;
}

const AnyObject = z.looseObject({});
const ResourceList = z.array(z.looseObject({})).max(100_000);
const Upid = z.string().max(400);
const gzipAsync = promisify(gzip);
const MAX_BODY_SLOTS = 200;
/** Serialized lists kept in all (their gzip copies add a fraction): see list-bodies.ts. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const REBUILD_MS = 250;

const iso = (ms: number) => new Date(ms).toISOString();

function reasonOf(err: AppError): string {
  const reason = (err.details as { reason?: unknown } | null | undefined)?.reason;
  return typeof reason === 'string' ? reason : '';
}

function statusOf(err: AppError): number | null {
  const status = (err.details as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' ? status : null;
}

/** PVE's answer for a guest looked up on the wrong node (migrated) or that is gone. */
const isMissingConfig = (err: unknown): err is AppError =>
  isAppError(err) && err.code === 'proxmox.error' && /does not exist/i.test(reasonOf(err));

/** A list of which no entry is usable (wrong types, or not Proxmox's answer at all). */
function unusableList(what: 'guest' | 'node', entries: number): AppError {
  return new AppError(
    'proxmox.bad_response',
    `Proxmox answered the ${what} list in an unexpected shape (none of its ${entries} entries is a ${what})`,
    { details: { entries } },
  );
}

/** The error a failed list fetch recorded, raised again for a caller that needs that server. */
function snapshotError(snap: Snapshot): AppError {
  const e = snap.error ?? { code: 'proxmox.error', message: 'Proxmox could not be read' };
  return new AppError(e.code as ErrorCode, e.message, { details: snap.errorDetails });
}

/** A response body serialized once, compressed at most once (lists of thousands of guests). */
export class PreparedBody {
  readonly json: Buffer;
  private gzipped: Promise<Buffer> | null = null;

  constructor(value: GuestList) {
    this.json = Buffer.from(JSON.stringify(value), 'utf8');
  }

  /** gzip off the event loop (level 4: most of the gain for a fraction of the default's time). */
  gzip(): Promise<Buffer> {
    this.gzipped ??= gzipAsync(this.json, { level: 4 });
    return this.gzipped;
  }
}

export interface GuestStats {
  total: number;
  byStatus: Record<string, number>;
  fetchedAt: string | null;
}

interface Filter {
  statuses: Set<string> | null;
  tag: string | null;
  type: string | null;
  q: string | null;
}

function filterOf(query: VmListQuery): Filter {
  const statuses = query.status
    ? new Set(
        query.status
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
    : null;
  return {
    statuses: statuses && statuses.size > 0 ? statuses : null,
    tag: query.tag?.trim().toLowerCase() || null,
    type: query.type ?? null,
    q: query.q?.trim().toLowerCase() || null,
  };
}

function matches(g: InventoryGuest, f: Filter): boolean {
  if (f.statuses && !f.statuses.has(g.status)) return false;
  if (f.type && g.type !== f.type) return false;
  if (f.tag && !g.tags.some((t) => t.toLowerCase() === f.tag)) return false;
  if (f.q && !(g.name ?? '').toLowerCase().includes(f.q) && String(g.vmid) !== f.q) return false;
  return true;
}

/** Servers a restricted member may see (those hosting an assigned guest); undefined: all. */
function visibleServerIds(scope: TenantScope): string[] | undefined {
  if (!scope.assignments) return undefined;
  return [...new Set([...scope.assignments.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
}

export class InventoryService {
  readonly cache: ResourceCache;
  readonly tasks: TaskFollower;
  private readonly opts: InventoryOptions;
  /** Serialized lists for unrestricted callers, keyed by what they depend on (the warm path). */
  private readonly bodies = new ListBodies<PreparedBody>(MAX_BODY_SLOTS, MAX_BODY_BYTES, (b) => b.json.length);
  /** When a tenant's cached guests last changed through an action or a status read. */
  private readonly localChanges = new Map<string, number>();

  constructor(
    private readonly d: InventoryDeps,
    opts: Partial<InventoryOptions> = {},
  ) {
    this.opts = {
      ...DEFAULT_INVENTORY_OPTIONS,
      ...opts,
      cache: { ...DEFAULT_INVENTORY_OPTIONS.cache, ...opts.cache },
      tasks: { ...DEFAULT_INVENTORY_OPTIONS.tasks, ...opts.tasks },
    };
    this.cache = new ResourceCache(
      (key, signal) => this.fetchGuests(key, signal),
      this.opts.cache,
      d.clock,
      (err) => d.log.error({ err }, 'guest list fetch failed unexpectedly'),
    );
    this.cache.onLocalChange = (tenantId) => this.localChanges.set(tenantId, d.clock.now());
    this.tasks = new TaskFollower(
      {
        connect: (tenantId, serverId) => d.servers.connect(tenantId, serverId),
        onFinished: (task, outcome) => this.taskFinished(task, outcome),
        log: d.log,
      },
      this.opts.tasks,
    );
  }

  close(): void {
    this.tasks.close();
    this.cache.close();
    this.bodies.clear();
    this.localChanges.clear();
  }

  private keyOf(server: InventoryServer): CacheKey {
    return { tenantId: server.tenantId, serverId: server.id, version: server.version, timeoutMs: server.timeoutMs };
  }

  // --- the list ------------------------------------------------------------------------------

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

  private async gather(
    ctx: TenantContext,
    query: VmListQuery,
    onlyServerId?: string,
  ): Promise<{ servers: InventoryServer[]; answers: ({ snapshot: Snapshot; stale: boolean } | null)[] }> {
    let ids = visibleServerIds(ctx.scope);
    if (onlyServerId) ids = ids ? ids.filter((id) => id === onlyServerId) : [onlyServerId];
    if (query.server) {
      const wanted = new Set(
        query.server
          .split(',')
          .map((s) => parseUuid(s.trim()))
          .filter((s) => s !== null)
          .slice(0, 50),
      );
      ids = ids ? ids.filter((id) => wanted.has(id)) : [...wanted];
    }
    let servers: InventoryServer[];
    if (onlyServerId) {
      // One server: read it directly (the shared list may be a second behind a new server).
      const one = ids?.includes(onlyServerId) ? await this.d.servers.find(ctx.scope.tenantId, onlyServerId) : null;
      if (!one) throw new AppError('server.not_found', 'Server not found');
      servers = [one];
    } else {
      servers = await this.d.servers.list(ctx.scope.tenantId, ids);
    }
    // All servers at once, each bounded by its own deadline inside the cache.
    const answers = await Promise.all(servers.map((s) => (s.active ? this.cache.get(this.keyOf(s)) : null)));
    return { servers, answers };
  }

  private build(
    ctx: TenantContext,
    settings: TenantSettings,
    query: VmListQuery,
    servers: InventoryServer[],
    answers: ({ snapshot: Snapshot; stale: boolean } | null)[],
  ): GuestList {
    const filter = filterOf(query);
    // Without guest assignments the abilities are the same on every guest: decide them once.
    const same = ctx.scope.assignments ? null : guestAbilities(ctx.actor, ctx.scope, '', 0, settings.viewerConsole);
    const vms: ServedGuest[] = [];
    const rows: ServerFetchStatus[] = [];
    servers.forEach((server, i) => {
      const answer = answers[i];
      if (!answer) {
        rows.push({
          serverId: server.id,
          name: server.name,
          ok: false,
          error: { code: 'server.inactive', message: 'This server is deactivated' },
          fetchedAt: null,
          stale: false,
          offlineNodes: [],
        });
        return;
      }
      const { snapshot, stale } = answer;
      const offline = new Set<string>();
      for (const g of snapshot.guests) {
        if (g.nodeOffline) offline.add(g.node);
        if (!canSeeGuest(ctx.scope, server.id, g.vmid) || !matches(g, filter)) continue;
        vms.push(this.present(ctx, settings, g, same));
      }
      rows.push({
        serverId: server.id,
        name: server.name,
        ok: snapshot.ok,
        error: snapshot.error,
        fetchedAt: iso(snapshot.fetchedAt),
        stale,
        offlineNodes: [...offline].sort(),
      });
    });
    return { vms, servers: rows };
  }

  /** Field by field, with the caller's abilities on the guest. */
  private present(
    ctx: TenantContext,
    settings: TenantSettings,
    g: InventoryGuest,
    can: ServedGuest['can'] | null = null,
  ): ServedGuest {
    return {
      serverId: g.serverId,
      node: g.node,
      vmid: g.vmid,
      type: g.type,
      name: g.name,
      status: g.status,
      cpu: g.cpu,
      maxcpu: g.maxcpu,
      mem: g.mem,
      maxmem: g.maxmem,
      disk: g.disk,
      maxdisk: g.maxdisk,
      uptime: g.uptime,
      tags: g.tags,
      template: g.template,
      pool: g.pool,
      lock: g.lock,
      hastate: g.hastate,
      nodeOffline: g.nodeOffline,
      can: can ?? guestAbilities(ctx.actor, ctx.scope, g.serverId, g.vmid, settings.viewerConsole),
    };
  }

  async list(ctx: TenantContext, query: VmListQuery, onlyServerId?: string): Promise<GuestList> {
    const settings = await this.d.settings.get(ctx.scope.tenantId);
    const { servers, answers } = await this.gather(ctx, query, onlyServerId);
    return this.build(ctx, settings, query, servers, answers);
  }

  /**
   * The list as a prepared JSON body. For unrestricted callers it is reused while nothing it
   * depends on changed (role, viewer-console setting, filters, each server's snapshot), so the
   * warm path of a big tenant is a few lookups instead of serializing thousands of objects.
   */
  async listBody(ctx: TenantContext, query: VmListQuery, onlyServerId?: string): Promise<PreparedBody> {
    const tenantId = ctx.scope.tenantId;
    const settings = await this.d.settings.get(tenantId);
    const { servers, answers } = await this.gather(ctx, query, onlyServerId);
    if (ctx.scope.assignments) return new PreparedBody(this.build(ctx, settings, query, servers, answers));
    const role = isGlobalAdmin(ctx.actor) ? 'global' : (ctx.scope.role ?? 'none');
    const slot = `${tenantId}|${role}|${settings.viewerConsole}|${onlyServerId ?? ''}|${JSON.stringify(query)}`;
    const parts = servers.map((s, i) => {
      const a = answers[i];
      return `${s.id}:${s.name}:${a ? `${a.snapshot.seq}:${a.stale ? 1 : 0}` : '-'}`;
    });
    const key = parts.join(',');
    const now = this.d.clock.now();
    const hit = this.bodies.get(slot);
    // Refreshes of many servers land one after another: rebuild at most every REBUILD_MS, the
    // body being then at most that much behind the newest snapshot (itself up to a TTL old).
    // What a caller changed themselves (an action's outcome) is never coalesced away.
    const coalesce = hit && now - hit.builtAt < REBUILD_MS && hit.builtAt > (this.localChanges.get(tenantId) ?? 0);
    if (hit && (hit.key === key || coalesce)) return hit.body;
    const body = new PreparedBody(this.build(ctx, settings, query, servers, answers));
    this.bodies.set(slot, { key, body, builtAt: now });
    return body;
  }

  /** Guest counts for the dashboard: the same list the caller sees, so the numbers match. */
  async guestStats(ctx: TenantContext): Promise<GuestStats> {
    const { vms, servers } = await this.list(ctx, {});
    const byStatus: Record<string, number> = {};
    for (const g of vms) byStatus[g.status] = (byStatus[g.status] ?? 0) + 1;
    const times = servers.filter((s) => s.ok && s.fetchedAt).map((s) => s.fetchedAt as string);
    return { total: vms.length, byStatus, fetchedAt: times.length ? (times.sort()[0] ?? null) : null };
  }

  // --- one guest -----------------------------------------------------------------------------

  /** On guest routes an unknown server reads like an unknown guest (as the policy answers). */
  private async requireServer(tenantId: string, serverId: string, missing: ErrorCode): Promise<InventoryServer> {
    const server = await this.d.servers.find(tenantId, serverId);
    if (!server) throw new AppError(missing, `${missing.startsWith('vm') ? 'Vm' : 'Server'} not found`);
    if (!server.active) throw new AppError('server.inactive', 'This server is deactivated');
    return server;
  }

  /** Node and type of a guest from the cached list; a miss refreshes once (new or moved guest). */
  private async locate(server: InventoryServer, vmid: number): Promise<InventoryGuest> {
    const key = this.keyOf(server);
    let snap = (await this.cache.get(key)).snapshot;
    let guest = snap.guests.find((g) => g.vmid === vmid);
    if (guest) return guest;
    // New guest, or the server failed last time and may be back: look again (at most so often).
    snap = await this.cache.refresh(key, this.opts.missRefreshMs);
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
  private async onGuest<T>(
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

  /** Locates a guest afresh for other modules (consoles, when Proxmox says it is not where the
   * cached list put it): node, type and name. */
  async relocateGuest(
    tenantId: string,
    serverId: string,
    vmid: number,
  ): Promise<{ node: string; type: 'qemu' | 'lxc'; name: string | null }> {
    const server = await this.requireServer(tenantId, serverId, 'vm.not_found');
    const g = await this.relocate(server, vmid);
    return { node: g.node, type: g.type, name: g.name };
  }

  /** Locates a guest for other modules (consoles): node, type and name. */
  async locateGuest(
    tenantId: string,
    serverId: string,
    vmid: number,
  ): Promise<{ node: string; type: 'qemu' | 'lxc'; name: string | null }> {
    const server = await this.requireServer(tenantId, serverId, 'vm.not_found');
    const g = await this.locate(server, vmid);
    return { node: g.node, type: g.type, name: g.name };
  }

  private async readCurrent(conn: ProxmoxConnection, g: InventoryGuest): Promise<Record<string, unknown>> {
    return conn.get(pvePath`/nodes/${g.node}/${g.type}/${g.vmid}/status/current`, undefined, { schema: AnyObject });
  }

  /** The state status/current reports: QMP state for QEMU, running/stopped for containers. */
  private statusFrom(g: InventoryGuest, cur: Record<string, unknown>): string {
    const plain = text(cur.status, 32) ?? 'unknown';
    return g.type === 'qemu' && plain !== 'stopped' ? (text(cur.qmpstatus, 32) ?? plain) : plain;
  }

  async guest(ctx: TenantContext, serverId: string, vmid: number): Promise<GuestDetail> {
    const tenantId = ctx.scope.tenantId;
    const server = await this.requireServer(tenantId, serverId, 'vm.not_found');
    const settings = await this.d.settings.get(tenantId);
    return this.onGuest(server, vmid, async (conn, g) => {
      const cur = await this.readCurrent(conn, g);
      const status = this.statusFrom(g, cur);
      const ha = cur.ha && typeof cur.ha === 'object' ? (cur.ha as Record<string, unknown>) : {};
      const merged: InventoryGuest = {
        ...g,
        name: text(cur.name, 128) ?? g.name,
        status,
        cpu: num(cur.cpu),
        maxcpu: num(cur.cpus) ?? num(cur.maxcpu) ?? g.maxcpu,
        mem: num(cur.mem),
        maxmem: num(cur.maxmem) ?? g.maxmem,
        disk: num(cur.disk),
        maxdisk: num(cur.maxdisk) ?? g.maxdisk,
        uptime: num(cur.uptime),
        lock: cur.lock === undefined ? null : text(cur.lock, 32),
        nodeOffline: false,
      };
      this.cache.patchGuest(server.id, vmid, {
        status,
        cpu: merged.cpu,
        mem: merged.mem,
        uptime: merged.uptime,
        lock: merged.lock,
        nodeOffline: false,
      });
      return {
        ...this.present(ctx, settings, merged),
        qmpstatus: g.type === 'qemu' ? text(cur.qmpstatus, 32) : null,
        ha: { managed: flag(ha.managed), state: text(ha.state, 32) },
        agent: flag(cur.agent),
        cpus: num(cur.cpus),
        netin: num(cur.netin),
        netout: num(cur.netout),
        diskread: num(cur.diskread),
        diskwrite: num(cur.diskwrite),
        pid: num(cur.pid),
        fetchedAt: iso(this.d.clock.now()),
      };
    });
  }

  // --- power actions -------------------------------------------------------------------------

  /** The guest's state: from the cache while it is fresh, else from status/current. */
  private async knownState(conn: ProxmoxConnection, server: InventoryServer, g: InventoryGuest) {
    if (this.cache.isFresh(server.id) && !g.nodeOffline) {
      return { type: g.type, status: g.status, template: g.template };
    }
    const cur = await this.readCurrent(conn, g);
    const status = this.statusFrom(g, cur);
    this.cache.patchGuest(server.id, g.vmid, { status, nodeOffline: false });
    return { type: g.type, status, template: flag(cur.template) || g.template };
  }

  async action(ctx: TenantContext, serverId: string, vmid: number, action: VmAction): Promise<VmActionResult> {
    const tenantId = ctx.scope.tenantId;
    const server = await this.requireServer(tenantId, serverId, 'vm.not_found');
    const audit = (result: 'success' | 'failure', details: Record<string, unknown>) =>
      this.d.audit.recordAlone(ctx.audit, {
        tenantId,
        action: 'vm.power',
        targetType: 'vm',
        targetId: `${serverId}:${vmid}`,
        result,
        details: { action, serverId, serverName: server.name, vmid, ...details },
      });
    let started: { upid: string; guest: InventoryGuest };
    try {
      started = await this.onGuest(server, vmid, async (conn, g) => {
        const state = await this.knownState(conn, server, g);
        const why = whyNotApplicable(action, state);
        if (why) {
          throw new AppError('vm.action_not_applicable', why, {
            details: { action, status: state.status, type: state.type },
          });
        }
        try {
          const upid = await conn.post(pvePath`/nodes/${g.node}/${g.type}/${vmid}/status/${action}`, undefined, {
            schema: Upid,
          });
          return { upid, guest: g };
        } catch (err) {
          // PVE's own immediate refusals ("CT 101 already running") are the same 409.
          if (
            isAppError(err) &&
            err.code === 'proxmox.error' &&
            NOT_APPLICABLE_PVE.some((re) => re.test(reasonOf(err)))
          ) {
            throw new AppError('vm.action_not_applicable', `Proxmox refused: ${reasonOf(err)}`, {
              details: { action, reason: reasonOf(err) },
            });
          }
          throw err;
        }
      });
      if (!parseUpid(started.upid)) {
        throw new AppError('proxmox.bad_response', 'Proxmox answered the action without a task id');
      }
    } catch (err) {
      await audit('failure', {
        error: isAppError(err) ? err.code : 'http.internal',
        message: isAppError(err) ? err.message : null,
      });
      throw err;
    }
    const { upid, guest } = started;
    const node = parseUpid(upid)?.node ?? guest.node;
    // The state is about to change: the next read (or action) asks Proxmox again.
    this.cache.invalidate(serverId);
    await audit('success', { upid, node: guest.node, type: guest.type, guestName: guest.name });
    await this.d.hub.publishTenant({
      type: 'vm.action',
      tenantId,
      at: iso(this.d.clock.now()),
      serverId,
      vmid,
      action,
      upid,
      actorUserId: ctx.actor.userId,
    });
    this.tasks.follow({ tenantId, serverId, vmid, node, upid, type: guest.type });
    return { upid, status: 'running' };
  }

  private async taskFinished(task: FollowedTask, outcome: TaskOutcome): Promise<void> {
    let guestStatus: string | null = null;
    if (task.vmid !== null && task.type) {
      try {
        const conn = await this.d.servers.connect(task.tenantId, task.serverId);
        const g = { node: task.node, type: task.type, vmid: task.vmid } as InventoryGuest;
        guestStatus = this.statusFrom(g, await this.readCurrent(conn, g));
        this.cache.patchGuest(task.serverId, task.vmid, { status: guestStatus, nodeOffline: false });
      } catch (err) {
        if (!isAppError(err)) this.d.log.warn({ err, upid: task.upid }, 'could not read the guest after its task');
      }
    }
    this.cache.invalidate(task.serverId);
    const at = iso(this.d.clock.now());
    await this.d.hub.publishTenant({
      type: 'task.finished',
      tenantId: task.tenantId,
      at,
      serverId: task.serverId,
      vmid: task.vmid,
      upid: task.upid,
      ok: outcome.ok,
      exitstatus: outcome.exitstatus,
      guestStatus,
    });
    if (guestStatus !== null && task.vmid !== null) {
      await this.d.hub.publishTenant({
        type: 'vm.status',
        tenantId: task.tenantId,
        at,
        serverId: task.serverId,
        vmid: task.vmid,
        status: guestStatus,
      });
    }
  }

  // --- history, nodes, tasks -----------------------------------------------------------------

  async rrd(ctx: TenantContext, serverId: string, vmid: number, query: RrdQuery): Promise<RrdData> {
    const server = await this.requireServer(ctx.scope.tenantId, serverId, 'vm.not_found');
    const raw = await this.onGuest(server, vmid, (conn, g) =>
      conn.get(
        pvePath`/nodes/${g.node}/${g.type}/${vmid}/rrddata`,
        { timeframe: query.timeframe, cf: query.cf },
        { schema: z.array(z.unknown()).max(10_000) },
      ),
    );
    const points = downsample(normalizeRrd(raw), query.points, query.cf);
    return { timeframe: query.timeframe, cf: query.cf, points };
  }

  async nodes(ctx: TenantContext, serverId: string): Promise<ServerNodes> {
    const server = await this.requireServer(ctx.scope.tenantId, serverId, 'server.not_found');
    const conn = await this.d.servers.connect(server.tenantId, server.id);
    const raw = await conn.get(pvePath`/nodes`, undefined, { schema: z.array(z.looseObject({})).max(1000) });
    const nodes: NodeInfo[] = [];
    for (const entry of raw) {
      const node = nodeName(entry.node);
      if (!node) continue;
      const status = entry.status === 'online' || entry.status === 'offline' ? entry.status : 'unknown';
      nodes.push({
        node,
        status,
        cpu: num(entry.cpu),
        maxcpu: num(entry.maxcpu),
        mem: num(entry.mem),
        maxmem: num(entry.maxmem),
        disk: num(entry.disk),
        maxdisk: num(entry.maxdisk),
        uptime: num(entry.uptime),
      });
    }
    // Every Proxmox server has a node: entries of which none is one are not Proxmox's answer.
    if (nodes.length === 0 && raw.length > 0) throw unusableList('node', raw.length);
    nodes.sort((a, b) => a.node.localeCompare(b.node));
    return { nodes, fetchedAt: iso(this.d.clock.now()) };
  }

  /** A task of this server; restricted members only see tasks of guests they may see. */
  async task(ctx: TenantContext, serverId: string, upid: string): Promise<TaskStatus> {
    const parsed = parseUpid(upid);
    const notFound = () => new AppError('task.not_found', 'Task not found');
    if (!parsed) throw notFound();
    if (ctx.scope.assignments) {
      const vmid = parseVmid(parsed.id);
      if (vmid === null || !canSeeGuest(ctx.scope, serverId, vmid)) throw notFound();
    }
    const server = await this.requireServer(ctx.scope.tenantId, serverId, 'server.not_found');
    const conn = await this.d.servers.connect(server.tenantId, server.id);
    let raw: z.infer<typeof PveTaskStatus>;
    try {
      // The node comes from the UPID itself: tasks are read where they ran.
      raw = await conn.get(pvePath`/nodes/${parsed.node}/tasks/${upid}/status`, undefined, { schema: PveTaskStatus });
    } catch (err) {
      // 400 `no such task`, 500 for a node this server does not know.
      const status = isAppError(err) && err.code === 'proxmox.error' ? statusOf(err) : null;
      if (status === 400 || status === 500) throw notFound();
      throw err;
    }
    const stopped = raw.status === 'stopped';
    const exitstatus = stopped ? cleanText(raw.exitstatus, 500) || 'unknown' : null;
    return {
      upid,
      node: parsed.node,
      type: parsed.type,
      id: parsed.id,
      user: parsed.user,
      status: stopped ? 'stopped' : 'running',
      exitstatus,
      ok: exitstatus === null ? null : taskSucceeded(exitstatus),
      starttime: iso(parsed.starttime * 1000),
    };
  }
}
