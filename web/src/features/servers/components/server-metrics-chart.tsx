// 24 h health chart of one server: success rate (area) and average response time (line) per hour.

import { useIntl } from 'react-intl';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartAxisTick, chartLine, chartSeries, chartTooltipStyle } from '@/components/chart-style';
import { ErrorAlert } from '@/components/ui/alert';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { isApiError } from '@/lib/api-client';
import { formatTime } from '@/lib/format';
import { useServerMetrics } from '../api/get-server-metrics';
import { m } from '../messages';
import type { MetricBucket } from '../types';

export function chartRows(buckets: MetricBucket[]) {
  return buckets.map((b) => ({
    hour: formatTime(b.start),
    successRate: b.successRate === null ? null : Math.round(b.successRate * 1000) / 10,
    avgMs: b.avgResponseTimeMs === null ? null : Math.round(b.avgResponseTimeMs),
    checks: b.checks,
  }));
}

export function MetricsChart({ buckets, height = 220 }: { buckets: MetricBucket[]; height?: number }) {
  const t = useIntl().formatMessage;
  const rows = chartRows(buckets);
  if (rows.every((r) => r.checks === 0))
    return <EmptyState title={t(m.noChecks)} description={t(m.noChecksDescription)} />;
  return (
    <div style={{ height }} className="w-full" role="img" aria-label={t(m.chartLabel)}>
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="hour" tick={chartAxisTick} interval="preserveStartEnd" minTickGap={24} />
          <YAxis yAxisId="rate" domain={[0, 100]} unit="%" tick={chartAxisTick} width={48} />
          <YAxis yAxisId="ms" orientation="right" unit=" ms" tick={chartAxisTick} width={60} />
          <Tooltip contentStyle={chartTooltipStyle} />
          <Area
            yAxisId="rate"
            {...chartSeries}
            dataKey="successRate"
            name={t(m.seriesSuccess)}
            stroke="var(--success)"
            fill="var(--success)"
            fillOpacity={0.15}
            dot={{ r: 2 }}
          />
          <Line yAxisId="ms" {...chartLine} dataKey="avgMs" name={t(m.seriesResponse)} stroke="var(--brand)" />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ServerMetricsChart({
  tenantId,
  serverId,
  height,
}: {
  tenantId: string;
  serverId: string;
  height?: number;
}) {
  const metrics = useServerMetrics(tenantId, serverId, 24);
  const t = useIntl().formatMessage;
  if (metrics.isPending) return <Skeleton style={{ height: height ?? 220 }} />;
  if (metrics.isError) {
    return isApiError(metrics.error) && metrics.error.status === 404 ? (
      <EmptyState title={t(m.noMetrics)} />
    ) : (
      <ErrorAlert error={metrics.error} title={t(m.metricsFailed)} />
    );
  }
  return <MetricsChart buckets={metrics.data} {...(height ? { height } : {})} />;
}
