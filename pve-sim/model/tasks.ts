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

export interface TaskStart {
  node: string;
  /** When the node booted, for `pstart` (clock ticks since boot, 100 Hz). */
  nodeBootTime: number;
  type: string;
  id: string;
  user: string;
  /** How long the worker runs before `work` is applied; null: finished by `finish()`. */
  durationMs: number | null;
  /** The worker's effect; throwing fails the task with that message. Returns extra log lines. */
  work?: () => string[] | undefined;
  log?: string[];
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
      this.finish(task, err instanceof Error ? err.message.replace(/\n$/, '') : String(err));
    }
  }

  finish(task: TaskRecord, exitstatus: string): void {
    if (task.status === 'stopped') return;
    task.status = 'stopped';
    task.exitstatus = exitstatus;
    task.endtime = Math.floor(this.now() / 1000);
    task.log.push(exitstatus === 'OK' ? 'TASK OK' : `TASK ERROR: ${exitstatus}`);
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
