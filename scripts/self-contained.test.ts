// The repository carries what its own code and tests need: nothing may read the reference folder
// beside the checkout (`../shared`), which a user who clones Nexus does not have.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const CODE = /\.(?:[cm]?[jt]sx?|json|sh)$|^\.ci\//;
// A path into ../shared, written as a relative path or joined from parts.
const OUTSIDE = /\.\.\/(?:\.\.\/)*shared\/|['"]shared['"]\s*,\s*['"](?:pve|hooks)['"]/;

it('no code or test reads ../shared', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => CODE.test(f) && !f.startsWith('pve-sim/schema/') && f !== 'scripts/self-contained.test.ts');
  const offenders = files.filter((f) => OUTSIDE.test(readFileSync(`${root}/${f}`, 'utf8')));
  expect(offenders).toEqual([]);
});
