// Every server's hourly figure on one chart, a line per server, for side-by-side comparison.
import { useIntl } from 'react-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartAxisTick, chartLine, chartTooltipStyle } from '@/components/chart-style';
import type { MetricBucket } from '@/features/servers/types';
import { formatTime } from '@/lib/format';
import { mo } from '../messages';

const PALETTE = ['var(--brand)', '#3f88c5', '#2e933c', '#d7263d', '#8e44ad', '#1b998b', '#f2c14e', '#7f8c8d'];

export function ComparisonChart({
  series,
  metric,
  unit,
  height = 260,
}: {
  series: Array<{ id: string; name: string; buckets: MetricBucket[] }>;
  metric: 'successRate' | 'avgResponseTimeMs';
  unit: string;
  height?: number;
}) {
  const t = useIntl().formatMessage;
  // Rows keyed by hour, one column per server id.
  const hours = new Map<string, Record<string, number | string | null>>();
  for (const s of series) {
    for (const b of s.buckets) {
      const row = hours.get(b.start) ?? { hour: b.start };
      const v = b[metric];
      row[s.id] =
        v === null || v === undefined ? null : metric === 'successRate' ? Math.round(v * 1000) / 10 : Math.round(v);
      hours.set(b.start, row);
    }
  }
  const rows = [...hours.values()].sort((a, b) => String(a.hour).localeCompare(String(b.hour)));
  return (
    <div
      style={{ height }}
      className="w-full"
      role="img"
      aria-label={t(metric === 'successRate' ? mo.successChart : mo.responseChart)}
    >
      <ResponsiveContainer>
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="hour" tickFormatter={(h) => formatTime(String(h))} tick={chartAxisTick} minTickGap={24} />
          <YAxis
            unit={unit}
            tick={chartAxisTick}
            width={56}
            {...(metric === 'successRate' ? { domain: [0, 100] } : {})}
          />
          <Tooltip contentStyle={chartTooltipStyle} labelFormatter={(h) => formatTime(String(h))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Line key={s.id} {...chartLine} dataKey={s.id} name={s.name} stroke={PALETTE[i % PALETTE.length]} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
