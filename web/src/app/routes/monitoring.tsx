// /tenants/:tenantId/monitoring: every server's health history side by side, with health alerts
// (banners here; toasts anywhere in the tenant, from the event stream).
import { Activity } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Page } from '@/components/page';
import { QueryView } from '@/components/query-view';
import { Alert } from '@/components/ui/alert';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { MonitoringOverview } from '@/features/monitoring/components/monitoring-overview';
import { mo } from '@/features/monitoring/messages';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useServers } from '@/features/servers/api/get-servers';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const servers = useServers(tenant.id);
  const t = useIntl().formatMessage;
  return (
    <Page text={mo} actions={<LiveIndicator />}>
      <QueryView
        query={servers}
        pending={<Skeleton className="h-96" />}
        notFound={<Alert>{t(mo.unavailable)}</Alert>}
        isEmpty={(list) => !list.some((s) => s.isActive)}
        empty={<EmptyState icon={<Activity />} title={t(mo.nothing)} description={t(mo.nothingHint)} />}
      >
        {(list) => <MonitoringOverview tenantId={tenant.id} servers={list.filter((s) => s.isActive)} />}
      </QueryView>
    </Page>
  );
}
