// /api/auth/providers and /api/auth/oidc/:providerId/{login,callback}: the sign-in buttons and
// the round trip through the identity provider. The callback ends in a redirect: to `returnTo`
// with a session, to the second-factor step, or to the sign-in page with an error code — never
// a session on failure.
import { IdentityProviderBody, IdentityProviderId, IdentityProviderView } from '@common/schemas/identity-providers';
import { z } from 'zod';
import type { Config } from '../../../config/config';
import { authed, contextOf } from '../../../http/context';
import { type App, done, route } from '../../../http/route-kit';
import { isAppError } from '../../../lib/app-error';
import type { Services } from '../../../services';
import { challengeCookieName, setSessionCookie, setStepCookie } from '../auth.routes';

const ProviderParams = z.object({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/) });
const Providers = z.object({
  providers: z.array(z.object({ id: z.string(), name: z.string(), type: z.literal('oidc') })),
  passwordLogin: z.enum(['on', 'admins', 'off']),
});

export function ssoRoutes(app: App, { sso }: Services, config: Config): void {
  // Binds a sign-in to the browser that started it; Lax, because the provider sends the browser
  // back with a top-level GET from its own site.
  const browserCookie = config.secureCookies ? '__Secure-nexus_oidc' : 'nexus_oidc';
  const cookieOptions = {
    path: '/api/auth/oidc',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.secureCookies,
  };

  app.get('/api/auth/providers', route('public', 'auth', {}, { 200: Providers }), async () => sso.providers());

  app.get(
    '/api/auth/oidc/:providerId/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Start signing in with this provider (302 to it)',
        params: ProviderParams,
        querystring: z.object({ returnTo: z.string().max(500).optional() }),
      },
    },
    async (request, reply) => {
      try {
        const { url, browser } = await sso.start(request.params.providerId, request.query.returnTo);
        reply.setCookie(browserCookie, browser, { ...cookieOptions, maxAge: 600 });
        return reply.redirect(url, 302);
      } catch (err) {
        return reply.redirect(`/login?error=${encodeURIComponent(isAppError(err) ? err.code : 'sso.failed')}`, 302);
      }
    },
  );

  app.get(
    '/api/auth/oidc/:providerId/callback',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Where the provider sends the browser back', params: ProviderParams },
    },
    async (request, reply) => {
      reply.clearCookie(browserCookie, cookieOptions);
      try {
        const callback = new URL(request.url, config.publicUrl);
        const outcome = await sso.finish(
          contextOf(request),
          request.params.providerId,
          callback,
          request.cookies[browserCookie],
        );
        if (outcome.kind === 'second-factor') {
          setStepCookie(reply, config, challengeCookieName(config), outcome.challenge);
          return reply.redirect(`/login?step=mfa&next=${encodeURIComponent(outcome.returnTo)}`, 302);
        }
        setSessionCookie(reply, config, outcome.issue);
        return reply.redirect(outcome.returnTo, 302);
      } catch (err) {
        return reply.redirect(`/login?error=${encodeURIComponent(isAppError(err) ? err.code : 'sso.failed')}`, 302);
      }
    },
  );
}

const IdpParams = z.object({ providerId: IdentityProviderId });

/** /api/admin/identity-providers: global admins add, change and remove sign-in providers. */
export function identityProviderRoutes(app: App, { identityProviders }: Services): void {
  const _tags = ['admin'];
  const Ok = z.object({ ok: z.literal(true) });
  app.get(
    '/api/admin/identity-providers',
    route('user:manage', 'admin', {}, { 200: z.object({ providers: z.array(IdentityProviderView) }) }),
    async () => ({ providers: await identityProviders.list() }),
  );
  app.post(
    '/api/admin/identity-providers',
    route('user:manage', 'admin', { body: IdentityProviderBody.extend({ id: IdentityProviderId }) }, { 201: Ok }),
    async (request, reply) => {
      await identityProviders.save(authed(request), request.body, true);
      return reply.status(201).send({ ok: true as const });
    },
  );
  app.put(
    '/api/admin/identity-providers/:providerId',
    route('user:manage', 'admin', { params: IdpParams, body: IdentityProviderBody }, { 200: Ok }),
    async (request) =>
      done(identityProviders.save(authed(request), { ...request.body, id: request.params.providerId }, false)),
  );
  app.delete(
    '/api/admin/identity-providers/:providerId',
    route('user:manage', 'admin', { params: IdpParams }, { 200: Ok }),
    async (request) => done(identityProviders.remove(authed(request), request.params.providerId)),
  );
}
