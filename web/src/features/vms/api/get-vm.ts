// GET /api/tenants/:t/servers/:s/vms/:vmid: one guest's current status (node and type resolved by Nexus).
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { GuestDetail } from '../types';
import { guestPath } from './paths';

export function getVm(tenantId: string, serverId: string, vmid: number): Promise<GuestDetail> {
  return api(guestPath(tenantId, serverId, vmid));
}

export function useVm(tenantId: string, serverId: string, vmid: number) {
  return useQuery({
    queryKey: qk.vm(tenantId, serverId, vmid),
    queryFn: () => getVm(tenantId, serverId, vmid),
    refetchInterval: 15_000,
  });
}
