// The data dir and what Nexus keeps in it are its own user's only (issue 14, finding 10): a real
// Nexus process on SQLite creates the data dir 0700 and the database (with its -wal and -shm) and
// the master key file 0600; an older install's looser files are tightened, with a warning. The
// database here is always SQLite (it is what lives in the data dir), whatever the test pass.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { type NexusProcess, startNexusProcess } from '../helpers/process';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const procs: NexusProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-modes-'));
  dirs.push(root);
  return root;
}

describe(`data dir permissions (${TEST_DIALECT} pass, SQLite files)`, () => {
  it('creates the data dir 0700 and the database, its -wal/-shm and the key file 0600', async () => {
    const dataDir = path.join(tempRoot(), 'data');
    const p = await startNexusProcess(
      { NEXUS_ADMIN_EMAIL: 'admin@example.test', NEXUS_ADMIN_PASSWORD: 'correct horse battery staple' },
      { dataDir },
    );
    procs.push(p);
    // A write, so the WAL is certainly in use.
    const login = await fetch(`${p.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.test', password: 'correct horse battery staple' }),
    });
    expect(login.status).toBe(200);
    expect(mode(dataDir)).toBe(0o700);
    const files = fs.readdirSync(dataDir).sort();
    expect(files).toEqual(expect.arrayContaining(['master.key', 'nexus.db', 'nexus.db-shm', 'nexus.db-wal']));
    for (const f of files) expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
  });

  it('tightens an older install’s readable database and key file, and says so', async () => {
    // First start: the files exist. Then loosen them as an older Nexus (umask 022) left them.
    const dataDir = path.join(tempRoot(), 'data');
    const first = await startNexusProcess({}, { dataDir });
    await first.stop();
    for (const f of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, f), 0o644);
    fs.chmodSync(dataDir, 0o755);

    const p = await startNexusProcess({}, { dataDir });
    procs.push(p);
    for (const f of fs.readdirSync(dataDir)) expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
    const output = p.output.join('');
    expect(output).toMatch(/nexus\.db was readable by other users \(mode 644\); changed it to 600/);
    expect(output).toMatch(/master\.key was readable by other users \(mode 644\); changed it to 600/);
    // The directory may be shared on purpose: reported, not changed.
    expect(output).toMatch(/data directory .* is accessible to other users \(mode 755\)/);
    expect(mode(dataDir)).toBe(0o755);
  });
});
