// The health rules as pure functions: status from a check result, learned timeout, back-off,
// jitter, rolling average, percentiles. The scheduler applies them; unit tests pin them down.
import type { ServerStatus } from '@common/events';

export const FAILURE_THRESHOLD = 3;
export const MIN_TIMEOUT_MS = 1000;
export const LATENCY_SAMPLES = 20;
/** A successful check slower than this (or than half the timeout) counts as degraded. */
export const SLOW_MS = 2000;

export interface CheckOutcome {
  ok: boolean;
  elapsedMs: number;
  /** An error code (proxmox.* or server.credentials_unreadable) when not ok. */
  errorCode: string | null;
}

/** Nearest-rank percentile of `values` (any order); null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** 3 × p95 of recent successful latencies, clamped to [1 s, the server's timeout]. */
export function learnedTimeout(latencies: readonly number[], serverTimeoutMs: number): number {
  const p95 = percentile(latencies, 95);
  if (p95 === null) return serverTimeoutMs;
  return Math.round(Math.min(serverTimeoutMs, Math.max(MIN_TIMEOUT_MS, 3 * p95)));
}

/**
 * What one check says about the server's latency: how long it took when it answered; when it ran
 * into its deadline, the deadline itself (the latency is at least that). Without the second, a
 * server that turns slower than 3 × its old p95 (10 ms → 3.5 s) kept the 1 s deadline for good:
 * every check and list fetch timed out, a server answering well within its configured timeout
 * stayed "offline" (found by the chaos soak). Counted, a few timeouts widen the deadline (×3 each
 * time they reach the p95), up to the configured timeout. Other failures say nothing about latency.
 */
export function latencySample(outcome: CheckOutcome, deadlineMs: number): number | null {
  if (outcome.ok) return outcome.elapsedMs;
  return outcome.errorCode === 'proxmox.timeout' ? deadlineMs : null;
}

export function nextStatus(
  previous: ServerStatus,
  outcome: CheckOutcome,
  consecutiveFailures: number,
  serverTimeoutMs: number,
): ServerStatus {
  if (outcome.ok) {
    return outcome.elapsedMs >= Math.min(SLOW_MS, serverTimeoutMs / 2) ? 'degraded' : 'online';
  }
  switch (outcome.errorCode) {
    case 'proxmox.auth_failed':
    case 'proxmox.permission_denied':
    case 'server.credentials_unreadable':
      return 'auth_error';
    case 'proxmox.tls_mismatch':
    case 'proxmox.tls_error':
      return 'tls_error';
    case 'server.target_refused':
      return 'refused';
  }
  // Below the breaker's threshold a server that was up is only degraded: one lost answer is not an outage.
  if (consecutiveFailures < FAILURE_THRESHOLD && (previous === 'online' || previous === 'degraded')) return 'degraded';
  return 'offline';
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 5 * 60_000 };

/**
 * Delay before the next check. Healthy: the interval ± 10 % jitter (so servers added together
 * drift apart). After FAILURE_THRESHOLD consecutive failures the breaker opens: 5 s, 10 s, 20 s …
 * up to 5 min, never more often than the interval.
 */
export function nextCheckDelay(
  intervalMs: number,
  consecutiveFailures: number,
  random: () => number,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const jittered = intervalMs * (0.9 + 0.2 * random());
  if (consecutiveFailures < FAILURE_THRESHOLD) return Math.round(jittered);
  const exp = Math.min(30, consecutiveFailures - FAILURE_THRESHOLD);
  const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exp);
  return Math.round(Math.max(jittered, delay * (0.9 + 0.2 * random())));
}

/** Exponentially weighted moving average: recent checks count most, old ones fade. */
export function rollingAverage(previous: number | null, sample: number, alpha = 0.3): number {
  const next = previous === null ? sample : previous + alpha * (sample - previous);
  return Math.round(next * 10) / 10;
}
