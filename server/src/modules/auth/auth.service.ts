// Sign-in, sessions, re-authorization of long-lived connections and signup; the first admin is
// first-admin.ts.
// Invitations are invitations.service.ts, personal API tokens api-tokens.service.ts.
// Secrets (session ids, tokens, links) are random, shown once, and stored only as SHA-256.

import type { GlobalRole, TenantPermission, TenantRole, TokenScope } from '@common/permissions';
import { DEFAULT_TENANT_SETTINGS } from '@common/schemas/tenants';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../../config/config';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { isUniqueViolation } from '../../db/tx';
import type { AuthedContext, RequestContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newSecret, safeEqual, sha256 } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { type Actor, authorize, type Target, type TenantScope } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import { parseSettings } from '../tenants/settings';
import { newUserRecord, type UserDirectory, type UserRecord } from '../users/user-directory';
import { parseTokenScopes, TOKEN_PREFIX } from './api-tokens.service';
import type {
  AuthenticatedRequest,
  Principal,
  ScopeLoader,
  SecondFactorStep,
  SessionIssue,
  Timeouts,
} from './auth.types';
import { waitText } from './auth.types';
import { CredentialsRepo } from './credentials.repo';
import { bootstrapFirstAdmin, completeFirstAdminSetup, type FirstAdminDeps, type SetupBody } from './first-admin';
import { LoginLimiter } from './login-limiter';
import { hashPassword, verifyPassword } from './password';
import type { SecondFactorAnswer, SecondFactorsService } from './second-factors.service';

const TOUCH_EVERY_MS = 30_000;

export type { AuthenticatedRequest, Principal, ScopeLoader, SecondFactorStep, SessionIssue } from './auth.types';
export { waitText } from './auth.types';

/** An actor looked up without a session or token (before one exists, or for a check). */
const NO_SESSION = { via: 'session', sessionId: null, tokenId: null, csrfToken: null } as const;
type Place = { serverId: string; vmid?: number };
type ActorVia = Pick<Actor, 'via' | 'sessionId' | 'tokenId' | 'tokenScopes'> & { csrfToken: string | null };

