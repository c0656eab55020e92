// GET …/vms/:vmid/rrddata?timeframe=hour|day|week: resource history for the guest's charts.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { RrdPoint } from '../types';
import { guestPath } from './paths';

export type Timeframe = 'hour' | 'day' | 'week';

export async function getRrdData(tenantId: string, serverId: string, vmid: number, timeframe: Timeframe) {
  const res = await api<{ points: RrdPoint[] } | { data: RrdPoint[] } | RrdPoint[]>(
    `${guestPath(tenantId, serverId, vmid)}/rrddata`,
    { query: { timeframe } },
  );
  if (Array.isArray(res)) return res;
  return 'points' in res ? res.points : res.data;
}

export function useRrdData(tenantId: string, serverId: string, vmid: number, timeframe: Timeframe) {
  return useQuery({
    queryKey: qk.rrd(tenantId, serverId, vmid, timeframe),
    queryFn: () => getRrdData(tenantId, serverId, vmid, timeframe),
    refetchInterval: timeframe === 'hour' ? 60_000 : 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}
