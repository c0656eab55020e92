// 24 h health chart of one server: success rate (area) and average response time (line) per hour.
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartAxisTick, chartTooltipStyle } from '@/components/chart-style';
import { ErrorAlert } from '@/components/ui/alert';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { isApiError } from '@/lib/api-client';
import { formatTime } from '@/lib/format';
import { useServerMetrics } from '../api/get-server-metrics';
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
  const rows = chartRows(buckets);
  if (rows.every((r) => r.checks === 0))
    return <EmptyState title="No checks yet" description="Health checks appear here hour by hour." />;
  return (
    <div
      style={{ height }}
      className="w-full"
      role="img"
      aria-label="Success rate and response time over the last 24 hours"
    >
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="hour" tick={chartAxisTick} interval="preserveStartEnd" minTickGap={24} />
          <YAxis yAxisId="rate" domain={[0, 100]} unit="%" tick={chartAxisTick} width={48} />
          <YAxis yAxisId="ms" orientation="right" unit=" ms" tick={chartAxisTick} width={60} />
          <Tooltip contentStyle={chartTooltipStyle} />
          <Area
            yAxisId="rate"
            type="monotone"
            dataKey="successRate"
            name="Success rate (%)"
            stroke="var(--success)"
            fill="var(--success)"
            fillOpacity={0.15}
            dot={{ r: 2 }}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            yAxisId="ms"
            type="monotone"
            dataKey="avgMs"
            name="Avg response (ms)"
            stroke="var(--brand)"
            dot={false}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
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
  if (metrics.isPending) return <Skeleton style={{ height: height ?? 220 }} />;
  if (metrics.isError) {
    return isApiError(metrics.error) && metrics.error.status === 404 ? (
      <EmptyState title="No metrics yet" />
    ) : (
      <ErrorAlert error={metrics.error} title="Could not load metrics" />
    );
  }
  return <MetricsChart buckets={metrics.data} {...(height ? { height } : {})} />;
}
