// GET /api/tenants: the tenants the caller may open (all of them for global admins).
import type { Tenant } from '@common/schemas/tenants';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';

export function getTenants(): Promise<{ tenants: Tenant[] }> {
  return api('/api/tenants');
}

export function useTenants() {
  return useQuery({ queryKey: qk.tenants, queryFn: getTenants });
}
