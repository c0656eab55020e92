// Passkey routes: the account's passkeys (list, register with a name, remove; open while a session
// must enrol a factor), a passkey as the sign-in's second step, and signing in with a passkey
// alone. A ceremony's challenge is found again through a short-lived HttpOnly cookie.
import { SessionStarted } from '@common/schemas/auth';
import { Ok } from '@common/schemas/shared';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/config';
import { authed, contextOf } from '../../http/context';
import { type App, done, responses, route } from '../../http/route-kit';
import { AppError } from '../../lib/app-error';
import type { Services } from '../../services';
import { presentUser } from '../users/users.presenter';
import { ceremonyCookieName, challengeCookieName, setSessionCookie, setStepCookie } from './auth.routes';

const Passkey = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
/** The browser's WebAuthn answer, checked by @simplewebauthn/server. */
const WebauthnAnswer = z.looseObject({ id: z.string().max(2000), type: z.literal('public-key') });
const Options = z.looseObject({ challenge: z.string() });

export function passkeysRoutes(app: App, { passkeys, factors, auth, userDirectory }: Services, config: Config): void {
  const ceremonyName = ceremonyCookieName(config);
  const tags = ['account'];
  const origin = (request: FastifyRequest) => {
    const o = request.headers.origin;
    return typeof o === 'string' ? o : undefined;
  };
  const begin = (reply: FastifyReply, ceremony: string) => setStepCookie(reply, config, ceremonyName, ceremony);
  const enrolment = { access: 'session', duringEnrolment: true } as const;

  app.get(
    '/api/account/passkeys',
    { config: enrolment, schema: { tags, response: responses({ 200: z.object({ passkeys: z.array(Passkey) }) }) } },
    async (request) => ({ passkeys: await passkeys.list(authed(request).actor.userId) }),
  );

  app.post(
    '/api/account/passkeys/options',
    {
      config: enrolment,
      schema: { tags, summary: 'Start registering a passkey', response: responses({ 200: Options }) },
    },
    async (request, reply) => {
      const { options, ceremony } = await passkeys.registrationOptions(authed(request), origin(request));
      begin(reply, ceremony);
      return { ...options };
    },
  );

  app.post(
    '/api/account/passkeys',
    {
      config: enrolment,
      schema: {
        tags,
        summary: 'Register a passkey (the browser’s answer to the options), with a name',
        body: z.object({ name: z.string().trim().min(1).max(60), response: WebauthnAnswer }),
        response: responses({ 201: Passkey }),
      },
    },
    async (request, reply) => {
      const added = await passkeys.register(
        authed(request),
        request.cookies[ceremonyName],
        request.body.name,
        request.body.response as unknown as RegistrationResponseJSON,
      );
      reply.clearCookie(ceremonyName, { path: '/' });
      return reply.status(201).send(added);
    },
  );

  app.delete(
    '/api/account/passkeys/:passkeyId',
    route('session', 'account', { params: z.object({ passkeyId: z.uuid() }) }, { 200: Ok }),
    async (request) => done(passkeys.remove(authed(request), request.params.passkeyId)),
  );

  app.post(
    '/api/auth/mfa/passkey-options',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'A passkey as the sign-in’s second step',
        response: responses({ 200: Options }),
      },
    },
    async (request, reply) => {
      const userId = await factors.challengedUser(request.cookies[challengeCookieName(config)]);
      if (!userId) throw new AppError('auth.mfa_challenge_expired', 'Sign in again: the second step timed out');
      const { options, ceremony } = await passkeys.authenticationOptions(origin(request), userId);
      begin(reply, ceremony);
      return { ...options };
    },
  );

  app.post(
    '/api/auth/passkey/options',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Start signing in with a passkey', response: responses({ 200: Options }) },
    },
    async (request, reply) => {
      const { options, ceremony } = await passkeys.authenticationOptions(origin(request), null);
      begin(reply, ceremony);
      return { ...options };
    },
  );

  app.post(
    '/api/auth/passkey',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a passkey (no password)',
        body: z.object({ response: WebauthnAnswer }),
        response: responses({ 200: SessionStarted }),
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const userId = await passkeys.verify(
        request.cookies[ceremonyName],
        request.body.response as unknown as AuthenticationResponseJSON,
        null,
      );
      reply.clearCookie(ceremonyName, { path: '/' });
      const user = userId ? await userDirectory.findById(userId) : undefined;
      if (!user || user.disabled_at !== null) {
        throw new AppError('auth.passkey_invalid', 'This passkey does not sign in here');
      }
      // A passkey with user verification is two factors in one.
      const issue = await auth.issueSession(ctx, user, 'auth.passkey_login', undefined, { idpMfa: true });
      setSessionCookie(reply, config, issue);
      return { user: presentUser(issue.user), csrfToken: issue.csrfToken };
    },
  );
}
