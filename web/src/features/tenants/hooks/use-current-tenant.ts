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

/**
 * Whether the caller may see the member list. The server's `can` has no such flag yet
 * (see the web report); managing members or reading the audit log both imply it.
 */
export function canSeeMembers(tenant: Tenant): boolean {
  const can = tenant.can as Tenant['can'] & { viewMembers?: boolean };
  return can.viewMembers ?? (can.manageMembers || can.viewAudit);
}
