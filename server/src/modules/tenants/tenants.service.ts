// Tenants: CRUD for global admins, settings for tenant admins, the policy's tenant scope, stats.

import type { GuestPermission, TenantRole } from '@common/permissions';
import type { Tenant, TenantSettings } from '@common/schemas/tenants';
import { TenantSettings as TenantSettingsSchema } from '@common/schemas/tenants';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { isUniqueViolation } from '../../db/tx';
import type { AuthedContext, TenantContext } from '../../http/context';
import { AppError, forbidden, isAppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import {
  type Actor,
  assignedGuests,
  authorize,
  type GuestKey,
  guestKey,
  isGlobalAdmin,
  type TenantScope,
  visibleServerIds,
} from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import { type AuditContext, type AuditService, SYSTEM_CONTEXT } from '../audit/audit.service';
import type { MembershipReader } from '../members/membership-reader';
import { globalAdminOnlyChanges, mergeSettings, parseSettings } from './settings';
import type { TenantSettingsReader } from './settings-reader';
import type { TenantRow, TenantsRepo } from './tenants.repo';

type NewTenant = { name: string; slug: string; description?: string | undefined; logoUrl?: string | undefined };

export class TenantsService {
  private readonly repo: TenantsRepo;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly members: Pick<MembershipReader, 'restriction' | 'restrictedTenantIds'>,
    private readonly settingsReader: TenantSettingsReader,
    private readonly audit: AuditService,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    repo: TenantsRepo,
  ) {
    this.repo = repo;
  }

  // --- the policy's view of a tenant ----------------------------------------------------------

  async loadScope(actor: Actor, tenantId: string): Promise<TenantScope> {
    const tenant = await this.repo.findById(this.db, tenantId);
    if (!tenant) return { tenantId, exists: false, active: false, role: null, assignments: null };
    const role = actor.memberships.get(tenantId) ?? null;
    let assignments: Map<GuestKey, Set<GuestPermission>> | null = null;
    // Tenant admins and global admins are never restricted (authorize() ignores it for them).
    if ((role === 'manager' || role === 'viewer') && !isGlobalAdmin(actor)) {
      const rows = await this.members.restriction(tenantId, actor.userId);
      if (rows) assignments = new Map(rows.map((r) => [guestKey(r.serverId, r.vmid), new Set(r.permissions)]));
    }
    const mfaRequired = (await this.settingsReader.get(tenantId)).requireMfa;
    return { tenantId, exists: true, active: tenant.is_active === 1, role, assignments, mfaRequired };
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
        nodeShell: can('node:shell'),
        viewAudit: can('audit:read'),
        manageAlerts: can('notification:manage'),
        explorer: can('explorer:write') ? 'write' : can('explorer:read') ? 'read' : 'none',
      },
    };
  }

  // --- CRUD -------------------------------------------------------------------------------

  async list(ctx: AuthedContext): Promise<Tenant[]> {
    const rows = isGlobalAdmin(ctx.actor)
      ? await this.repo.list(this.db)
      : await this.repo.list(this.db, [...ctx.actor.memberships.keys()]);
    const restricted = await this.members.restrictedTenantIds(ctx.actor.userId);
    return rows.map((r) => this.present(ctx.actor, r, undefined, restricted.has(r.id)));
  }

  async create(ctx: AuthedContext, body: NewTenant): Promise<Tenant> {
    const row = await this.insert(ctx.audit, ctx.actor.userId, body, {});
    return this.present(ctx.actor, row);
  }

  /** The tenant with this slug, created by the system when missing (the default server's). */
  async ensureSystemTenant(body: NewTenant, details: Record<string, unknown>): Promise<string> {
    try {
      return (await this.insert(SYSTEM_CONTEXT, null, body, details)).id;
    } catch (err) {
      const existing = await this.idBySlug(body.slug);
      if (isAppError(err) && err.code === 'tenant.slug_taken' && existing) return existing;
      throw err;
    }
  }

  async nameOf(tenantId: string): Promise<string | undefined> {
    return (await this.repo.findById(this.db, tenantId))?.name;
  }

  /** What a share link's page may show of its tenant (name and logo), while the tenant is active. */
  async publicFace(tenantId: string): Promise<{ name: string; logoUrl: string | null } | undefined> {
    const row = await this.repo.findById(this.db, tenantId);
    return row && row.is_active === 1 ? { name: row.name, logoUrl: row.logo_url } : undefined;
  }

  async idBySlug(slug: string): Promise<string | undefined> {
    return (await this.repo.findBySlug(this.db, slug))?.id;
  }

  /** The one way a tenant comes to be: its row, default settings and audit row together. */
  private async insert(
    who: AuditContext,
    createdBy: string | null,
    body: NewTenant,
    details: Record<string, unknown>,
  ): Promise<TenantRow> {
    const now = this.clock.now();
    const row: TenantRow = {
      id: newId(),
      name: body.name,
      slug: body.slug,
      description: body.description ?? null,
      logo_url: body.logoUrl ?? null,
      is_active: 1,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await this.repo.insert(trx, row);
        await this.repo.saveSettings(trx, row.id, JSON.stringify(parseSettings(null)), now);
        await this.audit.record(trx, who, {
          tenantId: row.id,
          action: 'tenant.created',
          targetType: 'tenant',
          targetId: row.id,
          details: { name: row.name, slug: row.slug, ...details },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('tenant.slug_taken', 'This slug is already taken');
      throw err;
    }
    return row;
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
    this.settingsReader.invalidate(tenantId);
    await this.hub.publishSystem({ type: 'revoke.tenant', tenantId, reason: 'tenant deleted' });
  }

  // --- settings ----------------------------------------------------------------------------

  /** Settings with defaults filled in (see TenantSettingsReader). */
  settings(tenantId: string): Promise<TenantSettings> {
    return this.settingsReader.get(tenantId);
  }

  async updateSettings(ctx: TenantContext, patch: Record<string, unknown>): Promise<TenantSettings> {
    const tenantId = ctx.scope.tenantId;
    // Requiring a second factor without one would shut its own admin out.
    if (patch.requireMfa === true && !ctx.actor.secondFactor && !isGlobalAdmin(ctx.actor)) {
      throw new AppError('settings.mfa_first', 'Set up your own second factor before requiring one from members');
    }
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
    this.settingsReader.invalidate(tenantId);
    await this.hub.publishTenant({ type: 'tenant.updated', tenantId, at: new Date().toISOString() });
    return next;
  }

  // --- stats -------------------------------------------------------------------------------

  /** The tenant's own counts; the stats route adds the guests (from the inventory). */
  async stats(ctx: TenantContext) {
    const tenantId = ctx.scope.tenantId;
    const byStatus = await this.repo.serverStatusCounts(this.db, tenantId, visibleServerIds(ctx.scope));
    const canSeeMembers = authorize(ctx.actor, 'member:read', { kind: 'tenant', scope: ctx.scope }).allowed;
    return {
      servers: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
      members: canSeeMembers ? await this.repo.memberCount(this.db, tenantId) : null,
      activeConsoles: await this.repo.activeConsoles(this.db, tenantId, assignedGuests(ctx.scope) ?? undefined),
    };
  }
}
