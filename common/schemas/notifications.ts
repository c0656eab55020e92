import { z } from 'zod';
import { model, QueryInt } from './shared';

export const NOTIFICATION_KINDS = [
  'server.offline',
  'server.tls_error',
  'server.auth_error',
  'server.refused',
  'server.online',
  'vm.action',
  'member.changed',
] as const;

/** Server statuses that need a human (each its own notification kind), and recovery from them. */
export const SERVER_ALERT_KINDS = {
  offline: 'server.offline',
  tls_error: 'server.tls_error',
  auth_error: 'server.auth_error',
  refused: 'server.refused',
} as const;
export const SERVER_NOTIFICATION_KINDS = [...Object.values(SERVER_ALERT_KINDS), 'server.online'] as const;

export const Notification = model('Notification', {
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  payload: z.record(z.string(), z.unknown()),
  actorUserId: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});

export const NotificationsQuery = z.object({
  unread: z.enum(['1', '0']).optional(),
  cursor: z.iso.datetime({ offset: true }).optional(),
  limit: QueryInt(1, 200, 50),
});

export const NotificationsPage = z.object({
  notifications: z.array(Notification),
  unreadCount: z.number(),
  nextCursor: z.string().nullable(),
});

export const MarkReadBody = z
  .object({ ids: z.array(z.uuid()).max(500).optional(), all: z.boolean().optional() })
  .refine((b) => (b.ids !== undefined) !== (b.all === true), { message: 'give either ids or all: true' });
