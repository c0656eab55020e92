// /admin/audit: the global audit log with hash-chain verification (global admins).
import { AuditPage } from '@/features/audit/components/audit-page';
import { useMeData } from '@/features/auth/api/get-me';

export function Component() {
  const me = useMeData();
  return (
    <AuditPage
      allowed={me.can.globalAudit}
      noAccess="Only global administrators see the global audit log."
      title="Global audit log"
      description="Every tenant and every global change; the chain is verified on load."
      tenantId={null}
      canVerify
    />
  );
}
