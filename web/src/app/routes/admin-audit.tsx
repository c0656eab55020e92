// /admin/audit: the global audit log with hash-chain verification, and where it is forwarded
// (global admins).
import { Page } from '@/components/page';
import { AuditLog } from '@/features/audit/components/audit-log';
import { globalAuditPage } from '@/features/audit/messages';
import { AuditForwardingCard } from '@/features/audit-forwarding/audit-forwarding-card';
import { useMeData } from '@/features/auth/api/get-me';

export function Component() {
  const me = useMeData();
  return (
    <Page text={globalAuditPage} allowed={me.can.globalAudit}>
      <div className="grid gap-6">
        <AuditLog tenantId={null} canVerify />
        <AuditForwardingCard />
      </div>
    </Page>
  );
}
