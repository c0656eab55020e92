// Global user administration and each user's own profile.

import type { GlobalRole } from '@common/permissions';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { AuthedContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import type { AuthService } from '../auth/auth.service';
import { hashPassword, verifyPassword } from '../auth/password';
import { presentUser } from './users.presenter';
import { type UserRow, UsersRepo } from './users.repo';

export class UsersService {
  private readonly repo = new UsersRepo();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly hub: EventHub,
    private readonly clock: Clock,
  ) {}

  private async require(id: string): Promise<UserRow> {
    const user = await this.repo.findById(this.db, id);
    if (!user) throw new AppError('user.not_found', 'User not found');
    return user;
  }

  async list(opts: { limit: number; offset: number; search?: string | undefined }) {
    const rows = await this.repo.list(this.db, {
      limit: opts.limit,
      offset: opts.offset,
      ...(opts.search ? { search: opts.search } : {}),
    });
    return rows.map(presentUser);
  }

  async create(
    ctx: AuthedContext,
    body: {
      email: string;
      password: string;
      fullName?: string | undefined;
      globalRole?: GlobalRole | undefined;
    },
  ) {
    const row = await this.auth.createUser(
      ctx.audit,
      { ...body, globalRole: body.globalRole ?? 'user' },
      'user.created',
    );
    return presentUser(row);
  }

  private async guardLastAdmin(user: UserRow) {
    if (user.global_role === 'admin' && user.disabled_at === null && (await this.repo.countAdmins(this.db)) <= 1) {
      throw new AppError('user.last_admin', 'The last global admin cannot be removed, demoted or disabled');
    }
  }

  async update(
    ctx: AuthedContext,
    id: string,
    patch: {
      fullName?: string | null | undefined;
      globalRole?: GlobalRole | undefined;
      disabled?: boolean | undefined;
      password?: string | undefined;
    },
  ) {
    const user = await this.require(id);
    if ((patch.globalRole === 'user' || patch.disabled === true) && user.global_role === 'admin') {
      await this.guardLastAdmin(user);
    }
    const now = this.clock.now();
    const set: Partial<UserRow> = { updated_at: now };
    if (patch.fullName !== undefined) set.full_name = patch.fullName;
    if (patch.globalRole !== undefined) set.global_role = patch.globalRole;
    if (patch.disabled !== undefined) set.disabled_at = patch.disabled ? (user.disabled_at ?? now) : null;
    if (patch.password !== undefined) {
      set.password_hash = await hashPassword(patch.password);
      set.password_changed_at = now;
    }
    const revoke = patch.disabled === true || patch.password !== undefined || patch.globalRole === 'user';
    await this.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, set);
      if (patch.disabled === true || patch.password !== undefined) await this.auth.revokeAll(trx, id);
      const action =
        patch.globalRole !== undefined && patch.globalRole !== user.global_role
          ? 'user.role_changed'
          : patch.disabled === true
            ? 'user.disabled'
            : patch.disabled === false
              ? 'user.enabled'
              : 'user.updated';
      await this.audit.record(trx, ctx.audit, {
        action,
        targetType: 'user',
        targetId: id,
        details: {
          ...(patch.fullName !== undefined ? { fullName: patch.fullName } : {}),
          ...(patch.globalRole !== undefined ? { globalRole: patch.globalRole } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(patch.password !== undefined ? { passwordReset: true } : {}),
        },
      });
    });
    if (revoke) await this.hub.publishSystem({ type: 'revoke.user', userId: id, reason: 'session revoked' });
    return presentUser(await this.require(id));
  }

  async delete(ctx: AuthedContext, id: string): Promise<void> {
    if (id === ctx.actor.userId) throw new AppError('http.bad_request', 'You cannot delete your own account here');
    const user = await this.require(id);
    await this.guardLastAdmin(user);
    await this.db.transaction().execute(async (trx) => {
      await this.auth.revokeAll(trx, id);
      await this.repo.delete(trx, id);
      await this.audit.record(trx, ctx.audit, {
        action: 'user.deleted',
        targetType: 'user',
        targetId: id,
        details: { email: user.email },
      });
    });
    await this.hub.publishSystem({ type: 'revoke.user', userId: id, reason: 'session revoked' });
  }

  // --- own account ---------------------------------------------------------------------

  memberships(ctx: AuthedContext) {
    return this.repo.memberships(this.db, ctx.actor.userId);
  }

  async account(ctx: AuthedContext) {
    return presentUser(await this.accountRecord(ctx));
  }

  /** The caller's own row (for what the presented account leaves out). */
  accountRecord(ctx: AuthedContext): Promise<UserRow> {
    return this.require(ctx.actor.userId);
  }

  async updateAccount(
    ctx: AuthedContext,
    patch: {
      fullName?: string | null | undefined;
      avatarUrl?: string | null | undefined;
      currentPassword?: string | undefined;
      newPassword?: string | undefined;
      keepTokens?: boolean | undefined;
      locale?: string | null | undefined;
    },
  ) {
    const user = await this.require(ctx.actor.userId);
    const now = this.clock.now();
    const set: Partial<UserRow> = { updated_at: now };
    if (patch.fullName !== undefined) set.full_name = patch.fullName;
    if (patch.avatarUrl !== undefined) set.avatar_url = patch.avatarUrl;
    if (patch.locale !== undefined) set.locale = patch.locale;
    if (patch.newPassword !== undefined) {
      if (!(await verifyPassword(user.password_hash, patch.currentPassword ?? ''))) {
        throw new AppError('auth.invalid_credentials', 'The current password is incorrect', { status: 400 });
      }
      set.password_hash = await hashPassword(patch.newPassword);
      set.password_changed_at = now;
    }
    // A new password ends the other sessions, and the API tokens unless the user keeps them
    // explicitly: a stolen token must not outlive the password change meant to lock it out.
    const revoked = await this.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, user.id, set);
      const gone =
        patch.newPassword !== undefined
          ? await this.auth.revokeAll(trx, user.id, {
              sessionId: ctx.actor.sessionId ?? undefined,
              tokens: patch.keepTokens === true,
            })
          : { sessionIds: [], tokenIds: [] };
      await this.audit.record(trx, ctx.audit, {
        action: patch.newPassword !== undefined ? 'user.password_changed' : 'user.profile_updated',
        targetType: 'user',
        targetId: user.id,
        details: {
          ...(patch.fullName !== undefined ? { fullName: patch.fullName } : {}),
          ...(patch.avatarUrl !== undefined ? { avatarUrl: patch.avatarUrl } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
          ...(patch.newPassword !== undefined
            ? { sessionsRevoked: gone.sessionIds.length, tokensKept: patch.keepTokens === true }
            : {}),
        },
      });
      for (const tokenId of gone.tokenIds) {
        await this.audit.record(trx, ctx.audit, {
          action: 'token.revoked',
          targetType: 'api_token',
          targetId: tokenId,
          details: { reason: 'password changed' },
        });
      }
      return gone;
    });
    await this.auth.publishRevoked(user.id, revoked);
    return presentUser(await this.require(user.id));
  }
}
