// /tenants/:tenantId/audit: the tenant's audit log (admins and managers).
import { Page } from '@/components/page';
import { AuditLog } from '@/features/audit/components/audit-log';
import { useMeData } from '@/features/auth/api/get-me';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  return (
    <Page
      title="Audit log"
      description="Every change and every refused attempt in this tenant, newest first."
      noAccess={!tenant.can.viewAudit && "Your role cannot read this tenant's audit log."}
    >
      <AuditLog tenantId={tenant.id} canVerify={me.can.globalAudit} />
    </Page>
  );
}
