// A throwaway PostgreSQL cluster (Debian's initdb/pg_ctl) on a spare loopback port, for tests
// that restart the database — never the machine's shared server.
// fsync is off (the OS cache survives a killed server); synchronous_commit stays on, or an
// immediate stop would lose acknowledged commits.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './process';

function binDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).sort((x, y) => Number(y) - Number(x));
  for (const v of versions) if (fs.existsSync(path.join(base, v, 'bin', 'pg_ctl'))) return path.join(base, v, 'bin');
  return null;
}

export const PG_BIN = binDir();

export interface PgCluster {
  url: string;
  /** The cluster's data directory (for tests that scan what reached the disk). */
  dataDir: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the server abruptly (every connection dropped) and starts it again after `downMs`. */
  restart(downMs?: number): Promise<void>;
}

function asPostgres(cmd: string, args: string[]): string {
  // initdb and postgres refuse to run as root.
  const wrapped = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(wrapped[0] as string, wrapped[1] as string[], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  if (!PG_BIN) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const port = await freePort();
  asPostgres(path.join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const pgCtl = path.join(PG_BIN, 'pg_ctl');
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    asPostgres(pgCtl, ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  const stop = (mode: 'fast' | 'immediate') => asPostgres(pgCtl, ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    dataDir: data,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs = 1000) {
      stop('immediate');
      await new Promise((r) => setTimeout(r, downMs));
      start();
    },
    async stop() {
      try {
        stop('fast');
      } catch {
        // already down
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
