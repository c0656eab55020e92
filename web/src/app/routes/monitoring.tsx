// /tenants/:tenantId/monitoring: every server's health history side by side, with health alerts
// (banners here; toasts anywhere in the tenant, from the event stream).
import { Activity } from 'lucide-react';
import { Link } from 'react-router';
import { Alert, ErrorAlert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState, PageHeader, Skeleton } from '@/components/ui/misc';
import { ComparisonChart } from '@/features/monitoring/components/comparison-chart';
import { LiveIndicator } from '@/features/realtime/components/live-indicator';
import { useAllServerMetrics } from '@/features/servers/api/get-server-metrics';
import { useServers } from '@/features/servers/api/get-servers';
import { MetricsChart } from '@/features/servers/components/server-metrics-chart';
import { ServerProblemBanners, ServerStatusBadge } from '@/features/servers/components/server-status';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { isApiError } from '@/lib/api-client';
import { formatMs, formatPercent } from '@/lib/format';

export function Component() {
  const tenant = useCurrentTenant();
  const servers = useServers(tenant.id);
  const list = (servers.data ?? []).filter((s) => s.isActive);
  const metrics = useAllServerMetrics(
    tenant.id,
    list.map((s) => s.id),
  );
  const series = list.map((s, i) => ({ id: s.id, name: s.name, buckets: metrics[i]?.data ?? [] }));
  const loading = metrics.some((m) => m.isPending);
  const failed = metrics.find((m) => m.isError)?.error;

  return (
    <>
      <PageHeader
        title="Monitoring"
        description="Health of every server over the last 24 hours."
        actions={<LiveIndicator />}
      />
      {servers.isPending ? (
        <Skeleton className="h-96" />
      ) : servers.isError ? (
        isApiError(servers.error) && servers.error.status === 404 ? (
          <Alert>Server monitoring is not available on this Nexus version yet.</Alert>
        ) : (
          <ErrorAlert error={servers.error} />
        )
      ) : list.length === 0 ? (
        <EmptyState
          icon={<Activity />}
          title="Nothing to monitor"
          description="Add servers to see their health here."
        />
      ) : (
        <div className="grid gap-6">
          <ServerProblemBanners tenantId={tenant.id} servers={list} />
          {failed ? <ErrorAlert error={failed} title="Some metrics could not be loaded" /> : null}
          <div className="grid gap-4 xl:grid-cols-2">
            <Card>
              <CardHeader>
                <CardTitle>Average response time</CardTitle>
              </CardHeader>
              <CardContent>
                {loading ? (
                  <Skeleton className="h-64" />
                ) : (
                  <ComparisonChart series={series} metric="avgResponseTimeMs" unit=" ms" />
                )}
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Success rate</CardTitle>
              </CardHeader>
              <CardContent>
                {loading ? (
                  <Skeleton className="h-64" />
                ) : (
                  <ComparisonChart series={series} metric="successRate" unit="%" />
                )}
              </CardContent>
            </Card>
          </div>
          <section aria-labelledby="per-server" className="grid gap-3">
            <h2 id="per-server" className="text-lg font-semibold">
              Per server
            </h2>
            <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
              {list.map((s, i) => (
                <Card key={s.id} data-testid="monitoring-server">
                  <CardHeader className="pb-1">
                    <div className="flex items-center justify-between gap-2">
                      <CardTitle className="truncate text-sm">
                        <Link to={`/tenants/${tenant.id}/servers/${s.id}`} className="hover:underline">
                          {s.name}
                        </Link>
                      </CardTitle>
                      <ServerStatusBadge status={s.status} />
                    </div>
                    <p className="text-xs text-muted-foreground">
                      {formatMs(s.avgResponseTimeMs)} avg · {formatPercent(s.successRate, 1)} success
                    </p>
                  </CardHeader>
                  <CardContent>
                    {metrics[i]?.data ? (
                      <MetricsChart buckets={metrics[i].data} height={150} />
                    ) : (
                      <Skeleton className="h-36" />
                    )}
                  </CardContent>
                </Card>
              ))}
            </div>
          </section>
        </div>
      )}
    </>
  );
}
