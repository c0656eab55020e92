import { z } from 'zod';

export const NOTIFICATION_KINDS = ['server.offline', 'server.online', 'vm.action', 'member.changed'] as const;

export const Notification = z
  .object({
    id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    payload: z.record(z.string(), z.unknown()),
    actorUserId: z.string().nullable(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export const NotificationsQuery = z.object({
  unread: z.enum(['1', '0']).optional(),
  cursor: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const NotificationsPage = z.object({
  notifications: z.array(Notification),
  unreadCount: z.number(),
  nextCursor: z.string().nullable(),
});

export const MarkReadBody = z
  .object({ ids: z.array(z.uuid()).max(500).optional(), all: z.boolean().optional() })
  .refine((b) => (b.ids !== undefined) !== (b.all === true), { message: 'give either ids or all: true' });
