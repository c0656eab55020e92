// /tenants/:tenantId/audit: the tenant's audit log (admins and managers).
import { AuditPage } from '@/features/audit/components/audit-page';
import { useMeData } from '@/features/auth/api/get-me';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  return (
    <AuditPage
      allowed={tenant.can.viewAudit}
      noAccess="Your role cannot read this tenant's audit log."
      title="Audit log"
      description="Every change and every refused attempt in this tenant, newest first."
      tenantId={tenant.id}
      canVerify={me.can.globalAudit}
    />
  );
}
