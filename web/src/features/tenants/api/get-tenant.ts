// GET /api/tenants/:id: one tenant with the caller's abilities in it (`can`).
import type { Tenant } from '@common/schemas/tenants';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function getTenant(tenantId: string): Promise<Tenant> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}`);
}

export function useTenant(tenantId: string) {
  return useQuery({
    queryKey: qk.tenantInfo(tenantId),
    queryFn: () => getTenant(tenantId),
    staleTime: 60_000,
    enabled: tenantId !== '',
  });
}
