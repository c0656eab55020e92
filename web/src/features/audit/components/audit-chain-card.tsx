// The global overview's card on the audit hash chain: intact, or where it breaks.
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { QueryView } from '@/components/query-view';
import { Badge } from '@/components/ui/badge';
import { TitledCard } from '@/components/ui/card';
import { Spinner } from '@/components/ui/misc';
import { useAuditVerify } from '../api/verify-audit';
import { am, chainBrokenAt, chainVerified } from '../messages';

export function AuditChainCard({ enabled }: { enabled: boolean }) {
  const verify = useAuditVerify(enabled);
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(am.chain)} contentClassName="grid gap-2 text-sm">
      <QueryView query={verify} pending={<Spinner />}>
        {(v) =>
          v.ok ? (
            <p>
              <Badge variant="success">{t(am.chainIntact)}</Badge> {t(chainVerified, { count: v.checked })}
            </p>
          ) : (
            <p>
              <Badge variant="destructive">{t(am.chainBroken)}</Badge>{' '}
              {t(chainBrokenAt, { seq: String(v.brokenAt?.seq ?? ''), reason: v.brokenAt?.reason ?? '' })}
            </p>
          )
        }
      </QueryView>
      <Link to="/admin/audit" className="text-brand-text hover:underline">
        {t(am.openGlobal)}
      </Link>
    </TitledCard>
  );
}
