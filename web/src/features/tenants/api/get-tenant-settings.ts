// GET /api/tenants/:id/settings: limits, console policy, health interval, branding, notifications.
import type { TenantSettings } from '@common/schemas/tenants';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function getTenantSettings(tenantId: string): Promise<TenantSettings> {
  return api(`/api/tenants/${encodeURIComponent(tenantId)}/settings`);
}

export function useTenantSettings(tenantId: string) {
  return useQuery({
    queryKey: qk.settings(tenantId),
    queryFn: () => getTenantSettings(tenantId),
    staleTime: 60_000,
    enabled: tenantId !== '',
  });
}
