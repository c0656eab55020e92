// The account's security page: second factors (TOTP with recovery codes; second-factors.service.ts
// does the work) and "where you are signed in" — every session with its device, address and last
// use, revocable one by one or all but this one (their consoles and event streams end too).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { AuthedContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import type { AuditService } from '../audit/audit.service';
import type { UserDirectory } from '../users/user-directory';
import type { AuthService } from './auth.service';
import { verifyPassword } from './password';
import type { SecondFactorsService } from './second-factors.service';

/** Sessions are known by their cookie's hash; the page gets a hash of that (never the key itself). */
const publicId = (sessionId: string) => createHash('sha256').update(`session:${sessionId}`).digest('hex').slice(0, 32);

export interface AccountSessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export class AccountSecurityService {
  constructor(
    private readonly d: {
      db: Kysely<Database>;
      auth: Pick<AuthService, 'creds' | 'revokeAll' | 'publishRevoked'>;
      factors: SecondFactorsService;
      users: Pick<UserDirectory, 'findById'>;
      audit: AuditService;
      clock: Clock;
    },
  ) {}

  async sessions(ctx: AuthedContext): Promise<AccountSessionView[]> {
    const rows = await this.d.auth.creds.listSessions(this.d.db, ctx.actor.userId, this.d.clock.now());
    return rows.map((r) => ({
      id: publicId(r.id),
      createdAt: new Date(r.created_at).toISOString(),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id === ctx.actor.sessionId,
    }));
  }

  /** Ends one session (or every one but the caller's, with `others`); what it held open closes. */
  async revoke(ctx: AuthedContext, which: { id: string } | { others: true }): Promise<number> {
    const userId = ctx.actor.userId;
    const rows = await this.d.auth.creds.listSessions(this.d.db, userId, this.d.clock.now());
    const ids =
      'others' in which
        ? rows.filter((r) => r.id !== ctx.actor.sessionId).map((r) => r.id)
        : rows.filter((r) => publicId(r.id) === which.id).map((r) => r.id);
    if ('id' in which && ids.length === 0) throw new AppError('session.not_found', 'No such session');
    await this.d.db.transaction().execute(async (trx) => {
      for (const id of ids) await this.d.auth.creds.deleteSession(trx, id);
      await this.d.audit.record(trx, ctx.audit, {
        action: 'auth.sessions_revoked',
        targetType: 'user',
        targetId: userId,
        details: { count: ids.length, others: 'others' in which },
      });
    });
    await this.d.auth.publishRevoked(userId, { sessionIds: ids, tokenIds: [] });
    return ids.length;
  }

  /** Removing the authenticator needs the password and a current code. */
  async removeTotp(ctx: AuthedContext, password: string, code: string): Promise<void> {
    const user = await this.d.users.findById(ctx.actor.userId);
    if (!user || !(await verifyPassword(user.password_hash, password))) {
      throw new AppError('auth.invalid_credentials', 'The password is not right');
    }
    await this.d.factors.removeTotp(ctx, code);
  }
}
