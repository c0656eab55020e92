// A guest's resource history (Proxmox rrddata): CPU, memory, network and disk I/O over an hour,
// a day or a week. Values are numbers only; nothing from Proxmox becomes markup.
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorAlert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState, Skeleton } from '@/components/ui/misc';
import { Segmented } from '@/components/ui/segmented';
import { formatBytes } from '@/lib/format';
import { type Timeframe, useRrdData } from '../api/get-rrddata';
import type { RrdPoint } from '../types';

const TIMEFRAMES = [
  { value: 'hour', label: 'Hour' },
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
] as const satisfies readonly { value: Timeframe; label: string }[];

const tooltipStyle = {
  background: 'var(--popover)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  color: 'var(--popover-foreground)',
  fontSize: 12,
};
const axisTick = { fontSize: 11, fill: 'var(--muted-foreground)' };

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

function ChartCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card>
      <CardHeader className="pb-1">
        <CardTitle className="text-sm">{title}</CardTitle>
      </CardHeader>
      <CardContent>
        <div className="h-44 w-full">{children}</div>
      </CardContent>
    </Card>
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
  const rows = (rrd.data ?? []).map((p: RrdPoint) => ({
    time: p.time,
    cpu: num(p.cpu) === null ? null : Math.round((num(p.cpu) ?? 0) * 1000) / 10,
    mem: num(p.mem),
    maxmem: num(p.maxmem),
    netin: num(p.netin),
    netout: num(p.netout),
    diskread: num(p.diskread),
    diskwrite: num(p.diskwrite),
  }));

  return (
    <section aria-labelledby="rrd-heading" className="grid gap-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id="rrd-heading" className="text-lg font-semibold">
          Resource history
        </h2>
        <Segmented label="Time range" value={timeframe} options={TIMEFRAMES} onChange={onTimeframe} />
      </div>
      {rrd.isPending ? (
        <div className="grid gap-3 md:grid-cols-2">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-56" />
          ))}
        </div>
      ) : rrd.isError ? (
        <ErrorAlert error={rrd.error} title="Could not load the history" />
      ) : rows.length === 0 ? (
        <EmptyState title="No history yet" />
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          <ChartCard title="CPU (%)">
            <ResponsiveContainer>
              <AreaChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="time" tickFormatter={label} tick={axisTick} minTickGap={32} />
                <YAxis tick={axisTick} domain={[0, 'auto']} />
                <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => label(Number(t))} />
                <Area
                  type="monotone"
                  dataKey="cpu"
                  name="CPU %"
                  stroke="var(--brand)"
                  fill="var(--brand)"
                  fillOpacity={0.2}
                  isAnimationActive={false}
                />
              </AreaChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard title="Memory">
            <ResponsiveContainer>
              <AreaChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="time" tickFormatter={label} tick={axisTick} minTickGap={32} />
                <YAxis tick={axisTick} tickFormatter={(v) => formatBytes(Number(v), 0)} width={64} />
                <Tooltip
                  contentStyle={tooltipStyle}
                  labelFormatter={(t) => label(Number(t))}
                  formatter={(v) => formatBytes(Number(v))}
                />
                <Area
                  type="monotone"
                  dataKey="maxmem"
                  name="Total"
                  stroke="var(--muted-foreground)"
                  fill="transparent"
                  isAnimationActive={false}
                />
                <Area
                  type="monotone"
                  dataKey="mem"
                  name="Used"
                  stroke="var(--success)"
                  fill="var(--success)"
                  fillOpacity={0.2}
                  isAnimationActive={false}
                />
              </AreaChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard title="Network (bytes/s)">
            <ResponsiveContainer>
              <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="time" tickFormatter={label} tick={axisTick} minTickGap={32} />
                <YAxis tick={axisTick} tickFormatter={(v) => formatBytes(Number(v), 0)} width={64} />
                <Tooltip
                  contentStyle={tooltipStyle}
                  labelFormatter={(t) => label(Number(t))}
                  formatter={(v) => `${formatBytes(Number(v))}/s`}
                />
                <Line
                  type="monotone"
                  dataKey="netin"
                  name="In"
                  stroke="var(--brand)"
                  dot={false}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="netout"
                  name="Out"
                  stroke="var(--success)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </ChartCard>
          <ChartCard title="Disk I/O (bytes/s)">
            <ResponsiveContainer>
              <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                <XAxis dataKey="time" tickFormatter={label} tick={axisTick} minTickGap={32} />
                <YAxis tick={axisTick} tickFormatter={(v) => formatBytes(Number(v), 0)} width={64} />
                <Tooltip
                  contentStyle={tooltipStyle}
                  labelFormatter={(t) => label(Number(t))}
                  formatter={(v) => `${formatBytes(Number(v))}/s`}
                />
                <Line
                  type="monotone"
                  dataKey="diskread"
                  name="Read"
                  stroke="var(--brand)"
                  dot={false}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="diskwrite"
                  name="Write"
                  stroke="var(--warning)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </ChartCard>
        </div>
      )}
    </section>
  );
}
