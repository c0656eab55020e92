// Follows every Proxmox task Nexus started to its end: polls `/nodes/{node}/tasks/{upid}/status`
// with growing pauses, rides out slow or briefly unreachable servers, and hands the outcome to
// `onFinished`. In-memory per instance: a task started on an instance that dies is not followed
// further (its state stays readable through GET …/tasks/:upid).
import type { GuestType } from '@common/schemas/vms';
import { z } from 'zod';
import { isAppError } from '../../lib/app-error';
import type { Logger } from '../../lib/logger';
import { cleanText, type ProxmoxConnection, pvePath } from '../../proxmox';

export interface TaskFollowOptions {
  /** First poll after this long (a power action rarely finishes sooner). */
  firstPollMs: number;
  /** Pauses grow by `factor` up to this. */
  maxPollMs: number;
  factor: number;
  /** Give up after this long (logged; the task may still be read through the API). */
  maxFollowMs: number;
}

export const DEFAULT_TASK_FOLLOW: TaskFollowOptions = {
  firstPollMs: 300,
  maxPollMs: 5_000,
  factor: 1.5,
  maxFollowMs: 30 * 60_000,
};

export interface FollowedTask {
  tenantId: string;
  serverId: string;
  vmid: number | null;
  /** The guest's type, to read its state once the task is done. */
  type: GuestType | null;
  node: string;
  upid: string;
}

export interface TaskOutcome {
  ok: boolean;
  /** `OK`, `WARNINGS: n`, or Proxmox's error text (cleaned, bounded). */
  exitstatus: string;
}

export const PveTaskStatus = z.looseObject({
  status: z.string(),
  exitstatus: z.string().optional(),
  starttime: z.union([z.number(), z.string()]).optional(),
});

/** OK and warnings are success (PVE-API.md). */
export function taskSucceeded(exitstatus: string): boolean {
  return exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus);
}

export interface TaskFollowerDeps {
  connect(tenantId: string, serverId: string): Promise<ProxmoxConnection>;
  onFinished(task: FollowedTask, outcome: TaskOutcome): Promise<void>;
  log: Logger;
}

export class TaskFollower {
  private readonly running = new Map<string, AbortController>();
  private closed = false;

  constructor(
    private readonly deps: TaskFollowerDeps,
    private readonly opts: TaskFollowOptions,
  ) {}

  /** Tasks being followed right now. */
  get active(): number {
    return this.running.size;
  }

  follow(task: FollowedTask): void {
    const key = `${task.serverId}|${task.upid}`;
    if (this.closed || this.running.has(key)) return;
    const aborter = new AbortController();
    this.running.set(key, aborter);
    void this.run(task, aborter.signal)
      .catch((err) => this.deps.log.warn({ err, upid: task.upid }, 'following a Proxmox task failed'))
      .finally(() => this.running.delete(key));
  }

  close(): void {
    this.closed = true;
    for (const aborter of this.running.values()) aborter.abort();
    this.running.clear();
  }

  private async run(task: FollowedTask, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    let pause = this.opts.firstPollMs;
    let lastError: string | null = null;
    let badAnswers = 0;
    while (!signal.aborted) {
      await sleep(pause, signal);
      if (signal.aborted) return;
      pause = Math.min(this.opts.maxPollMs, pause * this.opts.factor);
      try {
        const conn = await this.deps.connect(task.tenantId, task.serverId);
        const status = await conn.get(pvePath`/nodes/${task.node}/tasks/${task.upid}/status`, undefined, {
          schema: PveTaskStatus,
          signal,
        });
        if (status.status === 'stopped') {
          const exitstatus = cleanText(status.exitstatus, 500) || 'unknown';
          await this.deps.onFinished(task, { ok: taskSucceeded(exitstatus), exitstatus });
          return;
        }
        badAnswers = 0;
      } catch (err) {
        if (signal.aborted) return;
        // Server gone or edited away: nothing left to follow.
        if (isAppError(err) && (err.code === 'server.not_found' || err.code === 'server.inactive')) return;
        // `no such task` (400): Proxmox forgot it (node reinstalled, task log rotated).
        if (isAppError(err) && err.code === 'proxmox.error' && statusOf(err.details) === 400) {
          this.deps.log.warn({ upid: task.upid, serverId: task.serverId }, 'Proxmox no longer knows a followed task');
          return;
        }
        lastError = isAppError(err) ? err.code : 'unexpected';
        // A server that keeps answering garbage will not start making sense: give up early.
        badAnswers = lastError === 'proxmox.bad_response' ? badAnswers + 1 : 0;
        if (badAnswers >= 5) {
          this.deps.log.warn(
            { upid: task.upid, serverId: task.serverId },
            'stopped following a task: the server answers garbage',
          );
          return;
        }
        if (!isAppError(err)) this.deps.log.warn({ err, upid: task.upid }, 'task poll failed unexpectedly');
      }
      if (Date.now() - started > this.opts.maxFollowMs) {
        this.deps.log.warn(
          { upid: task.upid, serverId: task.serverId, lastError },
          'stopped following a Proxmox task that has not finished',
        );
        return;
      }
    }
  }
}

function statusOf(details: unknown): number | null {
  const status = (details as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
