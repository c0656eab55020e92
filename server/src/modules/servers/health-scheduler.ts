// Health checks: every active server gets `GET /version` on its tenant's interval (jittered),
// with a learned deadline, a circuit breaker with back-off, and a metrics row per check. Each
// check runs on its own with its own deadline, so a slow or dead server never delays the others.
// `shouldRun` is the seam for running on one instance only (issue 9: advisory lock / lease).

import { performance } from 'node:perf_hooks';
import type { ServerStatus } from '@common/events';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { lockNamed } from '../../db/tx';
import { isAppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { type ProxmoxCallEvent, PveVersion } from '../../proxmox';
import type { EventHub } from '../../realtime/hub';
import { type AuditService, SYSTEM_CONTEXT } from '../audit/audit.service';
import {
  type BackoffOptions,
  DEFAULT_BACKOFF,
  LATENCY_SAMPLES,
  latencySample,
  learnedTimeout,
  nextCheckDelay,
  nextStatus,
  rollingAverage,
} from './health-policy';
import { endpointKey, type ServerConnector } from './server-connector';
import { metricRow, type ServerRow, type ServersRepo } from './servers.repo';

const DAY_MS = 24 * 3600_000;

export interface HealthSchedulerOptions {
  /** How often due servers are looked for. */
  tickMs: number;
  /** Checks running at once, across all tenants. */
  concurrency: number;
  /** Fixed interval for every tenant (tests); default: each tenant's healthCheckIntervalSeconds. */
  intervalMs: number | null;
  backoff: BackoffOptions;
  /** Gate for each tick: false = another instance is in charge. */
  shouldRun: () => boolean | Promise<boolean>;
  pruneEveryMs: number;
  retentionDays: number;
  random: () => number;
}

export const DEFAULT_HEALTH_OPTIONS: HealthSchedulerOptions = {
  tickMs: 1000,
  concurrency: 32,
  intervalMs: null,
  backoff: DEFAULT_BACKOFF,
  shouldRun: () => true,
  pruneEveryMs: 3600_000,
  retentionDays: 30,
  random: Math.random,
};

export interface CheckResult {
  ok: boolean;
  elapsedMs: number;
  errorCode: string | null;
  error: string | null;
  tlsMismatch: { expected: string | null; actual: string | null } | null;
}

export interface HealthDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  repo: ServersRepo;
  connector: ServerConnector;
  settings: (tenantId: string) => Promise<{ healthCheckIntervalSeconds: number }>;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  log: Logger;
}

export class HealthScheduler {
  readonly opts: HealthSchedulerOptions;
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly latencies = new Map<string, number[]>();
  private abort = new AbortController();
  private ticking = false;
  private stopped = false;
  /** Counts for operators and tests. */
  readonly stats = { checks: 0, failures: 0, credentialErrors: 0 };

