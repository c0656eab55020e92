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
import { type App, responses } from '../../http/route-kit';
import type { Services } from '../../services';

export function membersRoutes(app: App, { members, invitations }: Services): void {
  app.get(
    '/api/tenants/:tenantId/invitations',
    {
      config: { access: 'member:manage' },
      schema: {
        tags: ['members'],
        params: TenantParams,
        response: responses({ 200: z.object({ invitations: z.array(PendingInvitation) }) }),
      },
    },
    async (request) => ({ invitations: await invitations.listPending(tenantCtx(request)) }),
  );

  app.delete(
    '/api/tenants/:tenantId/invitations/:invitationId',
    {
      config: { access: 'member:manage' },
      schema: { tags: ['members'], params: InvitationParams, response: responses({ 200: Ok }) },
    },
    async (request) => {
      await invitations.revoke(tenantCtx(request), request.params.invitationId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/tenants/:tenantId/members',
    {
      config: { access: 'member:read' },
      schema: {
        tags: ['members'],
        params: TenantParams,
        response: responses({ 200: z.object({ members: z.array(Member) }) }),
      },
    },
    async (request) => ({ members: await members.list(tenantCtx(request)) }),
  );

  app.post(
    '/api/tenants/:tenantId/members',
    {
      config: { access: 'member:manage' },
      schema: {
        tags: ['members'],
        params: TenantParams,
        body: AddMemberBody,
        response: responses({ 201: AddMemberResponse }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await members.add(tenantCtx(request), request.body.email, request.body.role)),
  );

  app.put(
    '/api/tenants/:tenantId/members/:userId',
    {
      config: { access: 'member:manage' },
      schema: {
        tags: ['members'],
        params: MemberParams,
        body: SetRoleBody,
        response: responses({ 200: Member }),
      },
    },
    async (request) => members.setRole(tenantCtx(request), request.params.userId, request.body.role),
  );

  app.delete(
    '/api/tenants/:tenantId/members/:userId',
    {
      config: { access: 'member:manage' },
      schema: { tags: ['members'], params: MemberParams, response: responses({ 200: Ok }) },
    },
    async (request) => {
      await members.remove(tenantCtx(request), request.params.userId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/tenants/:tenantId/members/:userId/assignments',
    {
      config: { access: 'member:read' },
      schema: { tags: ['members'], params: MemberParams, response: responses({ 200: Assignments }) },
    },
    async (request) => members.getAssignments(tenantCtx(request), request.params.userId),
  );

  app.put(
    '/api/tenants/:tenantId/members/:userId/assignments',
    {
      config: { access: 'member:manage' },
      schema: {
        tags: ['members'],
        params: MemberParams,
        body: AssignmentsBody,
        response: responses({ 200: Assignments }),
      },
    },
    async (request) => members.putAssignments(tenantCtx(request), request.params.userId, request.body),
  );
}
