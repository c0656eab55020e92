// GET …/vms/:vmid/rrddata?timeframe=hour|day|week: resource history for the guest's charts.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { RrdData, RrdPoint } from '../types';
import { guestPath } from './paths';

export type Timeframe = 'hour' | 'day' | 'week';

export async function getRrdData(
  tenantId: string,
  serverId: string,
  vmid: number,
  timeframe: Timeframe,
): Promise<RrdPoint[]> {
  const res = await api<RrdData>(`${guestPath(tenantId, serverId, vmid)}/rrddata`, { query: { timeframe } });
  return res.points;
}

export function useRrdData(tenantId: string, serverId: string, vmid: number, timeframe: Timeframe) {
  return useQuery({
    queryKey: qk.rrd(tenantId, serverId, vmid, timeframe),
    queryFn: () => getRrdData(tenantId, serverId, vmid, timeframe),
    refetchInterval: timeframe === 'hour' ? 60_000 : 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}
