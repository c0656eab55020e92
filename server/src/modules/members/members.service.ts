// Membership and roles inside a tenant, invitations for new people, and guest assignments.

import type { GuestPermission, TenantRole } from '@common/permissions';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import { isGlobalAdmin } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import type { InvitationsService } from '../auth/invitations.service';
import type { UserDirectory } from '../users/user-directory';
import { type MemberRow, MembersRepo, parsePermissions } from './members.repo';

const RANK: Record<TenantRole, number> = { viewer: 0, manager: 1, admin: 2 };

/** Tenant admins are never restricted (the policy ignores any stale flag or rows of theirs). */
const isRestricted = (row: MemberRow): boolean => row.role !== 'admin' && Boolean(row.restricted);

export function presentMember(row: MemberRow) {
  return {
    userId: row.user_id,
    email: row.email,
    fullName: row.full_name,
    role: row.role as TenantRole,
    restricted: isRestricted(row),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export class MembersService {
  readonly repo = new MembersRepo();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: UserDirectory,
    private readonly invitations: InvitationsService,
    private readonly audit: AuditService,
    private readonly hub: EventHub,
    private readonly clock: Clock,
  ) {}

  async list(ctx: TenantContext) {
    return (await this.repo.list(this.db, ctx.scope.tenantId)).map(presentMember);
  }

  private async requireMember(tenantId: string, userId: string): Promise<MemberRow> {
    const m = await this.repo.find(this.db, tenantId, userId);
    if (!m) throw new AppError('member.not_found', 'Member not found');
    return m;
  }

  /**
   * Adding by e-mail is an invitation the person accepts. A tenant admin gets the same answer
   * (and the same work done) whether or not the e-mail has an account, so it tells them nothing
   * about other people on this Nexus. Global admins, who see every user anyway, add an existing
   * user directly.
   */
  async add(ctx: TenantContext, email: string, role: TenantRole) {
    const tenantId = ctx.scope.tenantId;
    // Members are listed to the caller anyway: refusing a duplicate leaks nothing.
    if ((await this.repo.list(this.db, tenantId)).some((m) => m.email === email)) {
      throw new AppError('member.exists', 'This user is already a member');
    }
    const user = isGlobalAdmin(ctx.actor) ? await this.users.findByEmail(email) : undefined;
    if (user) return { member: await this.addDirectly(ctx, user.id, email, role), invitation: null };
    const invitation = await this.db.transaction().execute(async (trx) => {
      const inv = await this.invitations.createInvitation(trx, ctx.actor.userId, tenantId, email, role);
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'member.invited',
        targetType: 'invitation',
        details: { email, role },
      });
      return inv;
    });
    return {
      member: null,
      invitation: { url: invitation.url, expiresAt: new Date(invitation.expiresAt).toISOString(), email, role },
    };
  }

  private async addDirectly(ctx: TenantContext, userId: string, email: string, role: TenantRole) {
    const tenantId = ctx.scope.tenantId;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.add(trx, {
        id: newId(),
        tenant_id: tenantId,
        user_id: userId,
        role,
        created_at: this.clock.now(),
      });
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'member.added',
        targetType: 'user',
        targetId: userId,
        details: { email, role },
      });
    });
    await this.publishChange(tenantId, userId, role);
    return presentMember(await this.requireMember(tenantId, userId));
  }

  /** A tenant must keep one admin unless a global admin decides otherwise. */
  private async guardLastAdmin(ctx: TenantContext, current: MemberRow, nextRole: TenantRole | null) {
    if (current.role !== 'admin' || nextRole === 'admin' || isGlobalAdmin(ctx.actor)) return;
    if ((await this.repo.countAdmins(this.db, ctx.scope.tenantId)) <= 1) {
      throw new AppError('member.last_admin', 'A tenant needs at least one admin');
    }
  }

  async setRole(ctx: TenantContext, userId: string, role: TenantRole) {
    const tenantId = ctx.scope.tenantId;
    const current = await this.requireMember(tenantId, userId);
    await this.guardLastAdmin(ctx, current, role);
    // Admins cannot be restricted; promoting would lift the restriction as a side effect.
    if (role === 'admin' && isRestricted(current)) {
      throw new AppError('member.restricted', 'This member is restricted to guests: lift the restriction first');
    }
    await this.db.transaction().execute(async (trx) => {
      await this.repo.setRole(trx, tenantId, userId, role);
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'member.role_changed',
        targetType: 'user',
        targetId: userId,
        details: { email: current.email, from: current.role, to: role },
      });
    });
    if (RANK[role] < RANK[current.role as TenantRole]) {
      await this.hub.publishSystem({ type: 'revoke.membership', userId, tenantId, reason: 'role changed' });
    }
    await this.publishChange(tenantId, userId, role);
    return presentMember(await this.requireMember(tenantId, userId));
  }

  async remove(ctx: TenantContext, userId: string): Promise<void> {
    const tenantId = ctx.scope.tenantId;
    const current = await this.requireMember(tenantId, userId);
    await this.guardLastAdmin(ctx, current, null);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.remove(trx, tenantId, userId);
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'member.removed',
        targetType: 'user',
        targetId: userId,
        details: { email: current.email, role: current.role },
      });
    });
    await this.hub.publishSystem({
      type: 'revoke.membership',
      userId,
      tenantId,
      reason: 'membership removed',
    });
    await this.publishChange(tenantId, userId, null);
  }

  async getAssignments(ctx: TenantContext, userId: string) {
    const member = await this.requireMember(ctx.scope.tenantId, userId);
    const rows = await this.repo.assignments(this.db, ctx.scope.tenantId, userId);
    return {
      restricted: isRestricted(member),
      assignments: rows.map((r) => ({
        serverId: r.server_id,
        vmid: r.vmid,
        permissions: parsePermissions(r.permissions),
      })),
    };
  }

  /**
   * Replaces the member's guest allowlist. Giving guests restricts; an empty list leaves the
   * restriction as it is (a restricted member then reaches no guest); only `restricted: false`
   * lifts it. Nothing else ever does: not a deleted server, not a vanished guest.
   */
  async putAssignments(
    ctx: TenantContext,
    userId: string,
    body: {
      restricted?: boolean | undefined;
      assignments: { serverId: string; vmid: number; permissions: GuestPermission[] }[];
    },
  ) {
    const tenantId = ctx.scope.tenantId;
    const list = body.assignments;
    const member = await this.requireMember(tenantId, userId);
    const restricted = body.restricted ?? (list.length > 0 || isRestricted(member));
    if (!restricted && list.length > 0) {
      throw new AppError(
        'http.bad_request',
        'Guest assignments restrict the member: send restricted true or no guests',
      );
    }
    if (member.role === 'admin' && restricted) {
      throw new AppError('http.bad_request', 'Tenant admins cannot be restricted to guests; change the role first');
    }
    const seen = new Set<string>();
    for (const a of list) {
      const key = `${a.serverId}:${a.vmid}`;
      if (seen.has(key))
        throw new AppError('http.bad_request', `Guest ${a.vmid} on server ${a.serverId} is listed twice`);
      seen.add(key);
    }
    const known = await this.repo.existingServerIds(this.db, tenantId, [...new Set(list.map((a) => a.serverId))]);
    const unknown = list.find((a) => !known.has(a.serverId));
    if (unknown)
      throw new AppError('server.not_found', 'Server not found', { details: { serverId: unknown.serverId } });
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.setRestricted(trx, tenantId, userId, restricted);
      await this.repo.replaceAssignments(
        trx,
        tenantId,
        userId,
        list.map((a) => ({
          id: newId(),
          server_id: a.serverId,
          vmid: a.vmid,
          permissions: [...new Set(a.permissions)].sort().join(','),
          created_at: now,
        })),
      );
      await this.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'member.assignments_changed',
        targetType: 'user',
        targetId: userId,
        details: { email: member.email, count: list.length, restricted },
      });
    });
    // Narrowing what someone may reach ends consoles they may no longer hold; widening makes
    // their open event stream reconnect with the new scope.
    await this.hub.publishSystem({
      type: 'revoke.membership',
      userId,
      tenantId,
      reason: 'permissions changed',
    });
    await this.publishChange(tenantId, userId, member.role);
    return this.getAssignments(ctx, userId);
  }

  /**
   * A single sign-on: the user's memberships in the tenants the role map names, as the identity
   * provider's groups say now (added, changed and removed; every other tenant left alone). The
   * provider is the authority here: no last-admin guard, and an admin is never restricted.
   */
  async syncFromProvider(
    audit: AuditContext,
    user: { id: string; email: string },
    provider: string,
    wanted: ReadonlyMap<string, TenantRole | null>,
  ): Promise<void> {
    for (const [tenantId, role] of wanted) {
      const current = await this.repo.find(this.db, tenantId, user.id);
      const from = (current?.role as TenantRole | undefined) ?? null;
      if (from === role) continue;
      await this.db.transaction().execute(async (trx) => {
        if (role === null) await this.repo.remove(trx, tenantId, user.id);
        else if (!current) {
          await this.repo.add(trx, {
            id: newId(),
            tenant_id: tenantId,
            user_id: user.id,
            role,
            created_at: this.clock.now(),
          });
        } else {
          await this.repo.setRole(trx, tenantId, user.id, role);
          if (role === 'admin') await this.repo.setRestricted(trx, tenantId, user.id, false);
        }
        await this.audit.record(trx, audit, {
          tenantId,
          action: 'member.sso_synced',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email, from, to: role, provider },
        });
      });
      if (from !== null && (role === null || RANK[role] < RANK[from])) {
        await this.hub.publishSystem({ type: 'revoke.membership', userId: user.id, tenantId, reason: 'role changed' });
      }
      await this.publishChange(tenantId, user.id, role);
    }
  }

  private async publishChange(tenantId: string, userId: string, role: string | null) {
    await this.hub.publishTenant({
      type: 'member.changed',
      tenantId,
      userId,
      role,
      at: new Date().toISOString(),
    });
  }
}
