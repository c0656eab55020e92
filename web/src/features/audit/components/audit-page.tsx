// An audit log page: refused plainly to those who may not read it, else the log under a header.
import { EmptyState, PageHeader } from '@/components/ui/misc';
import { AuditLog } from './audit-log';

export function AuditPage({
  allowed,
  noAccess,
  title,
  description,
  tenantId,
  canVerify,
}: {
  allowed: boolean;
  /** Says who may read this log. */
  noAccess: string;
  title: string;
  description: string;
  /** null: the global log. */
  tenantId: string | null;
  canVerify: boolean;
}) {
  if (!allowed) return <EmptyState title="No access" description={noAccess} />;
  return (
    <>
      <PageHeader title={title} description={description} />
      <AuditLog tenantId={tenantId} canVerify={canVerify} />
    </>
  );
}
