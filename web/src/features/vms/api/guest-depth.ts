// The guest page's depth: hardware, IP addresses, the task history and one task's log. They sit
// under the guest's query key, so a finished task of the guest refreshes them.
import type { GuestHardware, GuestInterfaces, GuestTasks, TaskLog } from '@common/schemas/vms';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { guestPath } from './paths';

export type { GuestHardware, GuestInterfaces, GuestTasks, TaskLog };

function useGuestPart<T>(
  tenantId: string,
  serverId: string,
  vmid: number,
  part: string,
  refetchInterval?: (data: T | undefined) => number | false,
) {
  return useQuery<T>({
    queryKey: [...qk.vm(tenantId, serverId, vmid), part],
    queryFn: () => api<T>(`${guestPath(tenantId, serverId, vmid)}/${part}`),
    refetchInterval: (q) => refetchInterval?.(q.state.data) ?? false,
  });
}

// A task's end normally arrives as a realtime event; one that ended before the page's event stream
// was connected would stay "running" on screen, so a list showing a running task asks again.
const RUNNING_TASK_POLL_MS = 3000;

export const useGuestHardware = (t: string, s: string, vmid: number) =>
  useGuestPart<GuestHardware>(t, s, vmid, 'hardware');
export const useGuestInterfaces = (t: string, s: string, vmid: number) =>
  useGuestPart<GuestInterfaces>(t, s, vmid, 'interfaces');
export const useGuestTasks = (t: string, s: string, vmid: number) =>
  useGuestPart<GuestTasks>(t, s, vmid, 'tasks', (d) =>
    d?.tasks.some((task) => task.status === 'running') ? RUNNING_TASK_POLL_MS : false,
  );

export function useTaskLog(tenantId: string, serverId: string, upid: string | null) {
  return useQuery({
    queryKey: ['tenant', tenantId, 'task-log', serverId, upid],
    queryFn: () =>
      api<TaskLog>(
        `/api/tenants/${encodeURIComponent(tenantId)}/servers/${encodeURIComponent(serverId)}/tasks/${encodeURIComponent(upid ?? '')}/log`,
      ),
    enabled: upid !== null,
  });
}