  constructor(
    private readonly deps: HealthDeps,
    opts: Partial<HealthSchedulerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_HEALTH_OPTIONS, ...opts };
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs);
    this.timer.unref();
    const prune = () => void this.prune().catch((err) => this.deps.log.warn({ err }, 'metrics pruning failed'));
    this.pruneTimer = setInterval(prune, this.opts.pruneEveryMs);
    this.pruneTimer.unref();
    prune();
    void this.tick();
  }

  /** Stops ticking, cancels running checks and waits for them (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.timer = null;
    this.pruneTimer = null;
    this.abort.abort(new Error('scheduler stopped'));
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Forget what was learned about a server (its address, token or TLS settings changed). */
  forget(serverId: string): void {
    this.latencies.delete(serverId);
  }

  /** Starts a check for every due server not already being checked; returns at once. */
  async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      if (!(await this.opts.shouldRun())) return;
      const free = this.opts.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const due = await this.deps.repo.due(this.deps.db, this.deps.clock.now(), free + this.inFlight.size);
      let started = 0;
      for (const row of due) {
        if (started >= free) break;
        if (this.inFlight.has(row.id)) continue;
        started++;
        const p = this.check(row)
          .catch((err) => this.deps.log.error({ err, serverId: row.id }, 'health check failed unexpectedly'))
          .finally(() => this.inFlight.delete(row.id));
        this.inFlight.set(row.id, p);
      }
    } catch (err) {
      if (!this.stopped) this.deps.log.warn({ err }, 'health scheduler tick failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Resolves when no check is running (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private async samplesFor(row: ServerRow): Promise<number[]> {
    let samples = this.latencies.get(row.id);
    if (!samples) {
      samples = (await this.deps.repo.recentLatencies(this.deps.db, row.id, LATENCY_SAMPLES)).reverse();
      this.latencies.set(row.id, samples);
    }
    return samples;
  }

  /** One check of one server: probe, then record. */
  async check(row: ServerRow): Promise<void> {
    const samples = await this.samplesFor(row);
    const timeoutMs = learnedTimeout(samples, row.connection_timeout_ms);
    const started = performance.now();
    let result: CheckResult;
    try {
      const conn = await this.deps.connector.connect(row);
      const res = await conn.request(
        'GET',
        '/version',
        {},
        {
          timeoutMs,
          signal: this.abort.signal,
          schema: PveVersion,
          metric: false,
        },
      );
      result = { ok: true, elapsedMs: res.elapsedMs, errorCode: null, error: null, tlsMismatch: null };
    } catch (err) {
      if (this.stopped) return;
      result = failureOf(err, performance.now() - started);
      if (result.errorCode === 'server.credentials_unreadable') {
        this.stats.credentialErrors++;
        this.deps.log.error({ serverId: row.id, tenantId: row.tenant_id }, 'cannot decrypt a server token');
      }
    }
    if (this.stopped) return;
    const sample = latencySample(result, timeoutMs);
    if (sample !== null) {
      samples.push(sample);
      if (samples.length > LATENCY_SAMPLES) samples.splice(0, samples.length - LATENCY_SAMPLES);
    }
    // What the next calls get (list fetches read it from the row), already widened by a timeout.
    await this.record(row, result, learnedTimeout(samples, row.connection_timeout_ms));
  }

  private async intervalMs(tenantId: string): Promise<number> {
    if (this.opts.intervalMs !== null) return this.opts.intervalMs;
    return (await this.deps.settings(tenantId)).healthCheckIntervalSeconds * 1000;
  }

  /**
   * Writes a check's outcome: a metrics row, the server's status and figures, the next check
   * time, and (on entering tls_error by a pin mismatch) the audit row — then the events.
   * Results for a server edited meanwhile are dropped: they describe the old settings.
   */
  async record(row: ServerRow, result: CheckResult, timeoutMs: number | null = null): Promise<ServerStatus | null> {
    const { db, dialect, repo, clock } = this.deps;
    const interval = await this.intervalMs(row.tenant_id);
    const now = clock.now();
    const applied = await db.transaction().execute(async (trx) => {
      await lockNamed(trx, dialect, `server-health:${row.id}`);
      const current = await repo.findById(trx, row.id);
      if (!current || current.updated_at !== row.updated_at) return null;
      await repo.insertMetrics(trx, [metricRow({ tenantId: row.tenant_id, serverId: row.id }, 'health', result, now)]);
      const failures = result.ok ? 0 : current.consecutive_failures + 1;
      const from = current.connection_status as ServerStatus;
      const to = nextStatus(from, result, failures, current.connection_timeout_ms);
      const counts = await repo.successCounts(trx, row.id, 'health', now - DAY_MS);
      const samples = this.latencies.get(row.id) ?? [];
      const patch = {
        connection_status: to,
        last_health_check_at: now,
        health_check_error: result.ok ? null : result.error,
        avg_response_time_ms: result.ok
          ? rollingAverage(current.avg_response_time_ms, result.elapsedMs)
          : current.avg_response_time_ms,
        success_rate: counts.n > 0 ? counts.ok / counts.n : null,
        learned_timeout_ms: timeoutMs ?? learnedTimeout(samples, current.connection_timeout_ms),
        consecutive_failures: failures,
        next_check_at: now + nextCheckDelay(interval, failures, this.opts.random, this.opts.backoff),
        status_changed_at: from !== to ? now : current.status_changed_at,
        // /version answered in Proxmox's shape with the token accepted: this endpoint is Proxmox.
        ...(result.ok ? { verified_at: now, verified_endpoint: endpointKey(current) } : {}),
      };
      await repo.setHealth(trx, row.id, patch);
      const mismatchAudited = from !== 'tls_error' && to === 'tls_error' && result.tlsMismatch !== null;
      if (mismatchAudited && result.tlsMismatch) await this.auditMismatch(trx, current, result.tlsMismatch);
      return { from, to, patch, mismatchAudited };
    });
    this.stats.checks++;
    if (!result.ok) this.stats.failures++;
    if (!applied) return null;
    const at = new Date(now).toISOString();
    const { from, to, patch } = applied;
    const { hub } = this.deps;
    await hub.publishTenant({
      type: 'server.health',
      tenantId: row.tenant_id,
      at,
      serverId: row.id,
      status: to,
      ok: result.ok,
      responseTimeMs: result.ok ? Math.round(result.elapsedMs * 10) / 10 : null,
      avgResponseTimeMs: patch.avg_response_time_ms,
      successRate: patch.success_rate,
      error: result.error,
    });
    if (from !== to) {
      await hub.publishTenant({
        type: 'server.status_changed',
        tenantId: row.tenant_id,
        at,
        serverId: row.id,
        name: row.name,
        from,
        to,
        error: result.error,
      });
    }
    if (applied.mismatchAudited && result.tlsMismatch) await this.publishMismatch(row, result.tlsMismatch, at);
    return to;
  }

  /**
   * A pin mismatch seen by any Proxmox call (inventory, console, test): status tls_error, one
   * audit row and the events — once, however many calls fail the same way.
   */
  async onTlsMismatch(event: ProxmoxCallEvent): Promise<void> {
    const mismatch = event.tlsMismatch;
    if (!mismatch) return;
    const { db, dialect, repo, clock } = this.deps;
    const now = clock.now();
    const changed = await db.transaction().execute(async (trx) => {
      await lockNamed(trx, dialect, `server-health:${event.serverId}`);
      const current = await repo.find(trx, event.tenantId, event.serverId);
      if (!current) return null;
      const error = 'The server presented a certificate that does not match the pinned fingerprint';
      if (!(await repo.markTlsError(trx, event.tenantId, event.serverId, error, now))) return null;
      await this.auditMismatch(trx, current, mismatch);
      return current;
    });
    if (!changed) return;
    const at = new Date(now).toISOString();
    await this.deps.hub.publishTenant({
      type: 'server.status_changed',
      tenantId: changed.tenant_id,
      at,
      serverId: changed.id,
      name: changed.name,
      from: changed.connection_status as ServerStatus,
      to: 'tls_error',
      error: 'The server presented a certificate that does not match the pinned fingerprint',
    });
    await this.publishMismatch(changed, mismatch, at);
  }

  private async auditMismatch(
    trx: Parameters<AuditService['record']>[0],
    row: ServerRow,
    mismatch: { expected: string | null; actual: string | null },
  ): Promise<void> {
    await this.deps.audit.record(trx, SYSTEM_CONTEXT, {
      tenantId: row.tenant_id,
      action: 'server.tls_mismatch',
      targetType: 'server',
      targetId: row.id,
      result: 'failure',
      details: {
        name: row.name,
        host: row.host,
        port: row.port,
        pinned: mismatch.expected,
        presented: mismatch.actual,
      },
    });
  }

  private async publishMismatch(
    row: ServerRow,
    mismatch: { expected: string | null; actual: string | null },
    at: string,
  ): Promise<void> {
    await this.deps.hub.publishTenant({
      type: 'server.tls_mismatch',
      tenantId: row.tenant_id,
      at,
      serverId: row.id,
      name: row.name,
      expected: mismatch.expected,
      actual: mismatch.actual,
    });
  }

  /** Deletes metrics older than the retention period, in batches. */
  async prune(): Promise<number> {
    if (!(await this.opts.shouldRun())) return 0;
    const before = this.deps.clock.now() - this.opts.retentionDays * DAY_MS;
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const n = await this.deps.repo.pruneMetrics(this.deps.db, before, 5000);
      total += n;
      if (n < 5000) break;
    }
    if (total > 0) this.deps.log.info({ deleted: total }, 'pruned old connection metrics');
    return total;
  }
}

export function failureOf(err: unknown, elapsedMs: number): CheckResult {
  if (isAppError(err)) {
    const d = (err.details ?? {}) as { expected?: string | null; actual?: string | null };
    return {
      ok: false,
      elapsedMs,
      errorCode: err.code,
      error: err.message,
      tlsMismatch:
        err.code === 'proxmox.tls_mismatch' ? { expected: d.expected ?? null, actual: d.actual ?? null } : null,
    };
  }
  return { ok: false, elapsedMs, errorCode: 'proxmox.error', error: 'Unexpected failure', tlsMismatch: null };
}
