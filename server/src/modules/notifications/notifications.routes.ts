// /api/tenants/:tenantId/notifications: the in-app notification center.
import { MarkReadBody, NotificationsPage, NotificationsQuery } from '@common/schemas/notifications';
import { TenantParams } from '@common/schemas/shared';
import { z } from 'zod';
import { tenantCtx } from '../../http/context';
import { type App, route } from '../../http/route-kit';
import type { Services } from '../../services';

export function notificationsRoutes(app: App, { notifications }: Services): void {
  app.get(
    '/api/tenants/:tenantId/notifications',
    route(
      'notification:read',
      'notifications',
      { params: TenantParams, querystring: NotificationsQuery },
      { 200: NotificationsPage },
    ),
    async (request) =>
      notifications.list(tenantCtx(request), {
        cursor: request.query.cursor,
        unread: request.query.unread === '1',
        limit: request.query.limit,
      }),
  );

  app.post(
    '/api/tenants/:tenantId/notifications/read',
    route(
      'notification:read',
      'notifications',
      { params: TenantParams, body: MarkReadBody },
      { 200: z.object({ ok: z.literal(true), unreadCount: z.number() }) },
    ),
    async (request) => notifications.markRead(tenantCtx(request), request.body.all ? 'all' : (request.body.ids ?? [])),
  );
}
