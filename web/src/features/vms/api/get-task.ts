// GET /api/tenants/:t/servers/:s/tasks/:upid: a Proxmox task's status, polled until it stops.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { TaskStatus } from '../types';

export function getTask(tenantId: string, serverId: string, upid: string): Promise<TaskStatus> {
  return api(
    `/api/tenants/${encodeURIComponent(tenantId)}/servers/${encodeURIComponent(serverId)}/tasks/${encodeURIComponent(upid)}`,
  );
}

export function useTask(tenantId: string, serverId: string, upid: string | null) {
  return useQuery({
    queryKey: qk.task(tenantId, serverId, upid ?? ''),
    queryFn: () => getTask(tenantId, serverId, upid ?? ''),
    enabled: upid !== null,
    refetchInterval: (q) => (q.state.data?.status === 'stopped' ? false : 2000),
  });
}
