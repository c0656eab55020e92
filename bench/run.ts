// `npm run bench -- <name>`: runs one benchmark, which prints its own table. Benchmarks measure
// speed (DESIGN.md §8); nothing here is asserted in CI.
const BENCHMARKS: Record<string, { about: string; load: () => Promise<{ run(): Promise<void> }> }> = {
  relay: {
    about: 'console relay: throughput and latency vs direct, 200/500 sessions, stalled clients, websockify',
    load: () => import('./relay'),
  },
  fanout: {
    about: 'guest list over 50 servers × 100 guests (3 slow, 2 dead): cold/warm latency, upstream calls',
    load: () => import('./fanout'),
  },
  'recording-seek': {
    about: 'console recordings: seek to any point of a 30-minute recording (read, decrypt, decode)',
    load: () => import('./recording-seek'),
  },
  soak: {
    about: 'chaos soak (also `npm run soak`): 50 servers (5 unhealthy), 100 consoles, API load; --duration s',
    load: () => import('./soak'),
  },
};

const name = process.argv[2];
const bench = name ? BENCHMARKS[name] : undefined;
if (!bench) {
  process.stderr.write(
    `usage: npm run bench -- <name>\n${Object.entries(BENCHMARKS)
      .map(([n, b]) => `  ${n.padEnd(15)} ${b.about}`)
      .join('\n')}\n`,
  );
  process.exit(name ? 2 : 0);
}
await (await bench.load()).run();
process.exit(0);

export {};
