// Resource history from Proxmox's `rrddata`: each point validated (only known figures, finite
// numbers), sorted by time, and reduced to at most `maxPoints` buckets so charts stay light.
import type { RrdPoint } from '@common/schemas/vms';
import { num } from './guest-normalize';

const FIELDS = [
  'cpu',
  'maxcpu',
  'mem',
  'maxmem',
  'disk',
  'maxdisk',
  'netin',
  'netout',
  'diskread',
  'diskwrite',
] as const;
type Field = (typeof FIELDS)[number];

/** Points of one series; entries without a valid time are dropped, duplicates keep the first. */
export function normalizeRrd(raw: unknown): RrdPoint[] {
  if (!Array.isArray(raw)) return [];
  const out: RrdPoint[] = [];
  const seen = new Set<number>();
  for (const entry of raw.slice(0, 5000)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const time = num(e.time);
    if (time === null || !Number.isInteger(time) || time < 0 || seen.has(time)) continue;
    seen.add(time);
    const point = { time } as RrdPoint;
    for (const f of FIELDS) point[f] = num(e[f]);
    out.push(point);
  }
  return out.sort((a, b) => a.time - b.time);
}

/**
 * Buckets of consecutive points → one point each (time of the bucket's last point; each figure
 * averaged, or maxed for the MAX series, over the points that have it).
 */
export function downsample(points: RrdPoint[], maxPoints: number, cf: 'AVERAGE' | 'MAX'): RrdPoint[] {
  if (points.length <= maxPoints) return points;
  const out: RrdPoint[] = [];
  const size = points.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const bucket = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    const last = bucket.at(-1);
    if (!last) continue;
    const point = { time: last.time } as RrdPoint;
    for (const f of FIELDS) point[f] = combine(bucket, f, cf);
    out.push(point);
  }
  return out;
}

function combine(bucket: RrdPoint[], f: Field, cf: 'AVERAGE' | 'MAX'): number | null {
  let count = 0;
  let acc = cf === 'MAX' ? Number.NEGATIVE_INFINITY : 0;
  for (const p of bucket) {
    const v = p[f];
    if (v === null) continue;
    count++;
    acc = cf === 'MAX' ? Math.max(acc, v) : acc + v;
  }
  if (count === 0) return null;
  return cf === 'MAX' ? acc : acc / count;
}
