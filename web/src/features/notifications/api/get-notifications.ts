// GET /api/tenants/:t/notifications: the tenant's notable events with the caller's read state.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { NotificationList } from '../types';

export function getNotifications(tenantId: string): Promise<NotificationList> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/notifications`, { query: { limit: 50 } });
}

/** Kept current by `notification.created` events; the slow poll only covers a broken stream. */
export function useNotifications(tenantId: string) {
  return useQuery({
    queryKey: qk.notifications(tenantId),
    queryFn: () => getNotifications(tenantId),
    refetchInterval: 120_000,
  });
}
