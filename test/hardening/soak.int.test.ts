// Chaos soak, short version (issue 10): 60 s of `npm run soak` — pve-sim with 50 servers of which
// 2 flap, 2 answer after 3.5 s and 1 is black-holed, 100 live consoles on the healthy servers and
// 10 on the unhealthy ones, API load from a second process — asserting its verdicts: zero 5xx from
// Nexus, memory flat (judged after forced full collections), handles back to baseline, no console
// on a healthy server lost, nothing logged at error level. The table it prints shows up in the
// test output. Runs on the SQLite pass only (the default deployment); `npm run soak -- --postgres`
// does the same on PostgreSQL. About 80 s of wall time.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak';
import { TEST_DIALECT } from '../helpers/db';

describe.skipIf(TEST_DIALECT === 'postgres')('chaos soak, 60 s', () => {
  it('holds: zero 5xx, memory flat, nothing leaked, consoles on healthy servers untouched', async () => {
    const printed: string[] = [];
    const result = await runSoak({ durationS: 60, intervalS: 5, print: (line) => printed.push(line) });
    const report = printed.join('\n');
    // One block rather than a line per row (vitest labels every console.log).
    console.log(report);
    for (const v of result.verdicts) expect.soft(v.ok, `${v.name}: ${v.detail}\n\n${report}`).toBe(true);
  }, 240_000);
});
