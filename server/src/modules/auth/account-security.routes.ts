// /api/account/mfa and /api/account/sessions: the account's second factors and sessions (cookie
// sessions only: no API token manages these); POST /api/users/:userId/mfa/reset for global
// admins. Enrolment routes stay open to a session that must enrol before anything else.
import {
  AccountSessions,
  RecoveryCodes,
  RemoveTotpBody,
  SecondFactorStatus,
  TotpCodeBody,
  TotpEnrolment,
} from '@common/schemas/auth';
import { Ok } from '@common/schemas/shared';
import { UserParams } from '@common/schemas/users';
import { z } from 'zod';
import { authed } from '../../http/context';
import { type App, done, noStore, responses, route } from '../../http/route-kit';
import type { Services } from '../../services';

const tags = ['account'];
const SessionParams = z.object({ sessionId: z.string().regex(/^[0-9a-f]{32}$/) });
const Revoked = z.object({ revoked: z.number() });

export function accountSecurityRoutes(app: App, { factors, accountSecurity }: Services): void {
  const enrolment = { access: 'session', duringEnrolment: true } as const;

  app.get(
    '/api/account/mfa',
    { config: enrolment, schema: { tags, response: responses({ 200: SecondFactorStatus }) } },
    async (request) => factors.status(authed(request).actor.userId),
  );

  app.post(
    '/api/account/mfa/totp',
    {
      config: enrolment,
      schema: {
        tags,
        summary: 'Start setting up an authenticator app: its secret, shown only now',
        response: responses({ 201: TotpEnrolment }),
      },
    },
    async (request, reply) => noStore(reply, await factors.beginTotp(authed(request)), 201),
  );

  app.post(
    '/api/account/mfa/totp/confirm',
    {
      config: enrolment,
      schema: {
        tags,
        summary: 'Turn the authenticator on with its first code; ten recovery codes, shown only now',
        body: TotpCodeBody,
        response: responses({ 200: RecoveryCodes }),
      },
    },
    async (request, reply) => noStore(reply, await factors.confirmTotp(authed(request), request.body.code)),
  );

  app.delete(
    '/api/account/mfa/totp',
    route(
      'session',
      'account',
      { summary: 'Remove the authenticator (password and a code)', body: RemoveTotpBody },
      { 200: Ok },
    ),
    async (request) => done(accountSecurity.removeTotp(authed(request), request.body.password, request.body.code)),
  );

  app.post(
    '/api/account/mfa/recovery-codes',
    route(
      'session',
      'account',
      { summary: 'Ten new recovery codes (the old ones stop working); needs a current code', body: TotpCodeBody },
      { 200: RecoveryCodes },
    ),
    async (request, reply) => noStore(reply, await factors.regenerateRecoveryCodes(authed(request), request.body.code)),
  );

  app.get(
    '/api/account/sessions',
    route('session', 'account', { summary: 'Where you are signed in' }, { 200: AccountSessions }),
    async (request) => ({ sessions: await accountSecurity.sessions(authed(request)) }),
  );

  app.delete(
    '/api/account/sessions/:sessionId',
    route('session', 'account', { summary: 'Sign one session out', params: SessionParams }, { 200: Revoked }),
    async (request) => ({ revoked: await accountSecurity.revoke(authed(request), { id: request.params.sessionId }) }),
  );

  app.delete(
    '/api/account/sessions',
    route('session', 'account', { summary: 'Sign out every other session' }, { 200: Revoked }),
    async (request) => ({ revoked: await accountSecurity.revoke(authed(request), { others: true }) }),
  );

  app.post(
    '/api/users/:userId/mfa/reset',
    route(
      'user:manage',
      'users',
      { summary: "Take a user's second factors away (they set one up again)", params: UserParams },
      { 200: Ok },
    ),
    async (request) => done(factors.reset(authed(request), request.params.userId)),
  );
}
