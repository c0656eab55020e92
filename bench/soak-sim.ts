// Child process of the chaos soak: pve-sim with N servers (its own process, so the simulator's CPU
// and memory stay out of what is measured in Nexus). Prints the servers as one JSON line, then
// answers one line per command on stdin:
//   chaos on   the last servers turn unhealthy: flapping, slow, black-holed (the plan below)
//   chaos off  every fault cleared
//   stats      {"sockets": open TCP connections into pve-sim, "requests": API requests so far}
import { createInterface } from 'node:readline';
import { startPveSim } from '../pve-sim/index';

const servers = Number(process.env.SOAK_SERVERS ?? 50);
const vms = Number(process.env.SOAK_VMS ?? 10);
const flapping = Number(process.env.SOAK_FLAPPING ?? 2);
const slow = Number(process.env.SOAK_SLOW ?? 2);
const slowMs = Number(process.env.SOAK_SLOW_MS ?? 3500);
const blackholed = Number(process.env.SOAK_BLACKHOLED ?? 1);
const flapMs = Number(process.env.SOAK_FLAP_MS ?? 2500);

// Short tasks so that power actions finish within a report interval.
const sim = await startPveSim({ servers, vms, taskDurationMs: 500, authFailDelayMs: 200 });
const unhealthy = flapping + slow + blackholed;

/** Which fault server i gets under chaos: the last `unhealthy` servers, in this order. */
function faultOf(i: number): 'flapping' | 'slow' | 'blackholed' | null {
  const k = i - (servers - unhealthy);
  if (k < 0) return null;
  if (k < flapping) return 'flapping';
  if (k < flapping + slow) return 'slow';
  return 'blackholed';
}

process.stdout.write(
  `${JSON.stringify(
    sim.servers.map((s, i) => ({
      name: s.name,
      host: s.host,
      port: s.port,
      fingerprint: s.fingerprint,
      token: s.token,
      fault: faultOf(i),
    })),
  )}\n`,
);

let requests = 0;
function stats() {
  // The request logs would grow for the whole soak; count and drop them.
  for (const s of sim.servers) {
    requests += s.requestLog.length;
    s.requestLog.length = 0;
  }
  const sockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  return { sockets, requests };
}
const statsTimer = setInterval(stats, 10_000);
statsTimer.unref();

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'chaos on') {
    sim.servers.forEach((s, i) => {
      const fault = faultOf(i);
      if (fault === 'flapping') s.setFault({ flapping: flapMs });
      else if (fault === 'slow') s.setFault({ latencyMs: slowMs });
      else if (fault === 'blackholed') s.setFault({ blackhole: true });
    });
    process.stdout.write('ok\n');
  } else if (command === 'chaos off') {
    for (const s of sim.servers) s.clearFaults();
    process.stdout.write('ok\n');
  } else if (command === 'stats') {
    process.stdout.write(`${JSON.stringify(stats())}\n`);
  }
});
process.stdin.on('end', () => {
  void sim.close().then(() => process.exit(0));
});
