import { describe, expect, it } from 'vitest';
import { downsample, normalizeRrd } from './rrd';

describe('rrd', () => {
  const raw: unknown[] = Array.from({ length: 70 }, (_, i) => ({
    time: 1000 + i * 60,
    cpu: i % 2,
    mem: 'x',
    netin: i,
  }));
  it('validates and downsamples by bucket', () => {
    const points = normalizeRrd([...raw].reverse().concat([{ time: -1 }, { cpu: 1 }, null]));
    expect(points).toHaveLength(70);
    expect(points[0]?.time).toBe(1000);
    expect(points[0]?.mem).toBeNull();
    const avg = downsample(points, 10, 'AVERAGE');
    expect(avg).toHaveLength(10);
    expect(avg[0]).toMatchObject({ time: 1000 + 6 * 60, cpu: 3 / 7, netin: 3 });
    const max = downsample(points, 10, 'MAX');
    expect(max[0]).toMatchObject({ cpu: 1, netin: 6 });
    expect(downsample(points, 100, 'AVERAGE')).toBe(points);
  });
});
