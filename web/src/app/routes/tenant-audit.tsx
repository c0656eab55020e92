// /tenants/:tenantId/audit: the tenant's audit log (admins and managers).
import { EmptyState, PageHeader } from '@/components/ui/misc';
import { AuditLog } from '@/features/audit/components/audit-log';
import { useMeData } from '@/features/auth/api/get-me';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  if (!tenant.can.viewAudit)
    return <EmptyState title="No access" description="Your role cannot read this tenant's audit log." />;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and every refused attempt in this tenant, newest first."
      />
      <AuditLog tenantId={tenant.id} canVerify={me.can.globalAudit} />
    </>
  );
}
