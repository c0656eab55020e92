// Child process of the fan-out benchmark: pve-sim with N servers × M guests (its own process, so
// the simulator's CPU does not count against Nexus). Prints the servers as one JSON line, then
// answers `counts` on stdin with the `/cluster/resources` calls each server has received.
import { createInterface } from 'node:readline';
import { startPveSim } from '../pve-sim/index';

const servers = Number(process.env.BENCH_SERVERS ?? 50);
const vms = Number(process.env.BENCH_VMS ?? 100);
const slow = Number(process.env.BENCH_SLOW ?? 3);
const slowMs = Number(process.env.BENCH_SLOW_MS ?? 3000);
const dead = Number(process.env.BENCH_DEAD ?? 2);

const sim = await startPveSim({ servers, vms });
// The last servers are the unhealthy ones: `slow` answer after slowMs, `dead` never answer.
sim.servers.forEach((s, i) => {
  if (i >= servers - dead) s.setFault({ blackhole: true });
  else if (i >= servers - dead - slow) s.setFault({ latencyMs: slowMs });
});

process.stdout.write(
  `${JSON.stringify(
    sim.servers.map((s) => ({ name: s.name, host: s.host, port: s.port, fingerprint: s.fingerprint, token: s.token })),
  )}\n`,
);

const counts = () =>
  sim.servers.map((s) => s.requestLog.filter((r) => r.path === '/api2/json/cluster/resources').length);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'counts') process.stdout.write(`${JSON.stringify(counts())}\n`);
});
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