export class AuthService {
  readonly creds = new CredentialsRepo();
  private readonly limiter: LoginLimiter;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: UserDirectory,
    private readonly audit: AuditService,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'signup' | 'publicUrl' | 'admin' | 'requireMfa' | 'passwordLogin'>,
    private readonly log: Logger,
    dialect: Dialect,
    private readonly scopes: ScopeLoader,
    private readonly factors: SecondFactorsService,
  ) {
    this.limiter = new LoginLimiter(db, dialect, clock, this.creds);
  }

  // --- authentication of each request ------------------------------------------------------

  async authenticate(req: AuthenticatedRequest): Promise<Actor | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
    if (bearer) return this.authenticateToken(bearer);
    if (req.cookie) return this.authenticateSession(req.cookie);
    return null;
  }

  private async authenticateToken(token: string): Promise<Actor | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const row = await this.creds.findTokenByHash(this.db, sha256(token));
    const now = this.clock.now();
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return null;
    const actor = await this.actorFor(row.user_id, {
      via: 'token',
      sessionId: null,
      tokenId: row.id,
      csrfToken: null,
      tokenScopes: new Set(parseTokenScopes(row.scopes)),
    });
    if (actor && (row.last_used_at === null || now - row.last_used_at > TOUCH_EVERY_MS)) {
      await this.creds.touchToken(this.db, row.id, now);
    }
    return actor;
  }

  private async authenticateSession(cookieValue: string): Promise<Actor | null> {
    if (cookieValue.length > 200) return null;
    return this.sessionActor(sha256(cookieValue));
  }

  /** A session's actor by its id (hash), if the session is still good; refreshes its last use. */
  private async sessionActor(id: string): Promise<Actor | null> {
    const session = await this.creds.findSession(this.db, id);
    if (!session) return null;
    const now = this.clock.now();
    const actor = await this.actorFor(session.user_id, {
      via: 'session',
      sessionId: id,
      tokenId: null,
      csrfToken: session.csrf_token,
    });
    if (!actor) return null;
    if (session.must_enrol === 1) actor.mustEnrol = true;
    if (session.idp_mfa === 1) actor.secondFactor = true;
    const t = this.timeoutsFor(actor);
    if (now >= session.expires_at || now >= session.created_at + t.maxMs || now >= session.last_seen_at + t.idleMs) {
      await this.creds.deleteSession(this.db, id);
      return null;
    }
    if (now - session.last_seen_at > TOUCH_EVERY_MS) await this.creds.touchSession(this.db, id, now);
    return actor;
  }

  /**
   * The one re-authorization of a long-lived connection: its session or token must still be
   * valid (sessions as for a request: expiry, idle and maximum age), its user enabled, a token
   * must still hold `tokenScope`, and the policy must still allow `permission` on `target` in the
   * tenant. Returns the fresh actor and scope, or null — it fails closed.
   */
  async reauthorize(
    principal: Principal,
    tenantId: string,
    permission: TenantPermission,
    opts: { target?: Place; tokenScope: TokenScope },
  ): Promise<{ actor: Actor; scope: TenantScope } | null> {
    const actor = await this.resume(principal);
    if (!actor || actor.userId !== principal.userId) return null;
    if (actor.via === 'token' && !actor.tokenScopes?.has(opts.tokenScope)) return null;
    return this.authorizeIn(actor, tenantId, permission, opts.target);
  }

  /** Whether a user as they stand now (no session) may do this: who an alert may be mailed to. */
  async userMay(userId: string, tenantId: string, permission: TenantPermission, target?: Place) {
    const actor = await this.actorFor(userId, NO_SESSION);
    return actor !== null && (await this.authorizeIn(actor, tenantId, permission, target)) !== null;
  }

  private async authorizeIn(actor: Actor, tenantId: string, permission: TenantPermission, t: Place | undefined) {
    const scope = await this.scopes.loadScope(actor, tenantId);
    const target: Target = !t
      ? { kind: 'tenant', scope }
      : t.vmid === undefined
        ? { kind: 'server', scope, serverId: t.serverId }
        : { kind: 'guest', scope, serverId: t.serverId, vmid: t.vmid };
    return authorize(actor, permission, target).allowed ? { actor, scope } : null;
  }

  /** The actor behind a principal now, as its session or token stands. */
  private async resume(principal: Principal): Promise<Actor | null> {
    if (principal.tokenId) {
      const row = await this.creds.findToken(this.db, principal.tokenId);
      if (!row || row.user_id !== principal.userId) return null;
      if (row.expires_at !== null && row.expires_at <= this.clock.now()) return null;
      return this.actorFor(row.user_id, {
        via: 'token',
        sessionId: null,
        tokenId: row.id,
        csrfToken: null,
        tokenScopes: new Set(parseTokenScopes(row.scopes)),
      });
    }
    if (principal.standing) {
      return this.actorFor(principal.userId, { via: 'session', sessionId: null, tokenId: null, csrfToken: null });
    }
    return principal.sessionId ? this.sessionActor(principal.sessionId) : null;
  }

  private timeoutsCache = new WeakMap<Actor, Timeouts>();

  /** The strictest session timeouts among the user's tenants (defaults without any). */
  timeoutsFor(actor: Actor): Timeouts {
    return (
      this.timeoutsCache.get(actor) ?? {
        idleMs: DEFAULT_TENANT_SETTINGS.sessionIdleMinutes * 60_000,
        maxMs: DEFAULT_TENANT_SETTINGS.sessionMaxHours * 3600_000,
      }
    );
  }

  private async actorFor(userId: string, via: ActorVia): Promise<Actor | null> {
    const user = await this.users.findById(userId);
    if (!user || user.disabled_at !== null) return null;
    const memberships = await this.users.memberships(userId);
    let idle = DEFAULT_TENANT_SETTINGS.sessionIdleMinutes;
    let max = DEFAULT_TENANT_SETTINGS.sessionMaxHours;
    const map = new Map<string, TenantRole>();
    for (const m of memberships) {
      map.set(m.tenant_id, m.role as TenantRole);
      if (m.settings) {
        const s = parseSettings(m.settings);
        idle = Math.min(idle, s.sessionIdleMinutes);
        max = Math.min(max, s.sessionMaxHours);
      }
    }
    const actor: Actor = {
      userId: user.id,
      email: user.email,
      globalRole: (user.global_role === 'admin' ? 'admin' : 'user') as GlobalRole,
      via: via.via,
      sessionId: via.sessionId,
      tokenId: via.tokenId,
      csrfToken: via.csrfToken,
      ...(via.tokenScopes ? { tokenScopes: via.tokenScopes } : {}),
      memberships: map,
      secondFactor: await this.factors.hasFactor(user.id),
    };
    this.timeoutsCache.set(actor, { idleMs: idle * 60_000, maxMs: max * 3600_000 });
    return actor;
  }

  checkCsrf(actor: Actor, header: string | undefined): boolean {
    return Boolean(actor.csrfToken && header && safeEqual(actor.csrfToken, header));
  }

  // --- login / logout ----------------------------------------------------------------------

  async login(ctx: RequestContext, email: string, password: string): Promise<SessionIssue | SecondFactorStep> {
    const audit: AuditContext = { ...ctx.audit, label: email };
    // The attempt is counted before the password is checked (see login-limiter.ts).
    const reservation = await this.limiter.reserve(email, ctx.ip);
    if (!reservation.ok) {
      await this.audit.recordAlone(audit, {
        action: 'auth.login_rate_limited',
        targetType: 'user',
        result: 'denied',
        details: { email, reason: reservation.busy ? 'attempts_in_flight' : 'too_many_failures' },
      });
      throw new AppError(
        'auth.rate_limited',
        reservation.busy
          ? 'Too many sign-ins at once. Try again in a moment.'
          : `Too many failed sign-ins from here. Try again in ${waitText(reservation.retryAfterSeconds)}.`,
        { headers: { 'retry-after': String(reservation.retryAfterSeconds) } },
      );
    }
    let user: UserRecord | undefined;
    let ok: boolean;
    try {
      user = await this.users.findByEmail(email);
      ok = await verifyPassword(user?.password_hash, password);
    } catch (err) {
      // Unchecked, but counted: an attempt that broke must not be retried for free.
      await this.limiter.fail(this.db, reservation.id).catch(() => {});
      throw err;
    }
    if (!user || !ok || user.disabled_at !== null) {
      const reason = user?.disabled_at ? 'disabled' : 'invalid_credentials';
      await this.refuseLogin(audit, user?.id ?? null, 'failure', { email, reason }, (trx) =>
        this.limiter.fail(trx, reservation.id),
      );
      throw new AppError('auth.invalid_credentials', 'Email or password is incorrect');
    }
    if (this.config.passwordLogin !== 'on' && user.global_role !== 'admin') {
      // Single sign-on only: the password form is the global admins' break-glass.
      await this.refuseLogin(audit, user.id, 'denied', { email, reason: 'password_login_disabled' }, (trx) =>
        this.limiter.release(trx, reservation.id),
      );
      throw new AppError(
        'auth.password_login_disabled',
        'Sign in with single sign-on: passwords are for administrators only here',
      );
    }
    if (await this.factors.hasFactor(user.id)) {
      // The password was right: its attempt is given back; the factor's attempts count alike.
      await this.limiter.release(this.db, reservation.id);
      return { challenge: await this.factors.challenge(user.id), methods: await this.factors.methods(user.id) };
    }
    return this.issueSession(ctx, user, 'auth.login', reservation.id);
  }

  /** A password sign-in refused: its limiter slot settled and the attempt audited, together. */
  private refuseLogin(
    audit: AuditContext,
    userId: string | null,
    result: 'failure' | 'denied',
    details: { email: string; reason: string },
    settle: (trx: Transaction<Database>) => Promise<unknown>,
  ): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      await settle(trx);
      await this.audit.record(trx, audit, {
        action: 'auth.login',
        targetType: 'user',
        targetId: userId,
        result,
        details,
      });
    });
  }

  /** POST /api/auth/mfa: the second step of a sign-in (a code or a recovery code), counted
   * against the same limits as passwords. A failed step creates no session. */
  async completeSecondFactor(
    ctx: RequestContext,
    challenge: string | undefined,
    answer: SecondFactorAnswer,
  ): Promise<SessionIssue> {
    const userId = await this.factors.challengedUser(challenge);
    const user = userId ? await this.users.findById(userId) : undefined;
    if (!challenge || !user || user.disabled_at !== null) {
      throw new AppError('auth.mfa_challenge_expired', 'Sign in again: the second step timed out');
    }
    const audit: AuditContext = { ...ctx.audit, userId: user.id, label: user.email };
    const reservation = await this.limiter.reserve(user.email, ctx.ip);
    if (!reservation.ok) {
      throw new AppError(
        'auth.rate_limited',
        `Too many attempts. Try again in ${waitText(reservation.retryAfterSeconds)}.`,
        {
          headers: { 'retry-after': String(reservation.retryAfterSeconds) },
        },
      );
    }
    const method = 'recoveryCode' in answer ? 'recovery' : 'passkey' in answer ? 'passkey' : 'totp';
    if (!(await this.factors.accept(user.id, answer))) {
      await this.db.transaction().execute(async (trx) => {
        await this.limiter.fail(trx, reservation.id);
        await this.audit.record(trx, audit, {
          action: 'auth.mfa',
          targetType: 'user',
          targetId: user.id,
          result: 'failure',
          details: { method },
        });
      });
      throw new AppError('auth.mfa_invalid', 'That code is not right');
    }
    await this.factors.endChallenge(challenge);
    return this.issueSession(ctx, user, 'auth.login', reservation.id, { details: { mfa: method } });
  }

  /** Whether NEXUS_REQUIRE_MFA asks this actor for a second factor. */
  private mfaRequiredFor(actor: Actor): boolean {
    const rule = this.config.requireMfa;
    if (rule === 'all') return true;
    return rule === 'admins' && (actor.globalRole === 'admin' || [...actor.memberships.values()].includes('admin'));
  }

  /** `loginAttempt`: the sign-in's reservation, given back with the session. */
  /** Starts a session for a user who just proved who they are (login, signup, setup, invitation). */
  async issueSession(
    ctx: RequestContext,
    user: UserRecord,
    action: string,
    loginAttempt?: string,
    extra: {
      details?: Record<string, unknown>;
      /** Signed in through this identity provider (sign-out there too). */
      ssoProvider?: string;
      /** The provider is trusted to enforce MFA and said it did: counts as a second factor. */
      idpMfa?: boolean;
    } = {},
  ): Promise<SessionIssue> {
    const actor = await this.actorFor(user.id, NO_SESSION);
    const t = actor ? this.timeoutsFor(actor) : { idleMs: 3600_000, maxMs: 12 * 3600_000 };
    const cookieValue = newSecret(32);
    const csrfToken = newSecret(24);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.creds.insertSession(trx, {
        id: sha256(cookieValue),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: now + t.maxMs,
        ip: ctx.ip,
        user_agent: ctx.userAgent,
        // Walked through enrolling a second factor before anything else.
        must_enrol: actor && !actor.secondFactor && !extra.idpMfa && this.mfaRequiredFor(actor) ? 1 : 0,
        sso_provider: extra.ssoProvider ?? null,
        idp_mfa: extra.idpMfa ? 1 : 0,
      });
      if (loginAttempt) await this.limiter.release(trx, loginAttempt);
      await this.audit.record(
        trx,
        { ...ctx.audit, userId: user.id, label: user.email },
        { action, targetType: 'user', targetId: user.id, ...(extra.details ? { details: extra.details } : {}) },
      );
    });
    return { cookieValue, csrfToken, maxAgeSeconds: Math.floor(t.maxMs / 1000), user };
  }

  async logout(ctx: AuthedContext): Promise<void> {
    const sessionId = ctx.actor.sessionId;
    await this.db.transaction().execute(async (trx) => {
      if (sessionId) await this.creds.deleteSession(trx, sessionId);
      await this.audit.record(trx, ctx.audit, {
        action: 'auth.logout',
        targetType: 'user',
        targetId: ctx.actor.userId,
      });
    });
    if (sessionId) {
      await this.hub.publishSystem({
        type: 'revoke.sessions',
        userId: ctx.actor.userId,
        sessionIds: [sessionId],
        reason: 'session revoked',
      });
    }
  }

  // --- signup, first admin, invitations --------------------------------------------------

  async signup(ctx: RequestContext, body: { email: string; password: string; fullName?: string | undefined }) {
    if (this.config.signup !== 'open') throw new AppError('auth.signup_closed', 'Sign-up is closed on this server');
    const user = await this.createUser(ctx.audit, { ...body, globalRole: 'user' }, 'auth.signup');
    return this.issueSession(ctx, user, 'auth.login');
  }

  /** Creates a user (and audits it) — shared by signup, setup, invitations and the admin API. */
  async createUser(
    audit: AuditContext,
    body: { email: string; password: string; fullName?: string | undefined; globalRole: GlobalRole },
    action: string,
    extra?: (trx: Transaction<Database>, user: UserRecord) => Promise<void>,
  ): Promise<UserRecord> {
    const row = newUserRecord(
      { ...body, passwordHash: await hashPassword(body.password), fullName: body.fullName ?? null },
      this.clock.now(),
    );
    try {
      await this.db.transaction().execute(async (trx) => {
        await this.users.insert(trx, row);
        await extra?.(trx, row);
        await this.audit.record(trx, audit, {
          action,
          targetType: 'user',
          targetId: row.id,
          details: { email: row.email, globalRole: row.global_role },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('user.email_taken', 'A user with this email already exists');
      throw err;
    }
    return row;
  }

  // --- the first global admin (first-admin.ts) --------------------------------------------

  bootstrap(): Promise<{ setupUrl: string | null }> {
    return bootstrapFirstAdmin(this.firstAdmin());
  }

  completeSetup(ctx: RequestContext, body: SetupBody): Promise<SessionIssue> {
    return completeFirstAdminSetup(this.firstAdmin(), ctx, body);
  }

  private firstAdmin(): FirstAdminDeps {
    const { db, users, creds, clock, config, log } = this;
    return { db, users, creds, clock, config, log, auth: this };
  }

  /**
   * Revokes a user's sessions and API tokens (disable, delete, password change or reset), except
   * the caller's own session and, only when asked explicitly, the tokens. The caller publishes
   * the revocations after the commit (`publishRevoked`).
   */
  async revokeAll(
    trx: Transaction<Database>,
    userId: string,
    keep: { sessionId?: string | undefined; tokens?: boolean } = {},
  ): Promise<{ sessionIds: string[]; tokenIds: string[] }> {
    const sessionIds = await this.creds.deleteUserSessions(trx, userId, keep.sessionId);
    const tokenIds = keep.tokens ? [] : await this.creds.deleteUserTokens(trx, userId);
    return { sessionIds, tokenIds };
  }

  /** Ends what revoked sessions and tokens hold open (consoles, event streams) on every instance. */
  async publishRevoked(userId: string, revoked: { sessionIds: string[]; tokenIds: string[] }): Promise<void> {
    if (revoked.sessionIds.length > 0) {
      await this.hub.publishSystem({
        type: 'revoke.sessions',
        userId,
        sessionIds: revoked.sessionIds,
        reason: 'session revoked',
      });
    }
    for (const tokenId of revoked.tokenIds) {
      await this.hub.publishSystem({ type: 'revoke.token', userId, tokenId, reason: 'token revoked' });
    }
  }

  async housekeeping(): Promise<void> {
    const now = this.clock.now();
    await this.creds.deleteExpiredSessions(this.db, now);
    await this.limiter.prune();
  }
}
