// /admin/audit: the global audit log with hash-chain verification, and where it is forwarded
// (global admins).
import { Page } from '@/components/page';
import { AuditLog } from '@/features/audit/components/audit-log';
import { AuditForwardingCard } from '@/features/audit-forwarding/audit-forwarding-card';
import { useMeData } from '@/features/auth/api/get-me';

export function Component() {
  const me = useMeData();
  return (
    <Page
      title="Global audit log"
      description="Every tenant and every global change; the chain is verified on load."
      noAccess={!me.can.globalAudit && 'Only global administrators see the global audit log.'}
    >
      <div className="grid gap-6">
        <AuditLog tenantId={null} canVerify />
        {me.can.globalAudit ? <AuditForwardingCard /> : null}
      </div>
    </Page>
  );
}
