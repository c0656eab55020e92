// Real Nexus processes for multi-instance tests: `node --import tsx server/src/main.ts` with its
// own environment, on a free loopback port, captured output, killable with any signal.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs `npm run nexus -- <command>` (server/src/cli.ts) and resolves with its exit code and output. */
export function runCli(
  command: string,
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', command], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += String(d);
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += String(d);
  });
  return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, output }))) };
}

export interface NexusProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startNexusProcess(
  env: Record<string, string>,
  opts: { waitReady?: boolean; dataDir?: string } = {},
): Promise<NexusProcess> {
  const port = await freePort();
  // A given data dir outlives the process (restarts); a generated one is removed on stop.
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-proc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NEXUS_HOST: '127.0.0.1',
      NEXUS_PORT: String(port),
      NEXUS_DATA_DIR: dataDir,
      NEXUS_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(String(d)));
  child.stderr?.on('data', (d: Buffer) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const proc: NexusProcess = {
    url,
    port,
    child,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
  if (opts.waitReady !== false) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nexus exited early (${child.exitCode}):\n${output.join('')}`);
      try {
        const res = await fetch(`${url}/readyz`);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await proc.stop('SIGKILL');
        throw new Error(`nexus did not become ready:\n${output.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return proc;
}
