// Every active server's health history side by side: comparison charts of response time and
// success rate, then a small chart per server.
import type { ComponentProps } from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader, CardTitle, TitledCard } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/misc';
import { useAllServerMetrics } from '@/features/servers/api/get-server-metrics';
import { MetricsChart } from '@/features/servers/components/server-metrics-chart';
import { ServerProblemBanners, ServerStatusBadge } from '@/features/servers/components/server-status';
import type { ProxmoxServer } from '@/features/servers/types';
import { formatMs, formatPercent } from '@/lib/format';
import { answered, mo, now } from '../messages';
import { ComparisonChart } from './comparison-chart';

function ComparisonCard({
  title,
  loading,
  ...chart
}: ComponentProps<typeof ComparisonChart> & { title: string; loading: boolean }) {
  return (
    <TitledCard title={title}>{loading ? <Skeleton className="h-64" /> : <ComparisonChart {...chart} />}</TitledCard>
  );
}

export function MonitoringOverview({ tenantId, servers }: { tenantId: string; servers: ProxmoxServer[] }) {
  const metrics = useAllServerMetrics(
    tenantId,
    servers.map((s) => s.id),
  );
  const series = servers.map((s, i) => ({ id: s.id, name: s.name, buckets: metrics[i]?.data ?? [] }));
  const loading = metrics.some((m) => m.isPending);
  const failed = metrics.find((m) => m.isError)?.error;
  const t = useIntl().formatMessage;

  return (
    <div className="grid gap-6">
      <ServerProblemBanners tenantId={tenantId} servers={servers} />
      {failed ? <ErrorAlert error={failed} title={t(mo.someFailed)} /> : null}
      <div className="grid gap-4 xl:grid-cols-2">
        <ComparisonCard
          title={t(mo.avgResponse)}
          loading={loading}
          series={series}
          metric="avgResponseTimeMs"
          unit=" ms"
        />
        <ComparisonCard title={t(mo.successRate)} loading={loading} series={series} metric="successRate" unit="%" />
      </div>
      <section aria-labelledby="per-server" className="grid gap-3">
        <h2 id="per-server" className="text-lg font-semibold">
          {t(mo.perServer)}
        </h2>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {servers.map((s, i) => (
            <Card key={s.id} data-testid="monitoring-server">
              <CardHeader className="pb-1">
                <div className="flex items-center justify-between gap-2">
                  <CardTitle className="truncate text-sm">
                    <Link to={`/tenants/${tenantId}/servers/${s.id}`} className="hover:underline">
                      {s.name}
                    </Link>
                  </CardTitle>
                  <ServerStatusBadge status={s.status} />
                </div>
                <p className="text-xs text-muted-foreground">
                  <span title={t(mo.rollingAverage)}>{t(now, { time: formatMs(s.avgResponseTimeMs) })}</span> ·{' '}
                  {t(answered, { rate: formatPercent(s.successRate, 1) })}
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
  );
}
