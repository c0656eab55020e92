// The guest list across a tenant's servers (DESIGN.md §6): every server's cached list in parallel,
// each within its own deadline, filtered to what the caller may see and asked for, with a
// status row per server. Unrestricted callers share a prepared body per role while nothing it
// depends on changed (the warm path of a big tenant).

import { parseUuid } from '@common/schemas/shared';
import type { TenantSettings } from '@common/schemas/tenants';
import type { GuestList, Guest as ServedGuest, ServerFetchStatus, VmListQuery } from '@common/schemas/vms';
import type { TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { canSeeGuest, guestAbilities, isGlobalAdmin, visibleServerIds } from '../../policy/policy';
import type { InventoryServer, ServerDirectory } from '../servers/server-directory';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { GuestLocator } from './guest-locator';
import { filterOf, type GuestStats, iso, matches, PreparedBody, presentGuest } from './inventory.presenter';
import { ListBodies } from './list-bodies';
import type { Snapshot } from './resource-cache';

const MAX_BODY_SLOTS = 200;
/** Serialized lists kept in all (their gzip copies add a fraction): see list-bodies.ts. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const REBUILD_MS = 250;

export interface GuestListDeps {
  servers: ServerDirectory;
  locator: GuestLocator;
  settings: Pick<TenantSettingsReader, 'get'>;
  clock: Clock;
}

export class GuestListService {
  /** Serialized lists for unrestricted callers, keyed by what they depend on (the warm path). */
  private readonly bodies = new ListBodies<PreparedBody>(MAX_BODY_SLOTS, MAX_BODY_BYTES, (b) => b.json.length);
  /** When a tenant's cached guests last changed through an action or a status read. */
  private readonly localChanges = new Map<string, number>();

  constructor(private readonly d: GuestListDeps) {
    d.locator.cache.onLocalChange = (tenantId) => this.localChanges.set(tenantId, d.clock.now());
  }

  close(): void {
    this.bodies.clear();
    this.localChanges.clear();
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
    const answers = await Promise.all(
      servers.map((s) => (s.active ? this.d.locator.cache.get(this.d.locator.keyOf(s)) : null)),
    );
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
    const same = ctx.scope.assignments ? null : guestAbilities(ctx.actor, ctx.scope, '', 0, settings);
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
        vms.push(presentGuest(ctx, settings, g, same));
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
}
