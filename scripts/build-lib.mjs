// Builds what `npm start` runs: the web app (Vite) into dist/web and the server (esbuild) into
// dist/server, and records a fingerprint of the inputs so a later start can reuse a current build.
// Plain JavaScript so it runs before anything is compiled.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
const INPUTS = [
  'common',
  'server/src',
  'web/src',
  'web/public',
  'web/index.html',
  'web/vite.config.ts',
  'package-lock.json',
  'tsconfig.base.json',
];

function* walk(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
      yield* walk(path.join(p, name));
    }
  } else {
    yield [p, st];
  }
}

/** Path, size and mtime of every input: cheap to compute on each start. */
export function inputsFingerprint() {
  const h = createHash('sha256');
  for (const rel of INPUTS) {
    for (const [file, st] of walk(path.join(ROOT, rel))) {
      h.update(`${path.relative(ROOT, file)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  }
  return h.digest('hex');
}

export function buildIsCurrent() {
  const outputs = ['dist/server/main.js', 'dist/server/cli.js', 'dist/server/relay-worker.js', 'dist/web/index.html'];
  if (!outputs.every((f) => fs.existsSync(path.join(ROOT, f)))) return false;
  return fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === inputsFingerprint();
}

export async function build({ quiet = false } = {}) {
  const started = Date.now();
  const fingerprint = inputsFingerprint();
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: path.join(ROOT, 'web', 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
  });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: {
      main: path.join(ROOT, 'server/src/main.ts'),
      cli: path.join(ROOT, 'server/src/cli.ts'),
      // Forked by the consoles' relay pool (NEXUS_RELAY_WORKERS) from beside main.js.
      'relay-worker': path.join(ROOT, 'server/src/modules/consoles/relay-worker.ts'),
    },
    outdir: path.join(ROOT, 'dist', 'server'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: quiet ? 'warning' : 'info',
  });
  fs.writeFileSync(STAMP, `${fingerprint}\n`);
  if (!quiet) process.stdout.write(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
