// Single sign-on with OpenID Connect (DESIGN.md §9 "Identity") through `openid-client`, a
// certified relying party: authorization code flow with PKCE, state and nonce (kept in the
// database, single use, bound to the browser by a cookie), ID-token validation, discovery and the
// provider's key rotation handled by the library. A first sign-in creates the account (just in
// time); an existing local account is linked only when the provider allows linking and says the
// e-mail is verified. The role map sets memberships at every sign-in; a second factor still
// applies unless the provider is trusted to enforce MFA and its token says it did.

import type { TenantRole } from '@common/permissions';
import type { Kysely, Transaction } from 'kysely';
import * as client from 'openid-client';
import type { Config, OidcProviderConfig } from '../../../config/config';
import type { Database } from '../../../db/schema';
import { isUniqueViolation } from '../../../db/tx';
import type { RequestContext } from '../../../http/context';
import { AppError } from '../../../lib/app-error';
import type { Clock } from '../../../lib/clock';
import { newId, newSecret, sha256 } from '../../../lib/ids';
import type { Logger } from '../../../lib/logger';
import type { AuditContext, AuditService } from '../../audit/audit.service';
import type { MembersService } from '../../members/members.service';
import type { TenantsService } from '../../tenants/tenants.service';
import { newUserRecord, type UserDirectory, type UserRecord } from '../../users/user-directory';
import type { AuthService, SessionIssue } from '../auth.service';
import type { SecondFactorsService } from '../second-factors.service';
import type { IdentityProviders } from './identity-providers';
import { desiredRoles } from './role-map';
import { SsoRepo } from './sso.repo';

/** How long the provider may take to send the browser back. */
const LOGIN_TTL_MS = 10 * 60_000;
/** Discovery (and with it the provider's endpoints) is read again after an hour. */
const DISCOVERY_TTL_MS = 3600_000;
/** `amr` values that mean more than a password (RFC 8176). */
const MFA_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face', 'iris', 'retina', 'vbm']);

export type SsoOutcome =
  | { kind: 'session'; issue: SessionIssue; returnTo: string }
  | { kind: 'second-factor'; challenge: string; returnTo: string };

/** Only a path of this site: never another origin (`//evil`, `/\evil`, `https:`…). */
export function safeReturnTo(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  return /^\/(?![/\\])[^\s\\]*$/.test(text) && text.length <= 500 ? text : '/';
}

export interface SsoDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'publicUrl' | 'passwordLogin'>;
  /** The environment's provider and those global admins manage. */
  registry: Pick<IdentityProviders, 'all' | 'find'>;
  auth: Pick<AuthService, 'issueSession'>;
  factors: Pick<SecondFactorsService, 'hasFactor' | 'challenge'>;
  users: Pick<UserDirectory, 'findById' | 'findByEmail' | 'insert' | 'setGlobalRole'>;
  members: Pick<MembersService, 'syncFromProvider'>;
  tenants: Pick<TenantsService, 'idBySlug'>;
  audit: AuditService;
  clock: Clock;
  log: Logger;
}

export class SsoService {
  private readonly repo = new SsoRepo();
  private readonly discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

  constructor(private readonly d: SsoDeps) {}

  /** GET /api/auth/providers. */
  async providers() {
    return {
      providers: (await this.d.registry.all()).map((p) => ({ id: p.id, name: p.name, type: 'oidc' as const })),
      passwordLogin: this.d.config.passwordLogin,
    };
  }

  private async provider(id: string): Promise<OidcProviderConfig> {
    const p = await this.d.registry.find(id);
    if (!p) throw new AppError('sso.unknown_provider', 'No such sign-in provider');
    return p;
  }

  private redirectUri(p: OidcProviderConfig): string {
    return `${this.d.config.publicUrl}/api/auth/oidc/${p.id}/callback`;
  }

