// /admin/audit: the global audit log with hash-chain verification (global admins).
import { EmptyState, PageHeader } from '@/components/ui/misc';
import { AuditLog } from '@/features/audit/components/audit-log';
import { useMeData } from '@/features/auth/api/get-me';

export function Component() {
  const me = useMeData();
  if (!me.can.globalAudit)
    return <EmptyState title="No access" description="Only global administrators see the global audit log." />;
  return (
    <>
      <PageHeader
        title="Global audit log"
        description="Every tenant and every global change; the chain is verified on load."
      />
      <AuditLog tenantId={null} canVerify />
    </>
  );
}
