// The global overview's card on the audit hash chain: intact, or where it breaks.
import { Link } from 'react-router';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { TitledCard } from '@/components/ui/card';
import { Spinner } from '@/components/ui/misc';
import { useAuditVerify } from '../api/verify-audit';

export function AuditChainCard({ enabled }: { enabled: boolean }) {
  const verify = useAuditVerify(enabled);
  return (
    <TitledCard title="Audit chain" contentClassName="grid gap-2 text-sm">
      <QueryView query={verify} pending={<Spinner />}>
        {(v) =>
          v.ok ? (
            <p>
              <Badge variant="success">intact</Badge> {v.checked.toLocaleString()} events verified.
            </p>
          ) : (
            <p>
              <Badge variant="destructive">broken</Badge> at #{v.brokenAt?.seq}: {v.brokenAt?.reason}
            </p>
          )
        }
      </QueryView>
      <Link to="/admin/audit" className="text-brand-text hover:underline">
        Open the global audit log
      </Link>
    </TitledCard>
  );
}
