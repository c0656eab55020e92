// Child process of the chaos soak: API load from its own process, like a dashboard full of
// browsers. Signs in with its own session, then keeps a steady request rate over the endpoint
// groups the web app uses (guest list, one guest, server list, connection metrics, stats), holds
// event streams open (reconnecting now and then) and cycles a few guests through start/stop.
// Input: SOAK_LOAD (JSON, below). Prints `ready`, then answers `report` with a LoadReport line
// for the time since the previous report; `stop` ends the load and answers with the last one.
import { createInterface } from 'node:readline';
import { classify, failureSample, GroupStats, jitter, type LoadReport, type Outcome, SoakApi, sleep } from './soak-kit';

export interface LoadConfig {
  url: string;
  origin: string;
  email: string;
  password: string;
  tenantId: string;
  servers: { id: string; chaos: boolean }[];
  /** Guests to read one by one (some on the unhealthy servers). */
  guests: { serverId: string; vmid: number; chaos: boolean }[];
  /** Guests nobody has a console on, cycled through start/stop. */
  power: { serverId: string; vmid: number }[];
  /** Requests per second (event streams and power actions come on top). */
  rate: number;
  /** Outstanding requests at most; more are skipped (and counted). */
  maxInFlight: number;
  streams: number;
}

const config = JSON.parse(process.env.SOAK_LOAD ?? '{}') as LoadConfig;
const api = new SoakApi(config.url, config.origin);
const t = `/api/tenants/${config.tenantId}`;

const window = new Map<string, GroupStats>();
const total = new Map<string, GroupStats>();
let failures: string[] = [];
const sse = { open: 0, events: 0, reconnects: 0 };
let running = true;

