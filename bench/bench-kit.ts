// Helpers shared by the benchmarks that run their parts in separate processes (fanout, soak): a
// child process talked to in lines over stdin/stdout, and percentiles. Separate processes keep
// the simulator's and the load generator's CPU and memory out of what is measured in Nexus.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  proc: ChildProcess;
  lines: Interface;
  /** The next line the child prints; rejects once the child has exited. */
  next(): Promise<string>;
  /** Writes a line and resolves with the child's next line (its answer). */
  send(line: string): Promise<string>;
  /** Resolves with the exit code once the child has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs `file` (relative to bench/) with tsx; stderr goes to ours. BENCH_CPU_PROF=<dir> writes a
 * V8 CPU profile of every child there (open it in Chrome DevTools).
 */
export function startChild(file: string, env: Record<string, string>): Child {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const queue: string[] = [];
  const waiters: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      exitCode = code;
      // One exit listener for every waiter (a listener per call would pile up over a long run).
      for (const w of waiters.splice(0)) w.reject(new Error(`${file} exited with ${code}`));
      resolve(code);
    });
  });
  lines.on('line', (line) => {
    const w = waiters.shift();
    if (w) w.resolve(line);
    else queue.push(line);
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = queue.shift();
      if (line !== undefined) return resolve(line);
      if (exitCode !== undefined) return reject(new Error(`${file} exited with ${exitCode}`));
      waiters.push({ resolve, reject });
    });
  return {
    proc,
    lines,
    next,
    exited,
    send: (line) => {
      proc.stdin?.write(`${line}\n`);
      return next();
    },
  };
}

/** The p-th percentile (nearest rank) of an ascending array; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}
