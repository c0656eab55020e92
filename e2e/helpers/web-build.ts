// Builds the SPA once for the browser tests into dist/e2e-web, and again only when its inputs
// changed (a fingerprint of names, sizes and mtimes), so each test file can call it cheaply.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIR = path.join(ROOT, 'dist', 'e2e-web');
const STAMP = path.join(WEB_DIR, '.e2e-stamp');
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
  const fp = fingerprint();
  if (
    fs.existsSync(path.join(WEB_DIR, 'index.html')) &&
    fs.existsSync(STAMP) &&
    fs.readFileSync(STAMP, 'utf8').trim() === fp
  ) {
    return WEB_DIR;
  }
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--outDir',
      WEB_DIR,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    // Vitest sets NODE_ENV=test, which would make Vite emit React's development build.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  fs.writeFileSync(STAMP, `${fp}\n`);
  return WEB_DIR;
}
