import { describe, expect, it } from 'vitest';
import { latencySample, learnedTimeout, nextCheckDelay, nextStatus, percentile, rollingAverage } from './health-policy';

const ok = (elapsedMs: number) => ({ ok: true, elapsedMs, errorCode: null });
const fail = (errorCode: string) => ({ ok: false, elapsedMs: 10, errorCode });

describe('health policy', () => {
  it('computes nearest-rank percentiles', () => {
    expect(percentile([], 95)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    expect(
      percentile(
        [...Array(100).keys()].map((i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(percentile([10, 1, 3, 2], 50)).toBe(2);
  });

  it('learns a timeout of 3 × p95 clamped to [1 s, server timeout]', () => {
    expect(learnedTimeout([], 10_000)).toBe(10_000);
    expect(learnedTimeout([10, 20, 30], 10_000)).toBe(1000);
    expect(learnedTimeout([900, 1000, 1100], 10_000)).toBe(3300);
    expect(learnedTimeout([3000, 3100], 5000)).toBe(5000);
  });

  it('counts a timeout as a latency of at least the deadline, so a server that slowed down is reached again', () => {
    expect(latencySample(ok(42), 1000)).toBe(42);
    expect(latencySample(fail('proxmox.timeout'), 1000)).toBe(1000);
    expect(latencySample(fail('proxmox.unreachable'), 1000)).toBeNull();
    // 20 fast checks, then the server answers in 3.5 s; its configured timeout is 5 s.
    const samples = Array.from({ length: 20 }, () => 10);
    let answered = -1;
    for (let check = 0; check < 10 && answered < 0; check++) {
      const deadline = learnedTimeout(samples, 5000);
      const outcome = deadline >= 3500 ? ok(3500) : fail('proxmox.timeout');
      if (outcome.ok) answered = check;
      const sample = latencySample(outcome, deadline);
      if (sample !== null) samples.push(sample);
      samples.splice(0, Math.max(0, samples.length - 20));
    }
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(5);
  });

  it('derives the status from the outcome', () => {
    expect(nextStatus('unknown', ok(50), 0, 10_000)).toBe('online');
    expect(nextStatus('online', ok(2500), 0, 10_000)).toBe('degraded');
    expect(nextStatus('online', ok(600), 0, 1000)).toBe('degraded');
    expect(nextStatus('online', fail('proxmox.auth_failed'), 1, 10_000)).toBe('auth_error');
    expect(nextStatus('online', fail('proxmox.tls_mismatch'), 1, 10_000)).toBe('tls_error');
    expect(nextStatus('online', fail('server.target_refused'), 1, 10_000)).toBe('refused');
    expect(nextStatus('online', fail('proxmox.timeout'), 1, 10_000)).toBe('degraded');
    expect(nextStatus('degraded', fail('proxmox.timeout'), 3, 10_000)).toBe('offline');
    expect(nextStatus('unknown', fail('proxmox.unreachable'), 1, 10_000)).toBe('offline');
  });

  it('backs off after three failures, from 5 s to 5 min, never faster than the interval', () => {
    const mid = () => 0.5;
    expect(nextCheckDelay(30_000, 0, mid)).toBe(30_000);
    expect(nextCheckDelay(1000, 2, mid)).toBe(1000);
    expect(nextCheckDelay(1000, 3, mid)).toBe(5000);
    expect(nextCheckDelay(1000, 4, mid)).toBe(10_000);
    expect(nextCheckDelay(1000, 20, mid)).toBe(300_000);
    expect(nextCheckDelay(30_000, 3, mid)).toBe(30_000);
    const low = nextCheckDelay(30_000, 0, () => 0);
    const high = nextCheckDelay(30_000, 0, () => 0.999);
    expect(low).toBe(27_000);
    expect(high).toBeGreaterThan(32_900);
  });

  it('keeps a rolling average', () => {
    expect(rollingAverage(null, 100)).toBe(100);
    expect(rollingAverage(100, 200)).toBe(130);
  });
});
