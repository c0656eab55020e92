// /api/tenants: tenants, their settings and dashboard stats.

import { Ok, TenantParams } from '@common/schemas/shared';
import {
  CreateTenantBody,
  Tenant,
  TenantSettings,
  TenantSettingsPatch,
  TenantStats,
  UpdateTenantBody,
} from '@common/schemas/tenants';
import { z } from 'zod';
import { authed, tenantCtx } from '../../http/context';
import { type App, responses } from '../../http/route-kit';
import { AppError } from '../../lib/app-error';
import type { Services } from '../../services';

export function tenantsRoutes(app: App, { tenants, guestList }: Services): void {
  app.get(
    '/api/tenants',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['tenants'], response: responses({ 200: z.object({ tenants: z.array(Tenant) }) }) },
    },
    async (request) => ({ tenants: await tenants.list(authed(request)) }),
  );

  app.post(
    '/api/tenants',
    {
      config: { access: 'tenant:create' },
      schema: { tags: ['tenants'], body: CreateTenantBody, response: responses({ 201: Tenant }) },
    },
    async (request, reply) => reply.status(201).send(await tenants.create(authed(request), request.body)),
  );

  app.get(
    '/api/tenants/:tenantId',
    {
      config: { access: 'tenant:read' },
      schema: { tags: ['tenants'], params: TenantParams, response: responses({ 200: Tenant }) },
    },
    async (request) => tenants.get(tenantCtx(request)),
  );

  app.patch(
    '/api/tenants/:tenantId',
    {
      config: { access: 'tenant:update' },
      schema: {
        tags: ['tenants'],
        params: TenantParams,
        body: UpdateTenantBody,
        response: responses({ 200: Tenant }),
      },
    },
    async (request) => tenants.update(tenantCtx(request), request.body),
  );

  app.delete(
    '/api/tenants/:tenantId',
    {
      config: { access: 'tenant:delete' },
      schema: { tags: ['tenants'], params: TenantParams, response: responses({ 200: Ok }) },
    },
    async (request) => {
      const ctx = authed(request);
      const scope = await tenants.loadScope(ctx.actor, request.params.tenantId);
      if (!scope.exists) throw new AppError('tenant.not_found', 'Tenant not found');
      await tenants.delete({ ...ctx, scope });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/tenants/:tenantId/settings',
    {
      config: { access: 'settings:read' },
      schema: { tags: ['tenants'], params: TenantParams, response: responses({ 200: TenantSettings }) },
    },
    async (request) => tenants.settings(tenantCtx(request).scope.tenantId),
  );

  app.put(
    '/api/tenants/:tenantId/settings',
    {
      config: { access: 'settings:update' },
      schema: {
        tags: ['tenants'],
        params: TenantParams,
        body: TenantSettingsPatch,
        response: responses({ 200: TenantSettings }),
      },
    },
    async (request) => tenants.updateSettings(tenantCtx(request), request.body),
  );

  app.get(
    '/api/tenants/:tenantId/stats',
    {
      config: { access: 'tenant:read' },
      schema: { tags: ['tenants'], params: TenantParams, response: responses({ 200: TenantStats }) },
    },
    async (request) => {
      // The tenant's own counts and the guests the caller may see, from their two modules.
      const ctx = tenantCtx(request);
      const [own, guests] = await Promise.all([tenants.stats(ctx), guestList.guestStats(ctx)]);
      return { ...own, guests };
    },
  );
}
