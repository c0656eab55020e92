// Worker tasks and their UPIDs, as PVE::RESTEnvironment::fork_worker makes them: an action
// returns `UPID:node:pid:pstart:starttime:type:id:user:` at once, runs for a while, then stops
// with exitstatus `OK` or the error message. Failures surface only through the task status.

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  log: string[];
}

const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Eight uppercase hex digits, as UPIDs and tickets write times and ids. */
export const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

export function formatUpid(
  t: Pick<TaskRecord, 'node' | 'pid' | 'pstart' | 'starttime' | 'type' | 'id' | 'user'>,
): string {
  return `UPID:${t.node}:${hex8(t.pid)}:${hex8(t.pstart)}:${hex8(t.starttime)}:${t.type}:${t.id}:${t.user}:`;
}

export function parseUpid(upid: string): { node: string; type: string; id: string; user: string } | null {
  const m = UPID_RE.exec(upid);
  if (!m) return null;
  return { node: m[1] ?? '', type: m[6] ?? '', id: m[7] ?? '', user: m[8] ?? '' };
}

/** Who runs what where: the parts of a UPID. */
export interface TaskIdentity {
  node: string;
  /** When the node booted, for `pstart` (clock ticks since boot, 100 Hz). */
  nodeBootTime: number;
  type: string;
  id: string;
  user: string;
  /** Lines logged first (a hook script's output). */
  log?: string[];
}

/** What a worker function can do while its task runs (PVE::RESTEnvironment's worker side). */
export interface WorkerContext {
  readonly task: TaskRecord;
  /** A line of the task log (the worker's stdout). */
  log(line: string): void;
  /** log_warn: `WARN: …` in the log, and the task ends with `WARNINGS: n` instead of `OK`. */
  warn(line: string): void;
  /** Resolves after `ms`; never, once the simulator is closed (the worker just stops). */
  sleep(ms: number): Promise<void>;
}

export interface TaskStart extends TaskIdentity {
  /** How long the worker runs before `work` is applied; null: finished by `finish()`. */
  durationMs: number | null;
  /** The worker's effect; throwing fails the task with that message. Returns extra log lines. */
  work?: () => string[] | undefined;
}

export class TaskRegistry {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextPid: number;

  constructor(
    random: () => number,
    private readonly now: () => number = Date.now,
  ) {
    this.nextPid = 10_000 + Math.floor(random() * 50_000);
  }

  /** fork_worker: the task exists (and its UPID is returned) at once; `worker` runs right away
   * up to its first `sleep`, so what it does first (taking a lock, a check that fails) is
   * visible before the API call answers. Its end or error ends the task. */
  spawn(spec: TaskIdentity, worker: (w: WorkerContext) => Promise<void> | void): TaskRecord {
    const task = this.start({ ...spec, durationMs: null });
    let warnings = 0;
    const context: WorkerContext = {
      task,
      log: (line) => {
        task.log.push(line);
      },
      warn: (line) => {
        warnings++;
        task.log.push(`WARN: ${line}`);
      },
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, ms);
          this.timers.add(timer);
        }),
    };
    const fail = (err: unknown) => this.finish(task, errorText(err));
    try {
      const running = worker(context);
      const done = () => this.finish(task, warnings > 0 ? `WARNINGS: ${warnings}` : 'OK');
      if (running instanceof Promise) running.then(done, fail);
      else done();
    } catch (err) {
      fail(err);
    }
    return task;
  }

  start(spec: TaskStart): TaskRecord {
    const now = this.now();
    const base = {
      node: spec.node,
      pid: this.nextPid++,
      pstart: Math.floor((now - spec.nodeBootTime) / 10),
      starttime: Math.floor(now / 1000),
      type: spec.type,
      id: spec.id,
      user: spec.user,
    };
    const task: TaskRecord = { ...base, upid: formatUpid(base), status: 'running', log: [...(spec.log ?? [])] };
    this.tasks.set(task.upid, task);
    if (spec.durationMs !== null) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.run(task, spec.work);
      }, spec.durationMs);
      this.timers.add(timer);
    }
    return task;
  }

  private run(task: TaskRecord, work: TaskStart['work']): void {
    try {
      task.log.push(...(work?.() ?? []));
      this.finish(task, 'OK');
    } catch (err) {
      this.finish(task, errorText(err));
    }
  }

  finish(task: TaskRecord, exitstatus: string): void {
    if (task.status === 'stopped') return;
    task.status = 'stopped';
    task.exitstatus = exitstatus;
    task.endtime = Math.floor(this.now() / 1000);
    const last = exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus) ? exitstatus : `ERROR: ${exitstatus}`;
    task.log.push(`TASK ${last}`);
  }

  get(upid: string): TaskRecord | undefined {
    return this.tasks.get(upid);
  }

  /** Newest first, like /nodes/{node}/tasks. */
  list(node: string): TaskRecord[] {
    return [...this.tasks.values()]
      .filter((t) => t.node === node)
      .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** A worker's `die "…\n"` as the task's exit status: one line, without the newline. */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\n$/, '').replace(/\n/g, ' ');
}

/** PVE::AccessControl::split_tokenid as the task API applies it: a token's task shows the owner
 * as `user` and the token's name as `tokenid`. */
export function splitTaskUser(user: string): { user: string; tokenid?: string } {
  const bang = user.indexOf('!');
  return bang < 0 ? { user } : { user: user.slice(0, bang), tokenid: user.slice(bang + 1) };
}
