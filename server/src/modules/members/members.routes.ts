// /api/tenants/:tenantId/members: who belongs to a tenant, with which role, restricted to which guests.

import { Ok, TenantParams } from '@common/schemas/shared';
import {
  AddMemberBody,
  AddMemberResponse,
  Assignments,
  AssignmentsBody,
  InvitationParams,
  Member,
  MemberParams,
  PendingInvitation,
  SetRoleBody,
} from '@common/schemas/tenants';
import { z } from 'zod';
import { tenantCtx } from '../../http/context';
import { type App, done, route } from '../../http/route-kit';
import type { Services } from '../../services';

export function membersRoutes(app: App, { members, invitations }: Services): void {
  app.get(
    '/api/tenants/:tenantId/invitations',
    route(
      'member:manage',
      'members',
      { params: TenantParams },
      { 200: z.object({ invitations: z.array(PendingInvitation) }) },
    ),
    async (request) => ({ invitations: await invitations.listPending(tenantCtx(request)) }),
  );

  app.delete(
    '/api/tenants/:tenantId/invitations/:invitationId',
    route('member:manage', 'members', { params: InvitationParams }, { 200: Ok }),
    async (request) => done(invitations.revoke(tenantCtx(request), request.params.invitationId)),
  );

  app.get(
    '/api/tenants/:tenantId/members',
    route('member:read', 'members', { params: TenantParams }, { 200: z.object({ members: z.array(Member) }) }),
    async (request) => ({ members: await members.list(tenantCtx(request)) }),
  );

  app.post(
    '/api/tenants/:tenantId/members',
    route('member:manage', 'members', { params: TenantParams, body: AddMemberBody }, { 201: AddMemberResponse }),
    async (request, reply) =>
      reply.status(201).send(await members.add(tenantCtx(request), request.body.email, request.body.role)),
  );

  app.put(
    '/api/tenants/:tenantId/members/:userId',
    route('member:manage', 'members', { params: MemberParams, body: SetRoleBody }, { 200: Member }),
    async (request) => members.setRole(tenantCtx(request), request.params.userId, request.body.role),
  );

  app.delete(
    '/api/tenants/:tenantId/members/:userId',
    route('member:manage', 'members', { params: MemberParams }, { 200: Ok }),
    async (request) => done(members.remove(tenantCtx(request), request.params.userId)),
  );

  app.get(
    '/api/tenants/:tenantId/members/:userId/assignments',
    route('member:read', 'members', { params: MemberParams }, { 200: Assignments }),
    async (request) => members.getAssignments(tenantCtx(request), request.params.userId),
  );

  app.put(
    '/api/tenants/:tenantId/members/:userId/assignments',
    route('member:manage', 'members', { params: MemberParams, body: AssignmentsBody }, { 200: Assignments }),
    async (request) => members.putAssignments(tenantCtx(request), request.params.userId, request.body),
  );
}
