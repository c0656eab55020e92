// GET …/backups (the guest's archives) and POST …/backups (Back up now: a followed vzdump task).
import type { GuestBackups, VmActionResult } from '@common/schemas/vms';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { guestPath } from './paths';

export type { GuestBackups };

export function useBackups(tenantId: string, serverId: string, vmid: number) {
  return useQuery({
    queryKey: [...qk.vm(tenantId, serverId, vmid), 'backups'],
    queryFn: () => api<GuestBackups>(`${guestPath(tenantId, serverId, vmid)}/backups`),
  });
}

export function useBackupNow(tenantId: string, serverId: string, vmid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<VmActionResult>(`${guestPath(tenantId, serverId, vmid)}/backups`, { method: 'POST' }),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.vm(tenantId, serverId, vmid) }),
  });
}
