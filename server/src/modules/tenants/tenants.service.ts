// Tenants: CRUD for global admins, settings for tenant admins, the policy's tenant scope, stats.

import type { GuestPermission, TenantRole } from '@common/permissions';
import type { Tenant, TenantSettings } from '@common/schemas/tenants';
import { TenantSettings as TenantSettingsSchema } from '@common/schemas/tenants';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { isUniqueViolation } from '../../db/tx';
import type { AuthedContext, TenantContext } from '../../http/context';
import { AppError, forbidden } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import { type Actor, authorize, type GuestKey, guestKey, isGlobalAdmin, type TenantScope } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import { MembersRepo, parsePermissions } from '../members/members.repo';
import { globalAdminOnlyChanges, mergeSettings, parseSettings } from './settings';
import { type TenantRow, TenantsRepo } from './tenants.repo';

/** Guest counts come from the inventory module once it exists; until then, none are known. */
export interface GuestStatsSource {
  guestStats(
    ctx: TenantContext,
  ): Promise<{ total: number; byStatus: Record<string, number>; fetchedAt: string | null }>;
}

export class TenantsService {
  readonly repo = new TenantsRepo();
  private readonly members = new MembersRepo();
  private readonly settingsCache = new Map<string, { at: number; settings: TenantSettings }>();
  guestStatsSource: GuestStatsSource | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    private readonly hub: EventHub,
    private readonly clock: Clock,
  ) {}

  // --- the policy's view of a tenant ----------------------------------------------------------

  async loadScope(actor: Actor, tenantId: string): Promise<TenantScope> {
    const tenant = await this.repo.findById(this.db, tenantId);
    if (!tenant) return { tenantId, exists: false, active: false, role: null, assignments: null };
    const role = actor.memberships.get(tenantId) ?? null;
    let assignments: Map<GuestKey, Set<GuestPermission>> | null = null;
    // Tenant admins and global admins are never restricted (authorize() ignores it for them).
    if ((role === 'manager' || role === 'viewer') && !isGlobalAdmin(actor)) {
      const rows = await this.members.restriction(this.db, tenantId, actor.userId);
      if (rows) {
        assignments = new Map(
          rows.map((r) => [guestKey(r.server_id, r.vmid), new Set(parsePermissions(r.permissions))]),
        );
      }
    }
    return { tenantId, exists: true, active: tenant.is_active === 1, role, assignments };
  }

  // --- presenting -------------------------------------------------------------------------

  /** `restricted`: whether the caller is restricted to guests here (when no scope is at hand). */
  present(actor: Actor, row: TenantRow, scope?: TenantScope, restricted = false): Tenant {
    const role = actor.memberships.get(row.id) ?? null;
    const s: TenantScope = scope ?? {
      tenantId: row.id,
      exists: true,
      active: row.is_active === 1,
      role,
      // Only the tenant-level abilities are computed here: which guests does not matter.
      assignments: restricted && role !== 'admin' && !isGlobalAdmin(actor) ? new Map() : null,
    };
    const can = (p: Parameters<typeof authorize>[1]) => authorize(actor, p, { kind: 'tenant', scope: s }).allowed;
    return {
      id: row.id,
      name: row.name,
      slug: row.slug,
      description: row.description,
      logoUrl: row.logo_url,
      isActive: row.is_active === 1,
      role: (actor.memberships.get(row.id) as TenantRole | undefined) ?? null,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      can: {
        update: can('tenant:update'),
        delete: isGlobalAdmin(actor),
        viewMembers: can('member:read'),
        manageMembers: can('member:manage'),
        manageServers: can('server:manage'),
        insecureTls: can('server:insecure'),
        viewAudit: can('audit:read'),
        explorer: can('explorer:write') ? 'write' : can('explorer:read') ? 'read' : 'none',
      },
    };
  }

  // --- CRUD -------------------------------------------------------------------------------

  async list(ctx: AuthedContext): Promise<Tenant[]> {
    const rows = isGlobalAdmin(ctx.actor)
      ? await this.repo.list(this.db)
      : await this.repo.list(this.db, [...ctx.actor.memberships.keys()]);
    const restricted = await this.members.restrictedTenantIds(this.db, ctx.actor.userId);
    return rows.map((r) => this.present(ctx.actor, r, undefined, restricted.has(r.id)));
  }

  async create(
    ctx: AuthedContext,
    body: { name: string; slug: string; description?: string | undefined; logoUrl?: string | undefined },
  ): Promise<Tenant> {
    const now = this.clock.now();
    const row: TenantRow = {
      id: newId(),
      name: body.name,
      slug: body.slug,
      description: body.description ?? null,
      logo_url: body.logoUrl ?? null,
      is_active: 1,
      created_by: ctx.actor.userId,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await this.repo.insert(trx, row);
        await this.repo.saveSettings(trx, row.id, JSON.stringify(parseSettings(null)), now);
        await this.audit.record(trx, ctx.audit, {
          tenantId: row.id,
          action: 'tenant.created',
          targetType: 'tenant',
          targetId: row.id,
          details: { name: row.name, slug: row.slug },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('tenant.slug_taken', 'This slug is already taken');
      throw err;
    }
    return this.present(ctx.actor, row);
  }

  async get(ctx: TenantContext): Promise<Tenant> {
    const row = await this.repo.findById(this.db, ctx.scope.tenantId);
    if (!row) throw new AppError('tenant.not_found', 'Tenant not found');
    return this.present(ctx.actor, row, ctx.scope);
  }

  async update(
    ctx: TenantContext,
    patch: {
      name?: string | undefined;
      slug?: string | undefined;
      description?: string | null | undefined;
      logoUrl?: string | null | undefined;
      isActive?: boolean | undefined;
    },
  ): Promise<Tenant> {
    if (patch.isActive !== undefined && !isGlobalAdmin(ctx.actor)) {
      throw forbidden('Only global admins can activate or deactivate a tenant');
    }
    const tenantId = ctx.scope.tenantId;
    const set: Partial<TenantRow> = { updated_at: this.clock.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.slug !== undefined) set.slug = patch.slug;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.logoUrl !== undefined) set.logo_url = patch.logoUrl;
    if (patch.isActive !== undefined) set.is_active = patch.isActive ? 1 : 0;
    try {
      await this.db.transaction().execute(async (trx) => {
        await this.repo.update(trx, tenantId, set);
        await this.audit.record(trx, ctx.audit, {
          tenantId,
          action: patch.isActive === false ? 'tenant.deactivated' : 'tenant.updated',
          targetType: 'tenant',
          targetId: tenantId,
          details: { ...patch },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('tenant.slug_taken', 'This slug is already taken');
      throw err;
    }
    if (patch.isActive === false) {
      await this.hub.publishSystem({ type: 'revoke.tenant', tenantId, reason: 'tenant deactivated' });
    }
    await this.hub.publishTenant({ type: 'tenant.updated', tenantId, at: new Date().toISOString() });
    return this.get({ ...ctx, scope: { ...ctx.scope, active: patch.isActive ?? ctx.scope.active } });
  }

  async delete(ctx: TenantContext): Promise<void> {
    const tenantId = ctx.scope.tenantId;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.delete(trx, tenantId);
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'tenant.deleted',
        targetType: 'tenant',
        targetId: tenantId,
      });
    });
    this.settingsCache.delete(tenantId);
    await this.hub.publishSystem({ type: 'revoke.tenant', tenantId, reason: 'tenant deleted' });
  }

  // --- settings ----------------------------------------------------------------------------

  /** Settings with defaults filled in; cached for a few seconds (hot on every console/health). */
  async settings(tenantId: string): Promise<TenantSettings> {
    const now = this.clock.now();
    const cached = this.settingsCache.get(tenantId);
    if (cached && now - cached.at < 5_000) return cached.settings;
    const settings = parseSettings(await this.repo.settingsJson(this.db, tenantId));
    this.settingsCache.set(tenantId, { at: now, settings });
    return settings;
  }

  async updateSettings(ctx: TenantContext, patch: Record<string, unknown>): Promise<TenantSettings> {
    const tenantId = ctx.scope.tenantId;
    const outcome = await this.db.transaction().execute(async (trx) => {
      const current = parseSettings(await this.repo.settingsJson(trx, tenantId));
      // Quotas and the egress narrowing are the operator's: a tenant admin may echo them, never change them.
      const refused = isGlobalAdmin(ctx.actor) ? [] : globalAdminOnlyChanges(current, patch);
      if (refused.length > 0) return { refused };
      const merged = TenantSettingsSchema.parse(mergeSettings(current, patch));
      await this.repo.saveSettings(trx, tenantId, JSON.stringify(merged), this.clock.now());
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'tenant.settings_updated',
        targetType: 'tenant',
        targetId: tenantId,
        details: { changed: patch },
      });
      return { merged };
    });
    if (outcome.refused) {
      await this.audit.recordAlone(ctx.audit, {
        tenantId,
        action: 'tenant.settings_updated',
        targetType: 'tenant',
        targetId: tenantId,
        result: 'denied',
        details: { refused: outcome.refused },
      });
      throw new AppError('settings.quota_forbidden', `Only global admins can change ${outcome.refused.join(', ')}`, {
        details: { fields: outcome.refused },
      });
    }
    const next = outcome.merged;
    this.settingsCache.delete(tenantId);
    await this.hub.publishTenant({ type: 'tenant.updated', tenantId, at: new Date().toISOString() });
    return next;
  }

  // --- stats -------------------------------------------------------------------------------

  async stats(ctx: TenantContext) {
    const tenantId = ctx.scope.tenantId;
    const assignments = ctx.scope.assignments;
    const guests = assignments
      ? [...assignments.keys()].map((k) => {
          const i = k.lastIndexOf(':');
          return { serverId: k.slice(0, i), vmid: Number(k.slice(i + 1)) };
        })
      : undefined;
    const serverIds = guests ? [...new Set(guests.map((g) => g.serverId))] : undefined;
    const byStatus = await this.repo.serverStatusCounts(this.db, tenantId, serverIds);
    const canSeeMembers = authorize(ctx.actor, 'member:read', { kind: 'tenant', scope: ctx.scope }).allowed;
    return {
      servers: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
      guests: this.guestStatsSource
        ? await this.guestStatsSource.guestStats(ctx)
        : { total: 0, byStatus: {}, fetchedAt: null },
      members: canSeeMembers ? await this.repo.memberCount(this.db, tenantId) : null,
      activeConsoles: await this.repo.activeConsoles(this.db, tenantId, guests),
    };
  }
}
