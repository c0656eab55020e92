// Builds the SPA once for the browser tests into dist/e2e-web/<fingerprint>, and again only when
// its inputs changed (a fingerprint of names, sizes and mtimes), so each test file can call it
// cheaply. A build goes to a temporary directory renamed into place when complete, so two test
// runs at once (two checkouts' worth of work in one tree) never serve each other a half-built or
// emptied directory.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILDS = path.join(ROOT, 'dist', 'e2e-web');
/** Builds kept besides the current one (another run may still be serving them). */
const KEEP_OLD = 2;
const INPUTS = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'common', 'package-lock.json'];

function fingerprint(): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== 'node_modules') walk(path.join(p, name));
    } else {
      h.update(`${path.relative(ROOT, p)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const rel of INPUTS) walk(path.join(ROOT, rel));
  return h.digest('hex');
}

export function ensureWebBuild(): string {
  const dir = path.join(BUILDS, fingerprint().slice(0, 16));
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  fs.mkdirSync(BUILDS, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      tmp,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    // Vitest sets NODE_ENV=test, which would make Vite emit React's development build.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another run finished the same build first
  }
  pruneOldBuilds(dir);
  return dir;
}

function pruneOldBuilds(current: string): void {
  const old = fs
    .readdirSync(BUILDS, { withFileTypes: true })
    .filter((e) => e.isDirectory() && path.join(BUILDS, e.name) !== current && !e.name.includes('.tmp-'))
    .map((e) => ({ p: path.join(BUILDS, e.name), t: fs.statSync(path.join(BUILDS, e.name)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { p } of old.slice(KEEP_OLD)) fs.rmSync(p, { recursive: true, force: true });
}
