// The tenant of the current route. TenantScope renders its children only once the tenant has
// loaded, so below it these hooks always have data.
import type { Tenant } from '@common/schemas/tenants';
import { useParams } from 'react-router';
import { useTenant } from '../api/get-tenant';

export function useTenantId(): string {
  const { tenantId } = useParams();
  if (!tenantId) throw new Error('useTenantId outside a /tenants/:tenantId route');
  return tenantId;
}

export function useCurrentTenant(): Tenant {
  const { data } = useTenant(useTenantId());
  if (!data) throw new Error('useCurrentTenant outside TenantScope');
  return data;
}

/** Whether the caller may see the member list (the server says so in `can`). */
export function canSeeMembers(tenant: Tenant): boolean {
  return tenant.can.viewMembers;
}
