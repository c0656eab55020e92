// POST /api/tenants/:id/vms/actions/:action: one power action on many guests; a result per guest.
import type { BulkActionResult } from '@common/schemas/vms';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { vmsPath } from './paths';

export type BulkAction = 'start' | 'shutdown' | 'reboot' | 'stop';
export type { BulkActionResult };

export function useBulkAction(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, guests }: { action: BulkAction; guests: { serverId: string; vmid: number }[] }) =>
      api<BulkActionResult>(`${vmsPath(tenantId)}/actions/${action}`, { method: 'POST', body: { guests } }),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.vms(tenantId) }),
  });
}
