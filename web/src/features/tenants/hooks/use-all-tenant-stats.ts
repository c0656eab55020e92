// Every tenant with its dashboard counts, for the global overview: one stats query per tenant.
import { useQueries } from '@tanstack/react-query';
import { qk } from '@/lib/query-keys';
import { getTenantStats, type Stats } from '../api/get-tenant-stats';
import { useTenants } from '../api/get-tenants';

export function useAllTenantStats() {
  const tenants = useTenants();
  const list = tenants.data?.tenants ?? [];
  const stats = useQueries({
    queries: list.map((t) => ({ queryKey: qk.stats(t.id), queryFn: () => getTenantStats(t.id), retry: false })),
  });
  /** A count summed over the tenants whose stats have arrived. */
  const sum = (f: (s: Stats) => number) => stats.reduce((acc, q) => acc + (q.data ? f(q.data) : 0), 0);
  return { tenants, stats, sum };
}

export type TenantStatsQueries = ReturnType<typeof useAllTenantStats>['stats'];
