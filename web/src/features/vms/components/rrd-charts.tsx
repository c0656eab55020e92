// A guest's resource history (Proxmox rrddata): CPU, memory, network and disk I/O over an hour,
// a day or a week. Values are numbers only; nothing from Proxmox becomes markup.
import { type IntlShape, type MessageDescriptor, useIntl } from 'react-intl';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { chartAxisTick, chartTooltipStyle } from '@/components/chart-style';
import { ErrorAlert } from '@/components/ui/alert';
import { TitledCard } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { Segmented } from '@/components/ui/segmented';
import { niceByteTicks } from '@/lib/chart-ticks';
import { formatBytes } from '@/lib/format';
import { type Timeframe, useRrdData } from '../api/get-rrddata';
import { vm } from '../messages';
import type { RrdPoint } from '../types';

const TIMEFRAMES: readonly { value: Timeframe; label: MessageDescriptor }[] = [
  { value: 'hour', label: vm.hour },
  { value: 'day', label: vm.day },
  { value: 'week', label: vm.week },
];

function timeLabel(tf: Timeframe) {
  const fmt = new Intl.DateTimeFormat(
    undefined,
    tf === 'week' ? { weekday: 'short', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
  );
  return (t: number) => fmt.format(new Date(t * 1000));
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function toRow(p: RrdPoint) {
  return {
    time: p.time,
    cpu: num(p.cpu) === null ? null : Math.round((num(p.cpu) ?? 0) * 1000) / 10,
    mem: num(p.mem),
    maxmem: num(p.maxmem),
    netin: num(p.netin),
    netout: num(p.netout),
    diskread: num(p.diskread),
    diskwrite: num(p.diskwrite),
  };
}

type Row = ReturnType<typeof toRow>;

interface Series {
  key: Exclude<keyof Row, 'time'>;
  name: MessageDescriptor;
  colour: string;
  /** Area charts: draw the outline only (a total behind the used part). */
  outline?: boolean;
}

interface ChartSpec {
  title: MessageDescriptor;
  type: 'area' | 'line';
  /** A percentage from 0, a byte amount, or a byte rate. */
  unit: '%' | 'bytes' | 'bytes/s';
  series: Series[];
}

/** A line chart of two byte rates (in and out, read and write). */
function twoRates(
  title: MessageDescriptor,
  a: [Series['key'], MessageDescriptor],
  b: [Series['key'], MessageDescriptor],
): ChartSpec {
  return {
    title,
    type: 'line',
    unit: 'bytes/s',
    series: [
      { key: a[0], name: a[1], colour: 'var(--brand)' },
      { key: b[0], name: b[1], colour: 'var(--chart-2)' },
    ],
  };
}

const CHARTS: ChartSpec[] = [
  {
    title: vm.cpuChart,
    type: 'area',
    unit: '%',
    series: [{ key: 'cpu', name: vm.cpuSeries, colour: 'var(--brand)' }],
  },
  {
    title: vm.memory,
    type: 'area',
    unit: 'bytes',
    series: [
      { key: 'maxmem', name: vm.total, colour: 'var(--muted-foreground)', outline: true },
      { key: 'mem', name: vm.used, colour: 'var(--success)' },
    ],
  },
  twoRates(vm.networkChart, ['netin', vm.netIn], ['netout', vm.netOut]),
  twoRates(vm.diskChart, ['diskread', vm.diskRead], ['diskwrite', vm.diskWrite]),
];

/** One card of the history. */
function HistoryChart({
  title,
  type,
  unit,
  rows,
  label,
  series,
  t,
}: ChartSpec & {
  rows: Row[];
  label(time: number): string;
  t: IntlShape['formatMessage'];
}) {
  const Chart = type === 'area' ? AreaChart : LineChart;
  // Byte axes get binary-unit ticks up to at least the largest value of every series shown.
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => r[s.key] ?? 0)));
  const bytes = unit === '%' ? null : niceByteTicks(max);
  return (
    <TitledCard title={t(title)} headerClassName="pb-1" titleClassName="text-sm">
      <div className="h-44 w-full">
        <ResponsiveContainer>
          <Chart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: unit === '%' ? -16 : 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="time" tickFormatter={label} tick={chartAxisTick} minTickGap={32} />
            {unit === '%' ? (
              <YAxis tick={chartAxisTick} domain={[0, 'auto']} />
            ) : (
              <YAxis
                tick={chartAxisTick}
                ticks={bytes?.ticks}
                domain={[0, bytes?.top ?? 'auto']}
                tickFormatter={(v) => bytes?.format(Number(v)) ?? formatBytes(Number(v))}
                width={72}
                interval={0}
              />
            )}
            <Tooltip
              contentStyle={chartTooltipStyle}
              labelFormatter={(time) => label(Number(time))}
              {...(unit === 'bytes'
                ? { formatter: (v) => formatBytes(Number(v)) }
                : unit === 'bytes/s'
                  ? { formatter: (v) => `${formatBytes(Number(v))}/s` }
                  : {})}
            />
            {series.length > 1 ? (
              <Legend verticalAlign="top" height={20} iconSize={10} wrapperStyle={{ fontSize: 12 }} />
            ) : null}
            {series.map((s) => {
              const drawn = { type: 'monotone', dataKey: s.key, name: t(s.name), stroke: s.colour } as const;
              return type === 'area' ? (
                <Area
                  key={s.key}
                  {...drawn}
                  {...(s.outline ? { fill: 'transparent' } : { fill: s.colour, fillOpacity: 0.2 })}
                  isAnimationActive={false}
                />
              ) : (
                <Line key={s.key} {...drawn} dot={false} isAnimationActive={false} />
              );
            })}
          </Chart>
        </ResponsiveContainer>
      </div>
    </TitledCard>
  );
}

export function RrdCharts({
  tenantId,
  serverId,
  vmid,
  timeframe,
  onTimeframe,
}: {
  tenantId: string;
  serverId: string;
  vmid: number;
  timeframe: Timeframe;
  onTimeframe(t: Timeframe): void;
}) {
  const rrd = useRrdData(tenantId, serverId, vmid, timeframe);
  const label = timeLabel(timeframe);
  const rows = (rrd.data ?? []).map(toRow);
  const t = useIntl().formatMessage;

  return (
    <section aria-labelledby="rrd-heading" className="grid gap-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id="rrd-heading" className="text-lg font-semibold">
          {t(vm.history)}
        </h2>
        <Segmented
          label={t(vm.timeRange)}
          value={timeframe}
          options={TIMEFRAMES.map((o) => ({ value: o.value, label: t(o.label) }))}
          onChange={onTimeframe}
        />
      </div>
      {rrd.isPending ? (
        <div className="grid gap-3 md:grid-cols-2">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-56" />
          ))}
        </div>
      ) : rrd.isError ? (
        <ErrorAlert error={rrd.error} title={t(vm.historyUnavailable)} />
      ) : rows.length === 0 ? (
        <EmptyState title={t(vm.noHistory)} />
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          {CHARTS.map((c) => (
            <HistoryChart key={c.title.id} {...c} rows={rows} label={label} t={t} />
          ))}
        </div>
      )}
    </section>
  );
}
