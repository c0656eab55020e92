// Every package in the lock file runs on the oldest Node.js that package.json promises
// (`engines.node`): `npm install` on Node 20 prints no EBADENGINE warning, and nothing installed
// needs a newer runtime than we say we support.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));

it('every locked package supports the oldest Node.js we promise', () => {
  const ours = read('package.json').engines.node as string;
  const oldest = semver.minVersion(ours);
  expect(oldest, `engines.node ${ours}`).not.toBeNull();
  const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } | string[] }> };
  const unfit = Object.entries(lock.packages)
    .filter(([name, p]) => name !== '' && !Array.isArray(p.engines) && p.engines?.node)
    .filter(([, p]) => !semver.satisfies(oldest as semver.SemVer, (p.engines as { node: string }).node))
    .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')} needs node ${(p.engines as { node: string }).node}`);
  expect(unfit).toEqual([]);
});
