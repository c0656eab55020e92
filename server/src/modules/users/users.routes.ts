// /api/users (global admins) and /api/account (everyone, about themselves).

import { AccountPatch, User } from '@common/schemas/auth';
import { Ok, QueryInt } from '@common/schemas/shared';
import { CreateUserBody, UpdateUserBody, UserParams } from '@common/schemas/users';
import { z } from 'zod';
import { authed } from '../../http/context';
import { type App, done, responses, route } from '../../http/route-kit';
import type { Services } from '../../services';

const ListQuery = z.object({
  search: z.string().max(200).optional(),
  limit: QueryInt(1, 500, 100),
  offset: QueryInt(0, 1_000_000, 0),
});

export function usersRoutes(app: App, { users }: Services): void {
  app.get(
    '/api/users',
    route('user:manage', 'users', { querystring: ListQuery }, { 200: z.object({ users: z.array(User) }) }),
    async (request) => ({ users: await users.list(request.query) }),
  );

  app.post(
    '/api/users',
    route('user:manage', 'users', { body: CreateUserBody }, { 201: User }),
    async (request, reply) => reply.status(201).send(await users.create(authed(request), request.body)),
  );

  app.patch(
    '/api/users/:userId',
    route('user:manage', 'users', { params: UserParams, body: UpdateUserBody }, { 200: User }),
    async (request) => users.update(authed(request), request.params.userId, request.body),
  );

  app.delete(
    '/api/users/:userId',
    route('user:manage', 'users', { params: UserParams }, { 200: Ok }),
    async (request) => done(users.delete(authed(request), request.params.userId)),
  );

  app.get(
    '/api/account',
    {
      config: { access: 'authenticated', duringEnrolment: true },
      schema: { tags: ['account'], response: responses({ 200: User }) },
    },
    async (request) => users.account(authed(request)),
  );

  app.patch(
    '/api/account',
    {
      // Never through an API token: a token must not change the password (or anything) it serves.
      config: { access: 'session' },
      schema: { tags: ['account'], body: AccountPatch, response: responses({ 200: User }) },
    },
    async (request) => users.updateAccount(authed(request), request.body),
  );
}
