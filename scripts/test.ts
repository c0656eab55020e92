// `npm test`: every suite — unit, integration on SQLite, integration on PostgreSQL, browser —
// then one summary line `N passed, N failed`. `npm test -- unit integration` picks suites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Suite {
  name: string;
  key: string;
  args: string[];
  env?: Record<string, string>;
}

const SUITES: Suite[] = [
  { name: 'unit', key: 'unit', args: ['--project', 'unit', '--project', 'web'] },
  {
    name: 'integration (SQLite)',
    key: 'integration',
    args: ['--project', 'integration'],
    env: { NEXUS_TEST_DB: 'sqlite' },
  },
  {
    name: 'integration (PostgreSQL)',
    key: 'integration',
    args: ['--project', 'integration'],
    env: { NEXUS_TEST_DB: 'postgres' },
  },
  { name: 'browser (e2e)', key: 'e2e', args: ['--project', 'e2e'] },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
const selected = wanted.length ? SUITES.filter((s) => wanted.includes(s.key) || wanted.includes(s.name)) : SUITES;
if (selected.length === 0) {
  process.stderr.write(`no such suite: ${wanted.join(', ')} (have: unit, integration, e2e)\n`);
  process.exit(2);
}

let passed = 0;
let failed = 0;
const rows: string[] = [];
const failures: string[] = [];
for (const suite of selected) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-vitest-')), 'result.json');
  const started = Date.now();
  const run = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      ...suite.args,
      '--passWithNoTests',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
      ...extra,
    ],
    { stdio: 'inherit', env: { ...process.env, ...suite.env } },
  );
  let p = 0;
  let f = 0;
  try {
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults?: {
        name: string;
        assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[];
      }[];
    };
    p = result.numPassedTests;
    f = result.numFailedTests;
    // The failed tests are named again after the table, so a log's tail says what failed.
    for (const file of result.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const why = (test.failureMessages?.[0] ?? '').split('\n')[0]?.slice(0, 300);
        failures.push(`${suite.name}: ${path.relative(process.cwd(), file.name)} > ${test.fullName}\n    ${why}`);
      }
    }
    if (run.status !== 0 && f === 0) f = 1; // a suite that failed outside any test (e.g. a crashed file)
  } catch {
    f = 1;
  }
  passed += p;
  failed += f;
  rows.push(
    `${suite.name.padEnd(26)} ${String(p).padStart(5)} passed ${String(f).padStart(4)} failed  ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}
const failedList = failures.length ? `\nfailed:\n${failures.join('\n')}\n` : '';
process.stdout.write(`${failedList}\n${rows.join('\n')}\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
