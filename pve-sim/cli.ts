// `npm run pve-sim -- --servers 3 --nodes 2 --vms 20 [--scenario file.json] [--port-base N]`:
// starts the simulated servers on loopback, prints one line of JSON with each server's URL,
// fingerprint and token, and stays up until interrupted.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startPveSim } from './launcher';
import type { Scenario } from './scenario/scenario.schema';

const USAGE = `Usage: npm run pve-sim -- [options]
  --servers N          simulated servers (clusters), default 1
  --nodes N            nodes per cluster (1 = standalone node), default 1
  --vms N              guests per cluster, default 10
  --scenario FILE      scenario JSON instead of the generated one
  --port-base N        server i listens on N+i (default: free ports)
  --host ADDR          loopback address (127.0.0.0/8), default 127.0.0.1
  --auth-fail-delay-ms N   delay of 401 answers, default 3000
  --task-duration-ms N     how long power tasks run, default 1000`;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} needs a non-negative integer, got '${value}'`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      servers: { type: 'string' },
      nodes: { type: 'string' },
      vms: { type: 'string' },
      scenario: { type: 'string' },
      'port-base': { type: 'string' },
      host: { type: 'string' },
      'auth-fail-delay-ms': { type: 'string' },
      'task-duration-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scenario = values.scenario ? (JSON.parse(readFileSync(values.scenario, 'utf8')) as Scenario) : undefined;
  const sim = await startPveSim({
    scenario,
    servers: int(values.servers, 'servers'),
    nodes: int(values.nodes, 'nodes'),
    vms: int(values.vms, 'vms'),
    portBase: int(values['port-base'], 'port-base'),
    host: values.host,
    authFailDelayMs: int(values['auth-fail-delay-ms'], 'auth-fail-delay-ms'),
    taskDurationMs: int(values['task-duration-ms'], 'task-duration-ms'),
  });
  const summary = {
    servers: sim.servers.map((s) => ({ name: s.name, url: s.url, fingerprint: s.fingerprint, token: s.token })),
  };
  console.log(JSON.stringify(summary));
  const shutdown = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(USAGE);
  process.exit(1);
});
