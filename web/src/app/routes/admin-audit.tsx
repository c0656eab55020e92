// /admin/audit: the global audit log with hash-chain verification (global admins).
import { Page } from '@/components/page';
import { AuditLog } from '@/features/audit/components/audit-log';
import { useMeData } from '@/features/auth/api/get-me';

export function Component() {
  const me = useMeData();
  return (
    <Page
      title="Global audit log"
      description="Every tenant and every global change; the chain is verified on load."
      noAccess={!me.can.globalAudit && 'Only global administrators see the global audit log.'}
    >
      <AuditLog tenantId={null} canVerify />
    </Page>
  );
}
