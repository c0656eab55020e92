// /api/auth: sign-in and out, who am I, signup, first-admin setup, invitations, API tokens.

import {
  AcceptInvitationBody,
  ApiToken,
  AuthConfig,
  CreatedToken,
  CreateTokenBody,
  InvitationInfo,
  JoinedInvitation,
  LoginBody,
  LoginResponse,
  Me,
  SecondFactorBody,
  SessionStarted,
  SetupBody,
  SignupBody,
} from '@common/schemas/auth';
import { Ok, Uuid } from '@common/schemas/shared';
import type {} from '@fastify/cookie';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/config';
import { authed, contextOf } from '../../http/context';
import { type App, done, responses, route } from '../../http/route-kit';
import { isGlobalAdmin } from '../../policy/policy';
import type { Services } from '../../services';
import { presentUser } from '../users/users.presenter';
import { parseTokenScopes } from './api-tokens.service';
import type { SessionIssue } from './auth.service';

export function sessionCookieName(config: Pick<Config, 'secureCookies'>): string {
  // `__Host-` binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
  return config.secureCookies ? '__Host-nexus_session' : 'nexus_session';
}

/** A passkey ceremony under way (its challenge's key, 5 minutes). */
export function ceremonyCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-nexus_webauthn' : 'nexus_webauthn';
}

/** The step between a right password and the second factor (5 minutes, this origin only). */
export function challengeCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-nexus_mfa' : 'nexus_mfa';
}

/** The new session's cookie, wherever a sign-in ends (password, second step, passkey, SSO). */
export function setSessionCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, issue: SessionIssue) {
  return reply.setCookie(sessionCookieName(config), issue.cookieValue, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: issue.maxAgeSeconds,
  });
}

/** A sign-in step's cookie (the second-factor challenge, a passkey ceremony): 5 minutes, this
 * origin only, never sent from another site. */
export function setStepCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>, name: string, value: string) {
  return reply.setCookie(name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.secureCookies,
    maxAge: 300,
  });
}

const TokenParam = z.object({ token: z.string().min(10).max(200) });

const LoggedOut = z.object({ ok: z.literal(true), logoutUrl: z.string().optional() });

