// Types of the notifications API, inferred from the shared schemas.
import type { Notification, NotificationsPage } from '@common/schemas/notifications';
import type { z } from 'zod';

export type AppNotification = z.infer<typeof Notification>;
export type NotificationList = z.infer<typeof NotificationsPage>;
