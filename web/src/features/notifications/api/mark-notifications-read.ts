// POST /api/tenants/:t/notifications/read: marks the given notifications (or all) as read.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function markNotificationsRead(tenantId: string, ids: string[] | 'all'): Promise<unknown> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/notifications/read`, {
    method: 'POST',
    body: ids === 'all' ? { all: true } : { ids },
  });
}

export function useMarkNotificationsRead(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[] | 'all') => markNotificationsRead(tenantId, ids),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.notifications(tenantId) }),
  });
}