function record(group: string, outcome: Outcome, ms: number, sample?: () => string): void {
  for (const map of [window, total]) {
    let g = map.get(group);
    if (!g) {
      g = new GroupStats();
      map.set(group, g);
    }
    g.add(outcome, ms);
  }
  if (sample && (outcome === 'nexus5xx' || outcome === 'transport' || outcome === 'other4xx') && failures.length < 8) {
    failures.push(sample());
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** One request of a group: timed, classified, failures sampled. */
async function hit(group: string, method: string, path: string, expected4xx: string[] = []): Promise<unknown> {
  const started = performance.now();
  try {
    const res = await api.call(method, path, method === 'POST' ? {} : undefined);
    record(group, classify(res.status, res.code, expected4xx), res.ms, () =>
      failureSample(`${method} ${path}`, res.status, res.text),
    );
    return res.status < 300 ? res.body : null;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    record(group, 'transport', performance.now() - started, () =>
      failureSample(`${method} ${path}`, 'no answer', `${e.message} ${e.cause?.code ?? e.cause?.message ?? ''}`),
    );
    return null;
  }
}

// Weighted like a dashboard: the guest list and single guests most, the rest now and then.
const OPS: [number, () => Promise<unknown>][] = [
  [3, () => hit('vms', 'GET', `${t}/vms`)],
  [1, () => hit('vms', 'GET', `${t}/servers/${pick(config.servers).id}/vms`)],
  [
    4,
    () => {
      const g = pick(config.guests);
      return hit('guest', 'GET', `${t}/servers/${g.serverId}/vms/${g.vmid}`);
    },
  ],
  [2, () => hit('servers', 'GET', `${t}/servers`)],
  [2, () => hit('metrics', 'GET', `${t}/servers/${pick(config.servers).id}/metrics`)],
  [1, () => hit('stats', 'GET', `${t}/stats`)],
];
const WEIGHT = OPS.reduce((n, [w]) => n + w, 0);

function nextOp(): () => Promise<unknown> {
  let r = Math.random() * WEIGHT;
  for (const [w, op] of OPS) {
    r -= w;
    if (r < 0) return op;
  }
  return (OPS[0] as [number, () => Promise<unknown>])[1];
}

/**
 * Open loop, like independent browsers: requests start at the configured rate whether or not
 * earlier ones have answered, so a slow server's 3.5 s answers do not slow the load down. At most
 * `maxInFlight` are outstanding; beyond that a start is skipped and counted.
 */
const inFlight = new Set<Promise<unknown>>();
let skipped = 0;
async function scheduler(): Promise<void> {
  const periodMs = 1000 / config.rate;
  let due = performance.now();
  while (running) {
    due += jitter(periodMs);
    await sleep(Math.max(0, due - performance.now()));
    if (!running) break;
    if (inFlight.size >= config.maxInFlight) {
      skipped++;
      continue;
    }
    const p = nextOp()();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all([...inFlight]);
}

/** Start what is stopped and stop what runs, one guest every few seconds. */
async function powerCycler(): Promise<void> {
  let i = 0;
  while (running && config.power.length > 0) {
    await sleep(jitter(3000));
    if (!running) break;
    const g = config.power[i++ % config.power.length] as { serverId: string; vmid: number };
    const guest = (await hit('guest', 'GET', `${t}/servers/${g.serverId}/vms/${g.vmid}`)) as { status?: string } | null;
    if (!guest?.status) continue;
    const action = guest.status === 'running' ? 'stop' : 'start';
    // A task still running from the last round makes Proxmox's state lag behind: 409 is fair.
    await hit('power', 'POST', `${t}/servers/${g.serverId}/vms/${g.vmid}/actions/${action}`, [
      'vm.action_not_applicable',
    ]);
  }
}

/** An event stream held open for 10–30 s, read to the end, then opened again. */
async function stream(): Promise<void> {
  while (running) {
    const abort = new AbortController();
    const started = performance.now();
    let counted = false;
    try {
      const res = await fetch(`${config.url}${t}/events`, {
        headers: { ...api.headers('GET', false), accept: 'text/event-stream' },
        signal: abort.signal,
      });
      const ms = performance.now() - started;
      if (res.status !== 200) {
        const text = await res.text();
        let code: string | undefined;
        try {
          code = JSON.parse(text).error?.code;
        } catch {
          code = undefined;
        }
        record('events', classify(res.status, code), ms, () => failureSample('GET events', res.status, text));
        counted = true;
        await sleep(1000);
        continue;
      }
      record('events', 'ok', ms);
      counted = true;
      sse.open++;
      const lifetime = setTimeout(() => abort.abort(), jitter(20_000, 0.5));
      const stopWatch = setInterval(() => {
        if (!running) abort.abort();
      }, 250);
      try {
        const decoder = new TextDecoder();
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          sse.events += decoder.decode(chunk, { stream: true }).split('\nevent: ').length - 1;
        }
        // The server ended a stream we did not abort: worth a sample, not a failure.
        if (running && failures.length < 8) failures.push('event stream ended by the server');
      } finally {
        clearTimeout(lifetime);
        clearInterval(stopWatch);
        sse.open--;
      }
    } catch (err) {
      if (!abort.signal.aborted) {
        const e = err as Error & { cause?: { code?: string } };
        if (!counted) {
          record('events', 'transport', performance.now() - started, () =>
            failureSample('GET events', 'no answer', `${e.message} ${e.cause?.code ?? ''}`),
          );
        } else if (failures.length < 8) {
          failures.push(failureSample('event stream', 'broke', `${e.message} ${e.cause?.code ?? ''}`));
        }
      }
    }
    if (running) {
      sse.reconnects++;
      await sleep(jitter(500));
    }
  }
}

function report(): LoadReport {
  const out: LoadReport = {
    window: Object.fromEntries([...window].map(([g, s]) => [g, s.toJSON()])),
    total: Object.fromEntries([...total].map(([g, s]) => [g, s.toJSON()])),
    failures,
    sse: { ...sse },
    skipped,
  };
  window.clear();
  failures = [];
  return out;
}

await api.login(config.email, config.password);
const tasks = [scheduler(), ...Array.from({ length: config.streams }, () => stream()), powerCycler()];
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'report') {
    process.stdout.write(`${JSON.stringify(report())}\n`);
  } else if (command === 'stop') {
    running = false;
    void Promise.all(tasks).then(() => {
      process.stdout.write(`${JSON.stringify(report())}\n`);
      process.exit(0);
    });
  }
});
process.stdin.on('end', () => process.exit(0));
