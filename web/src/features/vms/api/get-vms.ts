// GET /api/tenants/:t/vms: every guest of every server, with a per-server fetch status.
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { GuestList } from '../types';
import { vmsPath } from './paths';

export function getVms(tenantId: string): Promise<GuestList> {
  return api(vmsPath(tenantId));
}

/**
 * Refreshed every 30 s for CPU and memory figures (status changes arrive sooner over the event
 * stream); within 2 s while a server's answer is stale, i.e. Nexus is refreshing it right now.
 */
export function useVms(tenantId: string) {
  return useQuery({
    queryKey: qk.vms(tenantId),
    queryFn: () => getVms(tenantId),
    refetchInterval: (q) => (q.state.data?.servers.some((s) => s.stale) ? 2000 : 30_000),
  });
}

export const guestKey = (serverId: string, vmid: number) => `${serverId}/${vmid}`;
