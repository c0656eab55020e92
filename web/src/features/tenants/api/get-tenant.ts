// GET /api/tenants/:id, one tenant with the caller's abilities in it (`can`), and
// GET /api/tenants/:id/settings: limits, console policy, health interval, branding, notifications.
import type { Tenant, TenantSettings } from '@common/schemas/tenants';
import { type QueryKey, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

const tenantPath = (tenantId: string, rest = '') => `/api/tenants/${encodeURIComponent(tenantId)}${rest}`;

export const getTenant = (tenantId: string) => api<Tenant>(tenantPath(tenantId));
export const getTenantSettings = (tenantId: string) => api<TenantSettings>(tenantPath(tenantId, '/settings'));

/** Both change rarely: a minute before they are fetched again (the event stream invalidates them). */
function useTenantQuery<T>(tenantId: string, queryKey: QueryKey, fetch: (tenantId: string) => Promise<T>) {
  return useQuery({ queryKey, queryFn: () => fetch(tenantId), staleTime: 60_000, enabled: tenantId !== '' });
}

export const useTenant = (tenantId: string) => useTenantQuery(tenantId, qk.tenantInfo(tenantId), getTenant);
export const useTenantSettings = (tenantId: string) =>
  useTenantQuery(tenantId, qk.settings(tenantId), getTenantSettings);
