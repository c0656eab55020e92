// GET …/vms/:vmid/consoles: who is on this guest's console now.
import type { ConsoleViewer } from '@common/schemas/consoles';
import { useQuery } from '@tanstack/react-query';
import { guestPath } from '@/features/vms/api/paths';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function getConsoleViewers(
  tenantId: string,
  serverId: string,
  vmid: number,
): Promise<{ consoles: ConsoleViewer[] }> {
  return api(`${guestPath(tenantId, serverId, vmid)}/consoles`);
}

export function useConsoleViewers(tenantId: string, serverId: string, vmid: number) {
  return useQuery({
    queryKey: qk.consoles(tenantId, serverId, vmid),
    queryFn: () => getConsoleViewers(tenantId, serverId, vmid),
    refetchInterval: 30_000,
  });
}