export function authRoutes(
  app: App,
  { auth, invitations, apiTokens, users, sso, settings }: Services,
  config: Config,
): void {
  const cookieName = sessionCookieName(config);
  const challengeName = challengeCookieName(config);
  const ceremonyName = ceremonyCookieName(config);

  app.post(
    '/api/auth/login',
    route('public', 'auth', { body: LoginBody }, { 200: LoginResponse }),
    async (request, reply) => {
      const result = await auth.login(contextOf(request), request.body.email, request.body.password);
      if ('challenge' in result) {
        setStepCookie(reply, config, challengeName, result.challenge);
        return { mfaRequired: true as const, methods: result.methods };
      }
      setSessionCookie(reply, config, result);
      return { user: presentUser(result.user), csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/mfa',
    route('public', 'auth', { body: SecondFactorBody }, { 200: SessionStarted }),
    async (request, reply) => {
      const body = request.body;
      const answer =
        'passkey' in body
          ? { passkey: body.passkey as unknown as AuthenticationResponseJSON, ceremony: request.cookies[ceremonyName] }
          : body;
      const issue = await auth.completeSecondFactor(contextOf(request), request.cookies[challengeName], answer);
      reply.clearCookie(challengeName, { path: '/' });
      setSessionCookie(reply, config, issue);
      return { user: presentUser(issue.user), csrfToken: issue.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: { tags: ['auth'], response: responses({ 200: LoggedOut }) },
    },
    async (request, reply) => {
      const ctx = authed(request);
      // A session from an identity provider signs out there too (where it offers that).
      const provider = ctx.actor.sessionId ? await sso.sessionProvider(ctx.actor.sessionId) : null;
      await auth.logout(ctx);
      reply.clearCookie(cookieName, { path: '/' });
      const logoutUrl = await sso.logoutUrl(provider);
      return logoutUrl ? { ok: true as const, logoutUrl } : { ok: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: { tags: ['auth'], response: responses({ 200: Me }) },
    },
    async (request) => {
      const ctx = authed(request);
      const row = await users.accountRecord(ctx);
      const memberships = await users.memberships(ctx);
      const resetAt = row.factors_reset_at ?? null;
      const admin = isGlobalAdmin(ctx.actor);
      return {
        user: presentUser(row),
        tenants: memberships.map((m) => ({
          id: m.tenant_id,
          name: m.name,
          slug: m.slug,
          role: m.role as 'admin' | 'manager' | 'viewer',
          isActive: m.is_active === 1,
        })),
        csrfToken: ctx.actor.csrfToken,
        can: { manageTenants: admin, manageUsers: admin, globalAudit: admin },
        signupOpen: config.signup === 'open',
        security: {
          secondFactor: ctx.actor.secondFactor === true,
          mustEnrol: ctx.actor.mustEnrol === true,
          factorsResetAt: resetAt ? new Date(resetAt).toISOString() : null,
          tenantRequiresMfa: (
            await Promise.all(memberships.map(async (m) => (await settings.get(m.tenant_id)).requireMfa))
          ).some(Boolean),
        },
      };
    },
  );

  app.get('/api/auth/config', route('public', 'auth', {}, { 200: AuthConfig }), async () => ({
    signupOpen: config.signup === 'open',
  }));

  app.post(
    '/api/auth/signup',
    route('public', 'auth', { body: SignupBody }, { 201: SessionStarted }),
    async (request, reply) => {
      const issue = await auth.signup(contextOf(request), request.body);
      setSessionCookie(reply, config, issue);
      return reply.status(201).send({ user: presentUser(issue.user), csrfToken: issue.csrfToken });
    },
  );

  app.post(
    '/api/auth/setup',
    route('public', 'auth', { body: SetupBody }, { 201: SessionStarted }),
    async (request, reply) => {
      const issue = await auth.completeSetup(contextOf(request), request.body);
      setSessionCookie(reply, config, issue);
      return reply.status(201).send({ user: presentUser(issue.user), csrfToken: issue.csrfToken });
    },
  );

  app.get(
    '/api/auth/invitations/:token',
    route('public', 'auth', { params: TokenParam }, { 200: InvitationInfo }),
    async (request) => invitations.invitationInfo(request.params.token),
  );

  app.post(
    '/api/auth/invitations/:token/accept',
    route('public', 'auth', { params: TokenParam, body: AcceptInvitationBody }, { 201: SessionStarted }),
    async (request, reply) => {
      const issue = await invitations.acceptInvitation(contextOf(request), request.params.token, request.body);
      setSessionCookie(reply, config, issue);
      return reply.status(201).send({ user: presentUser(issue.user), csrfToken: issue.csrfToken });
    },
  );

  app.post(
    '/api/auth/invitations/:token/join',
    route('session', 'auth', { params: TokenParam }, { 201: JoinedInvitation }),
    async (request, reply) =>
      reply.status(201).send(await invitations.joinInvitation(authed(request), request.params.token)),
  );

  app.get(
    '/api/auth/tokens',
    route('session', 'auth', {}, { 200: z.object({ tokens: z.array(ApiToken) }) }),
    async (request) => {
      const rows = await apiTokens.listTokens(authed(request));
      return {
        tokens: rows.map((r) => ({
          id: r.id,
          name: r.name,
          prefix: r.prefix,
          scopes: parseTokenScopes(r.scopes),
          createdAt: new Date(r.created_at).toISOString(),
          lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at).toISOString(),
          expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/auth/tokens',
    route('session', 'auth', { body: CreateTokenBody }, { 201: CreatedToken }),
    async (request, reply) => {
      const expiresAt = request.body.expiresAt ? Date.parse(request.body.expiresAt) : null;
      const created = await apiTokens.createToken(authed(request), request.body.name, expiresAt, request.body.scopes);
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/auth/tokens/:tokenId',
    route('session', 'auth', { params: z.object({ tokenId: Uuid }) }, { 200: Ok }),
    async (request) => done(apiTokens.revokeToken(authed(request), request.params.tokenId)),
  );
}
