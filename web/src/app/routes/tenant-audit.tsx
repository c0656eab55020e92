// /tenants/:tenantId/audit: the tenant's audit log (admins and managers).
import { Page } from '@/components/page';
import { AuditLog } from '@/features/audit/components/audit-log';
import { am } from '@/features/audit/messages';
import { useMeData } from '@/features/auth/api/get-me';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const me = useMeData();
  return (
    <Page text={am} allowed={tenant.can.viewAudit}>
      <AuditLog tenantId={tenant.id} canVerify={me.can.globalAudit} />
    </Page>
  );
}