  private configuration(p: OidcProviderConfig): Promise<client.Configuration> {
    const now = this.d.clock.now();
    // An edited provider (issuer, client) is discovered afresh.
    const cacheKey = `${p.id}|${p.issuer}|${p.clientId}|${sha256(p.clientSecret ?? '')}`;
    const hit = this.discovered.get(cacheKey);
    if (hit && now - hit.at < DISCOVERY_TTL_MS) return hit.config;
    const issuer = new URL(p.issuer);
    // Plain HTTP only for a provider on this machine (tests, a local demo IdP).
    const loopback = issuer.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(issuer.hostname);
    const config = client
      .discovery(
        issuer,
        p.clientId,
        p.clientSecret,
        p.clientSecret ? undefined : client.None(),
        loopback ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        this.discovered.delete(cacheKey);
        throw new AppError('sso.failed', 'The sign-in provider could not be reached', { cause: err });
      });
    this.discovered.set(cacheKey, { at: now, config });
    return config;
  }

  /** GET /api/auth/oidc/:providerId/login: where to send the browser, and its binding cookie. */
  async start(providerId: string, returnTo: unknown): Promise<{ url: string; browser: string }> {
    const p = await this.provider(providerId);
    const config = await this.configuration(p);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const browser = newSecret(32);
    const now = this.d.clock.now();
    await this.repo.insertLogin(this.d.db, {
      id: sha256(state),
      provider_id: p.id,
      browser_hash: sha256(browser),
      code_verifier: verifier,
      nonce,
      return_to: safeReturnTo(returnTo),
      created_at: now,
      expires_at: now + LOGIN_TTL_MS,
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(p),
      scope: p.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, browser };
  }

  /** GET /api/auth/oidc/:providerId/callback: the provider's answer becomes a session (or the
   * second-factor step). Any failure creates no session and is audited. */
  async finish(
    ctx: RequestContext,
    providerId: string,
    callback: URL,
    browser: string | undefined,
  ): Promise<SsoOutcome> {
    const p = await this.provider(providerId);
    const audit: AuditContext = { ...ctx.audit, label: `sso:${p.id}` };
    try {
      return await this.complete(ctx, p, callback, browser, audit);
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'sso.failed';
      if (!(err instanceof AppError)) this.d.log.warn({ err, provider: p.id }, 'single sign-on failed');
      await this.d.audit.recordAlone(audit, {
        action: 'auth.sso_login',
        targetType: 'user',
        result: 'failure',
        details: { provider: p.id, code },
      });
      throw err instanceof AppError ? err : new AppError('sso.failed', 'The sign-in provider’s answer was refused');
    }
  }

  private async complete(
    ctx: RequestContext,
    p: OidcProviderConfig,
    callback: URL,
    browser: string | undefined,
    audit: AuditContext,
  ): Promise<SsoOutcome> {
    const state = callback.searchParams.get('state') ?? '';
    const login = state ? await this.repo.takeLogin(this.d.db, sha256(state), this.d.clock.now()) : undefined;
    // The answer must come back to the browser that asked, for this provider, in time, once.
    if (!login || login.provider_id !== p.id || !browser || sha256(browser) !== login.browser_hash) {
      throw new AppError('sso.state_invalid', 'This sign-in was not started here (or took too long); start again');
    }
    const config = await this.configuration(p);
    // The callback as the provider addressed it: the registered redirect URI and its answer.
    const current = new URL(this.redirectUri(p));
    current.search = callback.search;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: login.code_verifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new AppError('sso.failed', 'The provider sent no ID token');
    const info = tokens.access_token
      ? await client.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => ({}))
      : {};
    const claims: Record<string, unknown> = { ...info, ...idClaims };
    const user = await this.resolveUser(p, claims, audit);
    if (user.disabled_at !== null) throw new AppError('sso.account_disabled', 'This account is disabled');
    await this.applyRoleMap(p, user, claims, audit);
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    const idpMfa = p.trustMfa && (amr.some((a) => MFA_AMR.has(a)) || /mfa/i.test(String(claims.acr ?? '')));
    if (!idpMfa && (await this.d.factors.hasFactor(user.id))) {
      return { kind: 'second-factor', challenge: await this.d.factors.challenge(user.id), returnTo: login.return_to };
    }
    const issue = await this.d.auth.issueSession(ctx, user, 'auth.sso_login', undefined, {
      details: { provider: p.id, idpMfa },
      ssoProvider: p.id,
      idpMfa,
    });
    return { kind: 'session', issue, returnTo: login.return_to };
  }

  /** The account for the provider's subject: linked before, linked now, or created now. */
  private async resolveUser(p: OidcProviderConfig, claims: Record<string, unknown>, audit: AuditContext) {
    const subject = String(claims.sub);
    const known = await this.repo.userBySubject(this.d.db, p.id, subject);
    if (known) {
      const user = await this.d.users.findById(known);
      if (user) return user;
    }
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email || email.length > 254 || !email.includes('@')) {
      throw new AppError('sso.email_missing', 'The provider did not say your e-mail address');
    }
    const verified = claims.email_verified === true;
    const existing = await this.d.users.findByEmail(email);
    const now = this.d.clock.now();
    const identity = { id: newId(), provider_id: p.id, subject, created_at: now };
    if (existing) {
      // Taking over a local account needs the provider's word that the address is theirs.
      if (!p.allowLinking || !verified) {
        throw new AppError(
          'sso.link_refused',
          'An account with this e-mail exists; it can be linked only when the provider allows it and the e-mail is verified',
        );
      }
      await this.d.db.transaction().execute(async (trx) => {
        await this.repo.link(trx, { ...identity, user_id: existing.id });
        await this.recordAccount(trx, audit, 'auth.sso_linked', existing.id, p.id, email);
      });
      return existing;
    }
    const name = typeof claims.name === 'string' ? claims.name.slice(0, 200) : null;
    // No password: this account signs in through its provider.
    const row = newUserRecord({ email, passwordHash: null, fullName: name, globalRole: 'user' }, now);
    try {
      await this.d.db.transaction().execute(async (trx) => {
        await this.d.users.insert(trx, row);
        await this.repo.link(trx, { ...identity, user_id: row.id });
        await this.recordAccount(trx, audit, 'auth.sso_user_created', row.id, p.id, email);
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('sso.link_refused', 'This account was just created elsewhere; sign in again');
      throw err;
    }
    return row;
  }

  /** Memberships (and the global admin role) as the role map says for the groups now. */
  /** An account linked to, or created for, a provider's person: audited as that account. */
  private recordAccount(
    trx: Transaction<Database>,
    audit: AuditContext,
    action: 'auth.sso_linked' | 'auth.sso_user_created',
    userId: string,
    provider: string,
    email: string,
  ): Promise<unknown> {
    return this.d.audit.record(
      trx,
      { ...audit, userId, label: email },
      { action, targetType: 'user', targetId: userId, details: { provider, email } },
    );
  }

  private async applyRoleMap(
    p: OidcProviderConfig,
    user: UserRecord,
    claims: Record<string, unknown>,
    audit: AuditContext,
  ) {
    if (p.roleMap.length === 0) return;
    const raw = claims[p.groupsClaim];
    const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : [];
    const wanted = desiredRoles(p.roleMap, groups);
    const byTenant = new Map<string, TenantRole | null>();
    for (const [slug, role] of wanted.tenants) {
      const tenantId = await this.d.tenants.idBySlug(slug);
      if (tenantId) byTenant.set(tenantId, role);
      else this.d.log.warn({ provider: p.id, slug }, 'the SSO role map names a tenant that does not exist; skipped');
    }
    const who = { ...audit, userId: user.id, label: user.email };
    await this.d.members.syncFromProvider(who, { id: user.id, email: user.email }, p.id, byTenant);
    const admin = wanted.globalAdmin;
    if (admin !== null && (user.global_role === 'admin') !== admin) {
      await this.d.db.transaction().execute(async (trx) => {
        await this.d.users.setGlobalRole(trx, user.id, admin ? 'admin' : 'user', this.d.clock.now());
        await this.d.audit.record(trx, who, {
          action: 'user.role_changed',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email, to: admin ? 'admin' : 'user', provider: p.id },
        });
      });
      user.global_role = admin ? 'admin' : 'user';
    }
  }

  /** RP-initiated logout: where to send the browser after a session from this provider ends. */
  async logoutUrl(providerId: string | null): Promise<string | null> {
    const p = providerId ? await this.d.registry.find(providerId) : undefined;
    if (!p) return null;
    try {
      const config = await this.configuration(p);
      if (!config.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(config, {
        client_id: p.clientId,
        post_logout_redirect_uri: `${this.d.config.publicUrl}/login?reason=signed-out`,
      }).href;
    } catch {
      return null;
    }
  }

  sessionProvider(sessionId: string): Promise<string | null> {
    return this.repo.sessionProvider(this.d.db, sessionId);
  }
}
