// /tenants/:tenantId/settings: the tenant's settings (tenant admins only) and, for those who may,
// deleting the tenant.

import { useIntl } from 'react-intl';
import { Page } from '@/components/page';
import { QueryView } from '@/components/query-view';
import { Skeleton } from '@/components/ui/misc';
import { useTenantSettings } from '@/features/tenants/api/get-tenant';
import { DeleteTenantCard } from '@/features/tenants/components/delete-tenant-card';
import { SettingsForm } from '@/features/tenants/components/settings-form';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { configurationOf, settingsPage } from '@/features/tenants/messages';

export function Component() {
  const tenant = useCurrentTenant();
  const settings = useTenantSettings(tenant.id);
  const t = useIntl().formatMessage;
  return (
    <Page text={settingsPage} description={t(configurationOf, { name: tenant.name })} allowed={tenant.can.update}>
      <QueryView query={settings} pending={<Skeleton className="h-96" />}>
        {(data) => <SettingsForm initial={data} />}
      </QueryView>
      {tenant.can.delete ? <DeleteTenantCard tenant={tenant} /> : null}
    </Page>
  );
}
