// Invitations: a tenant admin's link that lets a person join a tenant with a role — a new person
// creates their account from it, an existing one signs in as the invited e-mail and consents.
// The link is random, shown once and stored as SHA-256; it is spent once, even under races.

import type { TenantRole } from '@common/permissions';
import type { PendingInvitation } from '@common/schemas/tenants';
import type { Kysely, Transaction } from 'kysely';
import type { Database, InvitationsTable } from '../../db/schema';
import { isUniqueViolation } from '../../db/tx';
import type { AuthedContext, RequestContext, TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import type { UserDirectory, UserRecord } from '../users/user-directory';
import type { AuthService } from './auth.service';

const INVITATION_TTL_MS = 7 * 24 * 3600_000;

type InvitationRow = InvitationsTable;

/** A tenant's display name by id (the tenants module). */
export interface TenantNames {
  nameOf(tenantId: string): Promise<string | undefined>;
}

export interface InvitationsDeps {
  db: Kysely<Database>;
  auth: AuthService;
  users: UserDirectory;
  tenants: TenantNames;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  publicUrl: string;
}

export class InvitationsService {
  constructor(private readonly d: InvitationsDeps) {}

  async createInvitation(
    trx: Transaction<Database>,
    invitedBy: string,
    tenantId: string,
    email: string,
    role: TenantRole,
  ): Promise<{ url: string; expiresAt: number }> {
    const token = newSecret(32);
    const now = this.d.clock.now();
    const expiresAt = now + INVITATION_TTL_MS;
    await this.d.auth.creds.insertInvitation(trx, {
      id: newId(),
      kind: 'invite',
      token_hash: sha256(token),
      tenant_id: tenantId,
      email,
      role,
      created_by: invitedBy,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    });
    return { url: `${this.d.publicUrl}/invitations/${token}`, expiresAt };
  }

  /** The tenant's pending invitations (tenant admins), with who sent each. */
  async listPending(ctx: TenantContext): Promise<PendingInvitation[]> {
    const rows = await this.d.auth.creds.pendingInvitations(this.d.db, ctx.scope.tenantId, this.d.clock.now());
    const names = new Map<string, string | null>();
    for (const id of new Set(rows.map((r) => r.created_by).filter((v) => v !== null))) {
      names.set(id, await this.d.users.label(id));
    }
    return rows.map((r) => ({
      id: r.id,
      email: r.email ?? '',
      role: (r.role ?? 'viewer') as TenantRole,
      invitedBy: r.created_by ? (names.get(r.created_by) ?? null) : null,
      createdAt: new Date(r.created_at).toISOString(),
      expiresAt: new Date(r.expires_at).toISOString(),
    }));
  }

  /** Revokes an unused invitation: its link stops working at once. */
  async revoke(ctx: TenantContext, id: string): Promise<void> {
    const tenantId = ctx.scope.tenantId;
    await this.d.db.transaction().execute(async (trx) => {
      const row = await this.d.auth.creds.deleteInvitation(trx, tenantId, id);
      if (!row) throw new AppError('invitation.not_found', 'Invitation not found (already used, expired or revoked)');
      await this.d.audit.record(trx, ctx.audit, {
        tenantId,
        action: 'invitation.revoked',
        targetType: 'invitation',
        targetId: id,
        details: { email: row.email, role: row.role },
      });
    });
  }

  private async validInvitation(token: string) {
    const inv = await this.d.auth.creds.findInvitation(this.d.db, sha256(token));
    if (inv?.kind !== 'invite' || inv.used_at !== null || inv.expires_at <= this.d.clock.now() || !inv.tenant_id) {
      throw new AppError('invitation.invalid', 'This invitation is invalid, expired or already used');
    }
    return inv;
  }

  async invitationInfo(token: string) {
    const inv = await this.validInvitation(token);
    const tenant = await this.d.tenants.nameOf(inv.tenant_id ?? '');
    return {
      email: inv.email,
      tenantName: tenant ?? null,
      role: (inv.role as TenantRole | null) ?? null,
      expiresAt: new Date(inv.expires_at).toISOString(),
    };
  }

  /** A new person creates their account from the link (an existing e-mail gets 409: sign in and join). */
  async acceptInvitation(
    ctx: RequestContext,
    token: string,
    body: { password: string; fullName?: string | undefined },
  ) {
    const inv = await this.validInvitation(token);
    const user = await this.d.auth.createUser(
      ctx.audit,
      { email: inv.email ?? '', password: body.password, fullName: body.fullName, globalRole: 'user' },
      'user.invitation_accepted',
      (trx, row) => this.joinFromInvitation(trx, inv, row, { ...ctx.audit, userId: row.id, label: row.email }),
    );
    await this.publishJoined(inv, user.id);
    return this.d.auth.issueSession(ctx, user, 'auth.login');
  }

  /**
   * An existing user accepts, signed in as the invited e-mail: adding people by e-mail never makes
   * them members without their consent (and never tells the inviting admin who has an account).
   */
  async joinInvitation(ctx: AuthedContext, token: string) {
    const inv = await this.validInvitation(token);
    if ((inv.email ?? '').toLowerCase() !== ctx.actor.email.toLowerCase()) {
      throw new AppError(
        'invitation.wrong_account',
        'This invitation is for another e-mail address: sign in as that account to accept it',
      );
    }
    const user = await this.d.users.findById(ctx.actor.userId);
    if (!user) throw new AppError('auth.unauthenticated', 'Sign in first');
    try {
      await this.d.db.transaction().execute((trx) => this.joinFromInvitation(trx, inv, user, ctx.audit));
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('member.exists', 'You are already a member of this tenant');
      throw err;
    }
    await this.publishJoined(inv, user.id);
    const tenant = await this.d.tenants.nameOf(inv.tenant_id ?? '');
    return {
      tenantId: inv.tenant_id ?? '',
      tenantName: tenant ?? '',
      role: (inv.role ?? 'viewer') as TenantRole,
    };
  }

  /** Spends the link (once, even under races) and adds the membership it offers, audited. */
  private async joinFromInvitation(
    trx: Transaction<Database>,
    inv: InvitationRow,
    user: Pick<UserRecord, 'id'>,
    audit: AuditContext,
  ): Promise<void> {
    const now = this.d.clock.now();
    if (!(await this.d.auth.creds.consumeInvitation(trx, inv.id, now))) {
      throw new AppError('invitation.invalid', 'This invitation is invalid, expired or already used');
    }
    await this.d.auth.creds.insertMembership(trx, {
      id: newId(),
      user_id: user.id,
      tenant_id: inv.tenant_id ?? '',
      role: inv.role ?? 'viewer',
      created_at: now,
    });
    await this.d.audit.record(trx, audit, {
      tenantId: inv.tenant_id,
      action: 'member.added',
      targetType: 'user',
      targetId: user.id,
      details: { role: inv.role, via: 'invitation' },
    });
  }

  private async publishJoined(inv: InvitationRow, userId: string): Promise<void> {
    if (!inv.tenant_id) return;
    await this.d.hub.publishTenant({
      type: 'member.changed',
      tenantId: inv.tenant_id,
      userId,
      role: inv.role,
      at: new Date(this.d.clock.now()).toISOString(),
    });
  }
}
