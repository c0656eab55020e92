// `npm run pve-sim`: starts servers, prints their URL, fingerprint and token, stays up.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call } from './test-support/sim-client';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

interface Summary {
  servers: { name: string; url: string; fingerprint: string; token: string }[];
}

function start(args: string[]): { child: ChildProcessWithoutNullStreams; summary: Promise<Summary> } {
  const child = spawn(tsx, ['pve-sim/cli.ts', ...args], { cwd: root });
  const summary = new Promise<Summary>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as Summary);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
  return { child, summary };
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('pve-sim CLI', () => {
  it('prints the servers as JSON and serves them until stopped', async () => {
    const { child, summary } = start(['--servers', '2', '--nodes', '2', '--vms', '4', '--auth-fail-delay-ms', '10']);
    try {
      const { servers } = await summary;
      expect(servers.map((s) => s.name)).toEqual(['pve1-1', 'pve2-1']);
      for (const server of servers) {
        expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        expect(server.token).toMatch(/^root@pam!pve-sim=[0-9a-f-]{36}$/);
        const res = await call(server, 'GET', '/cluster/resources', { token: server.token, query: { type: 'vm' } });
        expect(res.status).toBe(200);
        expect(res.fingerprint).toBe(server.fingerprint);
        expect(res.body.data).toHaveLength(4);
      }
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('loads a scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pve-sim-'));
    const file = join(dir, 'scenario.json');
    writeFileSync(
      file,
      JSON.stringify({
        clusters: [
          { nodes: [{ name: 'alone' }], guests: [{ vmid: 4242, type: 'lxc', node: 'alone', name: 'from-file' }] },
        ],
      }),
    );
    const { child, summary } = start(['--scenario', file]);
    try {
      const [server] = (await summary).servers;
      expect(server?.name).toBe('alone');
      const res = await call(server as { url: string }, 'GET', '/cluster/resources', { token: server?.token });
      expect(res.body.data.find((r: { vmid?: number }) => r.vmid === 4242)?.name).toBe('from-file');
    } finally {
      await stop(child);
    }
  });

  it('refuses bad arguments', async () => {
    const { summary } = start(['--servers', 'many']);
    await expect(summary).rejects.toThrow(/exited with 1: --servers needs a non-negative integer/);
  });
});
