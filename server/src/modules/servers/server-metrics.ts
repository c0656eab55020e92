// Hourly UTC buckets of connection metrics. Bucketing and the p95 happen here in JS from the
// window's rows: the same arithmetic on both dialects, no time-zone functions in SQL.
import type { ServerMetrics } from '@common/schemas/servers';
import { percentile } from './health-policy';

export const HOUR_MS = 3600_000;

interface MetricSample {
  success: number;
  response_time_ms: number | null;
  created_at: number;
}

type Figures = Omit<ServerMetrics['totals'], never>;

function figures(rows: readonly MetricSample[]): Figures {
  const checks = rows.length;
  const successes = rows.filter((r) => r.success === 1).length;
  // Latency figures describe answered checks; a timeout's duration is the deadline, not the server.
  const times = rows
    .filter((r) => r.success === 1 && r.response_time_ms !== null)
    .map((r) => Number(r.response_time_ms));
  const avg = times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
  const p95 = percentile(times, 95);
  return {
    checks,
    successes,
    successRate: checks ? Math.round((successes / checks) * 10_000) / 10_000 : null,
    avgResponseTimeMs: avg === null ? null : Math.round(avg * 10) / 10,
    p95ResponseTimeMs: p95 === null ? null : Math.round(p95 * 10) / 10,
  };
}

/** The first millisecond of the oldest hour in a window of `hours` hours ending with the current one. */
export function windowStart(now: number, hours: number): number {
  return Math.floor(now / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
}

export function bucketize(
  rows: readonly MetricSample[],
  now: number,
  hours: number,
): Pick<ServerMetrics, 'buckets' | 'totals' | 'from' | 'to'> {
  const from = windowStart(now, hours);
  const byHour = new Map<number, MetricSample[]>();
  for (const r of rows) {
    if (r.created_at < from || r.created_at > now) continue;
    const hour = Math.floor(r.created_at / HOUR_MS) * HOUR_MS;
    let list = byHour.get(hour);
    if (!list) {
      list = [];
      byHour.set(hour, list);
    }
    list.push(r);
  }
  const buckets: ServerMetrics['buckets'] = [];
  for (let i = 0; i < hours; i++) {
    const start = from + i * HOUR_MS;
    buckets.push({ start: new Date(start).toISOString(), ...figures(byHour.get(start) ?? []) });
  }
  const inWindow = rows.filter((r) => r.created_at >= from && r.created_at <= now);
  return { buckets, totals: figures(inWindow), from: new Date(from).toISOString(), to: new Date(now).toISOString() };
}
