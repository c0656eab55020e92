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
import { type App, route } from '../../http/route-kit';
import { AppError } from '../../lib/app-error';
import type { Services } from '../../services';

export function tenantsRoutes(app: App, { tenants, guestList, recordings }: Services): void {
  app.get(
    '/api/tenants',
    route('authenticated', 'tenants', {}, { 200: z.object({ tenants: z.array(Tenant) }) }),
    async (request) => ({ tenants: await tenants.list(authed(request)) }),
  );

  app.post(
    '/api/tenants',
    route('tenant:create', 'tenants', { body: CreateTenantBody }, { 201: Tenant }),
    async (request, reply) => reply.status(201).send(await tenants.create(authed(request), request.body)),
  );

  app.get(
    '/api/tenants/:tenantId',
    route('tenant:read', 'tenants', { params: TenantParams }, { 200: Tenant }),
    async (request) => tenants.get(tenantCtx(request)),
  );

  app.patch(
    '/api/tenants/:tenantId',
    route('tenant:update', 'tenants', { params: TenantParams, body: UpdateTenantBody }, { 200: Tenant }),
    async (request) => tenants.update(tenantCtx(request), request.body),
  );

  app.delete(
    '/api/tenants/:tenantId',
    route('tenant:delete', 'tenants', { params: TenantParams }, { 200: Ok }),
    async (request) => {
      const ctx = authed(request);
      const scope = await tenants.loadScope(ctx.actor, request.params.tenantId);
      if (!scope.exists) throw new AppError('tenant.not_found', 'Tenant not found');
      await tenants.delete({ ...ctx, scope });
      // The rows went with the tenant; its recording files go too.
      await recordings.removeTenant(scope.tenantId);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/tenants/:tenantId/settings',
    route('settings:read', 'tenants', { params: TenantParams }, { 200: TenantSettings }),
    async (request) => tenants.settings(tenantCtx(request).scope.tenantId),
  );

  app.put(
    '/api/tenants/:tenantId/settings',
    route('settings:update', 'tenants', { params: TenantParams, body: TenantSettingsPatch }, { 200: TenantSettings }),
    async (request) => tenants.updateSettings(tenantCtx(request), request.body),
  );

  app.get(
    '/api/tenants/:tenantId/stats',
    route('tenant:read', 'tenants', { params: TenantParams }, { 200: TenantStats }),
    async (request) => {
      // The tenant's own counts, the guests the caller may see and the recordings' disk usage,
      // from their modules.
      const ctx = tenantCtx(request);
      const [own, guests, stored] = await Promise.all([
        tenants.stats(ctx),
        guestList.guestStats(ctx),
        recordings.usageFor(ctx),
      ]);
      return { ...own, guests, recordings: stored };
    },
  );
}
