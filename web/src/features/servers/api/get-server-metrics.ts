// GET /api/tenants/:t/servers/:s/metrics?hours=24: hourly health buckets for the charts.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import type { MetricBucket, ServerMetrics } from '../types';
import { serverPath } from './paths';

export async function getServerMetrics(tenantId: string, serverId: string, hours: number): Promise<MetricBucket[]> {
  const res = await api<ServerMetrics>(`${serverPath(tenantId, serverId)}/metrics`, { query: { hours } });
  return res.buckets;
}

export function useServerMetrics(tenantId: string, serverId: string, hours = 24) {
  return useQuery({
    queryKey: qk.metrics(tenantId, serverId, hours),
    queryFn: () => getServerMetrics(tenantId, serverId, hours),
    refetchInterval: 5 * 60_000,
  });
}

/** Every server's buckets at once, for the side-by-side monitoring view. */
export function useAllServerMetrics(tenantId: string, serverIds: string[], hours = 24) {
  return useQueries({
    queries: serverIds.map((serverId) => ({
      queryKey: qk.metrics(tenantId, serverId, hours),
      queryFn: () => getServerMetrics(tenantId, serverId, hours),
      refetchInterval: 5 * 60_000,
    })),
  });
}
