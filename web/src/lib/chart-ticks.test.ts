import { describe, expect, it } from 'vitest';
import { niceByteTicks } from './chart-ticks';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('byte axis ticks', () => {
  it('reaches the largest value, labels each tick once and on one line', () => {
    for (const max of [2 * GiB, 2.05 * GiB, 525 * MiB, 1.5 * GiB, 3 * 1024, 900, 7.9 * GiB, 100 * GiB]) {
      const t = niceByteTicks(max);
      expect(t.top).toBeGreaterThanOrEqual(max);
      expect(t.ticks[0]).toBe(0);
      const labels = t.ticks.map(t.format);
      expect(new Set(labels).size, labels.join(' | ')).toBe(labels.length);
      for (const l of labels) expect(l.length, l).toBeLessThanOrEqual(9);
      expect(t.ticks.length).toBeGreaterThanOrEqual(2);
      expect(t.ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it('steps in binary units: 2 GiB of memory reads 0, 512 MiB … 2 GiB', () => {
    const t = niceByteTicks(2 * GiB);
    expect(t.ticks.map(t.format)).toEqual(['0', '512 MiB', '1 GiB', '1.5 GiB', '2 GiB']);
    expect(niceByteTicks(2 * GiB + 1).top).toBeGreaterThan(2 * GiB);
  });
});
