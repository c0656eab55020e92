import { describe, expect, it } from 'vitest';
import { bucketize, HOUR_MS, windowStart } from './server-metrics';

describe('metrics buckets', () => {
  const now = Date.UTC(2026, 10, 28, 12, 30);

  it('makes one UTC hour per bucket, oldest first, empty hours included', () => {
    const { buckets, from } = bucketize([], now, 3);
    expect(buckets.map((b) => b.start)).toEqual([
      '2026-11-28T10:00:00.000Z',
      '2026-11-28T11:00:00.000Z',
      '2026-11-28T12:00:00.000Z',
    ]);
    expect(from).toBe('2026-11-28T10:00:00.000Z');
    expect(buckets[0]).toMatchObject({ checks: 0, successRate: null, avgResponseTimeMs: null });
    expect(windowStart(now, 24)).toBe(Date.UTC(2026, 10, 27, 13));
  });

  it('counts checks, successes, average and p95 of answered checks', () => {
    const at = Date.UTC(2026, 10, 28, 11, 5);
    const rows = [
      ...Array.from({ length: 19 }, (_, i) => ({ success: 1, response_time_ms: 10 + i, created_at: at + i })),
      { success: 1, response_time_ms: 500, created_at: at + 30 },
      { success: 0, response_time_ms: 5000, created_at: at + 40 },
      { success: 1, response_time_ms: 20, created_at: now - 60_000 },
      { success: 1, response_time_ms: 99, created_at: windowStart(now, 2) - 1 }, // outside
    ];
    const { buckets, totals } = bucketize(rows, now, 2);
    expect(buckets[0]).toMatchObject({ checks: 21, successes: 20, successRate: 0.9524, p95ResponseTimeMs: 28 });
    expect(buckets[0]?.avgResponseTimeMs).toBe(43.1); // (10 + … + 28 + 500) / 20
    expect(buckets[1]).toMatchObject({ checks: 1, successes: 1, successRate: 1, avgResponseTimeMs: 20 });
    expect(totals.checks).toBe(22);
    expect(HOUR_MS).toBe(3_600_000);
  });
});
