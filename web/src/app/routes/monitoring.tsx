// /tenants/:tenantId/monitoring: every server's health history side by side, with health alerts
// (banners here; toasts anywhere in the tenant, from the event stream).
import { Activity } from 'lucide-react';
import { QueryView } from '@/components/query-view';
import { Alert } from '@/components/ui/alert';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { MonitoringOverview } from '@/features/monitoring/components/monitoring-overview';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useServers } from '@/features/servers/api/get-servers';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';

export function Component() {
  const tenant = useCurrentTenant();
  const servers = useServers(tenant.id);
  return (
    <>
      <PageHeader
        title="Monitoring"
        description="Health of every server over the last 24 hours."
        actions={<LiveIndicator />}
      />
      <QueryView
        query={servers}
        pending={<Skeleton className="h-96" />}
        notFound={<Alert>Server monitoring is not available on this Nexus version yet.</Alert>}
        isEmpty={(list) => !list.some((s) => s.isActive)}
        empty={
          <EmptyState
            icon={<Activity />}
            title="Nothing to monitor"
            description="Add servers to see their health here."
          />
        }
      >
        {(list) => <MonitoringOverview tenantId={tenant.id} servers={list.filter((s) => s.isActive)} />}
      </QueryView>
    </>
  );
}
