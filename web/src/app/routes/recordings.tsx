// /tenants/:tenantId/recordings: the tenant's recorded consoles (members see their own).
import { useIntl } from 'react-intl';
import { Page } from '@/components/page';
import { RecordingsTable } from '@/features/recordings/components/recordings-table';
import { m, recordingsPage } from '@/features/recordings/messages';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const t = useIntl().formatMessage;
  return (
    <Page text={recordingsPage} description={t(tenant.can.update ? m.pageAll : m.pageOwn)}>
      <RecordingsTable tenantId={tenant.id} />
    </Page>
  );
}
