// GET /api/tenants/:id/stats: the dashboard's counts.
import type { TenantStats } from '@common/schemas/tenants';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export type Stats = z.infer<typeof TenantStats>;

export function getTenantStats(tenantId: string): Promise<Stats> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/stats`);
}

export function useTenantStats(tenantId: string) {
  return useQuery({ queryKey: qk.stats(tenantId), queryFn: () => getTenantStats(tenantId) });
}
