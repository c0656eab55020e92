// `npm run soak [-- --duration 600 --interval 10 --postgres --heap-snapshots dir]`: the chaos soak
// (issue 10). Four processes: pve-sim (bench/soak-sim.ts: 50 servers, of which 2 flap, 2 answer
// after 3.5 s and 1 is black-holed once the load starts), Nexus (server/src/main.ts, SQLite or a
// fresh PostgreSQL database), the API load generator (bench/soak-load.ts) and this one, which
// holds 100 live consoles on the healthy servers plus 10 on the unhealthy ones (soak-consoles.ts)
// and scrapes /metrics every second. Every interval it forces a full GC in Nexus (through the
// inspector) and prints a row: requests, Nexus 5xx, Proxmox answers (502/504 `proxmox.*`), other
// errors, p99 per endpoint group, RSS, heap before and after the GC, handles, live consoles. At
// the end: totals, failure samples, verdicts, and a non-zero exit when one fails.
//
//  zero 5xx         no 5xx from Nexus itself and no request left unanswered; a 502/504 carrying
//                   a `proxmox.*` code is Proxmox's failure relayed and is counted on its own
//  memory flat      least-squares trend of heap and RSS after full GCs over the second half of
//                   the load (warm-up is over by then) below a limit each
//  nothing leaked   once load and consoles stop: handles and active resources back to the
//                   pre-load baseline, no console or event stream open in Nexus, no console row
//                   left open in the database
//  consoles held    no console on a healthy server failed, stalled or was closed by Nexus
//  no errors logged nothing at level error or fatal in Nexus's log, and Nexus still running
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../test/helpers/db';
import { type NexusProcess, startNexusProcess } from '../test/helpers/process';
import { type Child, startChild } from './bench-kit';
import { Inspector } from './inspector';
import { type ConsoleCounts, ConsoleFleet, type ConsoleTarget } from './soak-consoles';
import { type GroupReport, type LoadReport, parseMetrics, SoakApi, sleep, sumMetric } from './soak-kit';
import type { LoadConfig } from './soak-load';

export interface SoakOptions {
  /** Seconds of load (consoles and API). */
  durationS: number;
  /** Seconds between table rows. */
  intervalS: number;
  postgres: boolean;
  servers: number;
  consoles: number;
  /** Consoles kept (re)opening on the unhealthy servers. */
  chaosConsoles: number;
  /** API requests per second from the load generator. */
  rate: number;
  /** Growth allowed over the second half of the load, after full collections: RSS, JS heap. */
  maxRssGrowthMiB: number;
  maxHeapGrowthMiB: number;
  /** When set, heap snapshots of Nexus are written here at the middle and the end of the load. */
  heapSnapshotDir?: string;
  /** Handles allowed above the baseline once everything has stopped. */
  handleSlack: number;
  print: (line: string) => void;
}

export const DEFAULT_OPTIONS: SoakOptions = {
  durationS: 600,
  intervalS: 10,
  postgres: false,
  servers: 50,
  consoles: 100,
  chaosConsoles: 10,
  rate: 40,
  maxRssGrowthMiB: 32,
  maxHeapGrowthMiB: 8,
  handleSlack: 10,
  print: (line) => process.stdout.write(`${line}\n`),
};

export interface Verdict {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Sample {
  /** Seconds since the load started (negative: baseline, beyond duration: drain). */
  t: number;
  rss: number;
  heap: number;
  handles: number;
  resources: number;
  consoles: number;
  streams: number;
}

/** Memory after a full garbage collection (forced through the inspector), once per table row. */
export interface Checkpoint {
  t: number;
  heapMiB: number;
  rssMiB: number;
}

export interface SoakResult {
  ok: boolean;
  verdicts: Verdict[];
  samples: Sample[];
  checkpoints: Checkpoint[];
  totals: Record<string, GroupReport>;
  failures: string[];
}

interface SimServerInfo {
  name: string;
  host: string;
  port: number;
  fingerprint: string;
  token: string;
  fault: 'flapping' | 'slow' | 'blackholed' | null;
}

interface GuestRow {
  serverId: string;
  vmid: number;
  status: string;
  template: boolean;
  lock: string | null;
  hastate: string | null;
}

const ADMIN = { email: 'soak@example.test', password: 'soak password 1234 soak' };
const ORIGIN = 'http://localhost:8080'; // set as NEXUS_PUBLIC_URL below: the allowed Origin
const MiB = 1024 * 1024;
const GROUPS = ['vms', 'guest', 'servers', 'metrics', 'stats', 'power', 'events'] as const;

/** Least-squares slope of y over x (per unit of x). */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const fmtMs = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)}s` : `${Math.round(v)}`;

/** A row printer: each cell right-aligned to its column's width. */
function table(widths: number[]) {
  return (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i] ?? 6)).join(' ');
}

export async function runSoak(partial: Partial<SoakOptions> = {}): Promise<SoakResult> {
  const o: SoakOptions = { ...DEFAULT_OPTIONS, ...partial };
  const print = o.print;
  const children: Child[] = [];
  let nexus: NexusProcess | undefined;
  let inspector: Inspector | undefined;
  let fleet: ConsoleFleet | undefined;
  let db: TestDatabase | undefined;
  const failures: string[] = [];
  const keepFailures = (list: string[]) => {
    for (const f of list) if (failures.length < 40) failures.push(f);
  };
  try {
    // ---- pve-sim, Nexus, the tenant ------------------------------------------------------------
    print(`chaos soak: ${o.servers} servers, ${o.consoles} consoles, ${o.rate} req/s, ${o.durationS} s`);
    const sim = startChild('soak-sim.ts', { SOAK_SERVERS: String(o.servers) });
    children.push(sim);
    const simServers = JSON.parse(await sim.next()) as SimServerInfo[];

    const env: Record<string, string> = {
      NEXUS_ADMIN_EMAIL: ADMIN.email,
      NEXUS_ADMIN_PASSWORD: ADMIN.password,
      NEXUS_LOG_LEVEL: 'warn',
      // One admin on one loopback address stands in for a whole fleet of users: lift the
      // per-user console budgets and the per-address connection cap (docs/SECURITY.md).
      NEXUS_CONSOLE_PENDING_TICKETS: '100000',
      NEXUS_CONSOLE_TICKETS_PER_MINUTE: '100000',
      NEXUS_MAX_CONNECTIONS_PER_IP: '0',
      NEXUS_PUBLIC_URL: ORIGIN,
      // Consoles relayed by worker processes, as larger installs run them (`auto` is none here).
      NEXUS_RELAY_WORKERS: process.env.SOAK_RELAY_WORKERS ?? '2',
      // The inspector (loopback, random port) lets the soak force full collections: see inspector.ts.
      NODE_OPTIONS: '--inspect=127.0.0.1:0',
    };
    if (o.postgres) {
      db = await createTestDatabase('postgres');
      if (db.config.kind !== 'postgres') throw new Error('no PostgreSQL database');
      env.DATABASE_URL = db.config.url;
      env.NEXUS_MASTER_KEY = 'd'.repeat(64);
    }
    nexus = await startNexusProcess(env);
    const proc = nexus;
    inspector = await Inspector.attach(() => proc.output.join(''));
    const gcInspector = inspector;
    const api = new SoakApi(nexus.url, ORIGIN);
    await api.login(ADMIN.email, ADMIN.password);
    const must = async (method: string, path: string, body?: unknown) => {
      const res = await api.call(method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return res.body as any;
    };
    const tenant = await must('POST', '/api/tenants', { name: 'Soak', slug: 'soak' });
    const t = `/api/tenants/${tenant.id}`;
    await must('PUT', `${t}/settings`, {
      maxServers: Math.max(o.servers, 50),
      maxConcurrentConsoles: 10 * (o.consoles + o.chaosConsoles),
      healthCheckIntervalSeconds: 5,
      consoleIdleTimeoutMinutes: 24 * 60,
      sessionIdleMinutes: 7 * 24 * 60,
      sessionMaxHours: 30 * 24,
    });
    const servers: { id: string; info: SimServerInfo }[] = [];
    for (let i = 0; i < simServers.length; i += 10) {
      const batch = simServers.slice(i, i + 10);
      const ids = await Promise.all(
        batch.map(
          async (s) =>
            (
              await must('POST', `${t}/servers`, {
                name: s.name,
                host: s.host,
                port: s.port,
                apiToken: s.token,
                tlsMode: 'pinned',
                tlsFingerprint: s.fingerprint,
                connectionTimeoutMs: 5000,
              })
            ).id as string,
        ),
      );
      batch.forEach((info, j) => {
        servers.push({ id: ids[j] as string, info });
      });
    }
    const chaosIds = new Set(servers.filter((s) => s.info.fault).map((s) => s.id));
    const list = (await must('GET', `${t}/vms`)) as { vms: GuestRow[]; servers: { ok: boolean }[] };
    const down = list.servers.filter((s) => !s.ok).length;
    if (down > 0) throw new Error(`${down} servers did not answer before the chaos started`);

    // Consoles round-robin over the healthy servers' running guests; a few other guests of theirs
    // are cycled through start/stop (never one with a console: stopping it would end that console).
    const usable = list.vms.filter((g) => !g.template && !g.lock && !g.hastate);
    const byServer = new Map<string, GuestRow[]>();
    for (const g of usable) {
      if (!byServer.has(g.serverId)) byServer.set(g.serverId, []);
      byServer.get(g.serverId)?.push(g);
    }
    const consoleTargets: ConsoleTarget[] = [];
    const chaosTargets: ConsoleTarget[] = [];
    const taken = new Set<string>();
    const key = (g: { serverId: string; vmid: number }) => `${g.serverId}/${g.vmid}`;
    for (let round = 0; consoleTargets.length < o.consoles && round < 20; round++) {
      for (const s of servers) {
        if (chaosIds.has(s.id) || consoleTargets.length >= o.consoles) continue;
        const g = byServer.get(s.id)?.filter((x) => x.status === 'running' && !taken.has(key(x)))[0];
        if (!g) continue;
        taken.add(key(g));
        consoleTargets.push({ serverId: g.serverId, vmid: g.vmid, chaos: false });
      }
    }
    for (let round = 0; chaosTargets.length < o.chaosConsoles && round < 20; round++) {
      for (const id of chaosIds) {
        const g = byServer.get(id)?.filter((x) => x.status === 'running' && !taken.has(key(x)))[0];
        if (!g || chaosTargets.length >= o.chaosConsoles) continue;
        taken.add(key(g));
        chaosTargets.push({ serverId: g.serverId, vmid: g.vmid, chaos: true });
      }
    }
    if (consoleTargets.length < o.consoles)
      throw new Error(`only ${consoleTargets.length} running guests for consoles`);
    const power = usable.filter((g) => !chaosIds.has(g.serverId) && !taken.has(key(g))).slice(0, 10);
    const readable = usable.filter((g) => !power.some((p) => key(p) === key(g)));
    const guests = Array.from({ length: 80 }, (_, i) => readable[(i * 7919) % readable.length] as GuestRow).map(
      (g) => ({ serverId: g.serverId, vmid: g.vmid, chaos: chaosIds.has(g.serverId) }),
    );

    // ---- metrics -------------------------------------------------------------------------------
    const samples: Sample[] = [];
    let loadStarted = 0;
    let lastMetrics = new Map<string, number>();
    const scrape = async (): Promise<Sample | null> => {
      try {
        const res = await fetch(`${proc.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
        const m = parseMetrics(await res.text());
        lastMetrics = m;
        const s: Sample = {
          t: loadStarted ? (Date.now() - loadStarted) / 1000 : -1,
          rss: sumMetric(m, 'nexus_process_resident_memory_bytes') / MiB,
          heap: sumMetric(m, 'nexus_nodejs_heap_size_used_bytes') / MiB,
          handles: sumMetric(m, 'nexus_nodejs_active_handles_total'),
          resources: sumMetric(m, 'nexus_nodejs_active_resources_total'),
          consoles: sumMetric(m, 'nexus_active_consoles'),
          streams: sumMetric(m, 'nexus_event_stream_clients'),
        };
        samples.push(s);
        return s;
      } catch (err) {
        keepFailures([`GET /metrics → ${(err as Error).message}`]);
        return null;
      }
    };
    const handleTypes = () =>
      [...lastMetrics]
        .filter(([k, v]) => k.startsWith('nexus_nodejs_active_handles{') && v > 0)
        .map(([k, v]) => `${/type="([^"]+)"/.exec(k)?.[1]} ${v}`)
        .join(', ');

    // Baseline: servers registered, health checks running, nothing else.
    for (let i = 0; i < 5; i++) {
      await scrape();
      await sleep(1000);
    }
    const checkpoints: Checkpoint[] = [];
    /** A full collection in Nexus, then its heap and RSS: what stays, not the GC sawtooth. */
    const checkpoint = async (): Promise<Checkpoint | null> => {
      try {
        const heap = (await gcInspector.heapAfterGc()) / MiB;
        const s = await scrape();
        if (!s) return null;
        const c = { t: s.t, heapMiB: heap, rssMiB: s.rss };
        checkpoints.push(c);
        return c;
      } catch (err) {
        keepFailures([`forced GC → ${(err as Error).message}`]);
        return null;
      }
    };
    const baseline = samples.slice(-5);
    const baseGc = await checkpoint();
    const baseHandles = median(baseline.map((s) => s.handles));
    const baseResources = median(baseline.map((s) => s.resources));
    const baseRss = median(baseline.map((s) => s.rss));
    print(
      `baseline: RSS ${baseRss.toFixed(0)} MiB, heap after GC ${baseGc?.heapMiB.toFixed(1)} MiB, ${baseHandles} handles (${handleTypes()}); ` +
        `${consoleTargets.length} + ${chaosTargets.length} consoles, ${power.length} guests power-cycled`,
    );

    // ---- load ----------------------------------------------------------------------------------
    await sim.send('chaos on');
    const loadConfig: LoadConfig = {
      url: proc.url,
      origin: ORIGIN,
      email: ADMIN.email,
      password: ADMIN.password,
      tenantId: tenant.id,
      servers: servers.map((s) => ({ id: s.id, chaos: chaosIds.has(s.id) })),
      guests,
      power: power.map((g) => ({ serverId: g.serverId, vmid: g.vmid })),
      rate: o.rate,
      maxInFlight: 200,
      streams: 4,
    };
    const load = startChild('soak-load.ts', { SOAK_LOAD: JSON.stringify(loadConfig) });
    children.push(load);
    if ((await load.next()) !== 'ready') throw new Error('load generator did not start');
    const consoles = new ConsoleFleet(api, tenant.id, { lifetimeMs: 60_000, updateEveryMs: 1000 });
    fleet = consoles;
    loadStarted = Date.now();
    consoles.start([...consoleTargets, ...chaosTargets], Math.min(10_000, (o.durationS * 1000) / 6));

    const cols = [
      't s',
      'req',
      '5xx',
      'pve',
      'other',
      ...GROUPS,
      'ticket',
      'open',
      'update',
      'RSS',
      'heap',
      'gc.heap',
      'hndl',
      'live',
      'c.err',
    ];
    const row = table(cols.map((c) => Math.max(c.length, 6)));
    print('');
    if (o.heapSnapshotDir) {
      print(`heap snapshots go to ${o.heapSnapshotDir}; each stalls Nexus for a second or two and grows its RSS,`);
      print('so latencies and console timeouts around them are not those of a normal run');
    }
    print('p99 latencies in ms; pve = 502/504 proxmox.* answers (the unhealthy servers), not Nexus errors;');
    print(
      'RSS, heap in MiB before a forced full GC, gc.heap after it; hndl = active handles; live = consoles healthy+chaos',
    );
    print(row(cols));
    const scraper = setInterval(() => void scrape(), 1000);
    // Forced GCs once per row, more often in a short run: the memory verdict wants ≥ 6 points in
    // the second half.
    const checkpointS = Math.min(o.intervalS, o.durationS / 12);
    const checkpointing = (async () => {
      for (let k = 1; k * checkpointS <= o.durationS + 0.001; k++) {
        await sleep(loadStarted + k * checkpointS * 1000 - Date.now());
        await checkpoint();
      }
    })();
    let healthyFailures = 0;
    let lastReport: LoadReport | null = null;
    try {
      for (let tick = 1; tick * o.intervalS <= o.durationS; tick++) {
        await sleep(loadStarted + tick * o.intervalS * 1000 - Date.now());
        const report = JSON.parse(await load.send('report')) as LoadReport;
        lastReport = report;
        keepFailures(report.failures);
        keepFailures(consoles.takeSamples());
        const w = report.window;
        const ch = consoles.healthy.takeWindow();
        const cc = consoles.chaos.takeWindow();
        const groups = [...Object.values(w), ch.ticket.toJSON(), cc.ticket.toJSON()];
        const sum = (pick: (r: GroupReport) => number) => groups.reduce((n, r) => n + pick(r), 0);
        const cerr = consoles.healthy.failures - healthyFailures;
        healthyFailures = consoles.healthy.failures;
        const m = samples[samples.length - 1];
        const gc = checkpoints[checkpoints.length - 1];
        const last = (tick + 1) * o.intervalS > o.durationS;
        // The middle one just before the judged half: taking a snapshot grows RSS for a while.
        const beforeHalf = tick === Math.max(1, Math.floor(o.durationS / o.intervalS / 2) - 1);
        if (o.heapSnapshotDir && (beforeHalf || last)) {
          const file = `${o.heapSnapshotDir}/nexus-${Math.round((Date.now() - loadStarted) / 1000)}s.heapsnapshot`;
          await gcInspector.heapSnapshot(file).catch((err: Error) => keepFailures([`heap snapshot: ${err.message}`]));
        }
        print(
          row([
            Math.round((Date.now() - loadStarted) / 1000),
            sum((r) => r.n),
            sum((r) => r.nexus5xx),
            sum((r) => r.upstream),
            sum((r) => r.transport + r.other4xx),
            ...GROUPS.map((g) => fmtMs(w[g]?.p99)),
            fmtMs(ch.ticket.latency.percentile(99)),
            fmtMs(ch.open.latency.percentile(99)),
            fmtMs(ch.update.latency.percentile(99)),
            m ? m.rss.toFixed(0) : '–',
            m ? m.heap.toFixed(0) : '–',
            gc ? gc.heapMiB.toFixed(1) : '–',
            m ? m.handles : '–',
            `${consoles.live.healthy}+${consoles.live.chaos}`,
            cerr,
          ]),
        );
        if (proc.child.exitCode !== null) throw new Error(`Nexus exited with ${proc.child.exitCode}`);
      }
      await checkpointing;
    } finally {
      clearInterval(scraper);
    }

    // ---- drain ---------------------------------------------------------------------------------
    const loadEnded = Date.now();
    const final = JSON.parse(await load.send('stop')) as LoadReport;
    keepFailures(final.failures);
    await consoles.stop();
    keepFailures(consoles.takeSamples());
    await sim.send('chaos off');
    let drained: Sample | null = null;
    for (let i = 0; i < 40; i++) {
      await sleep(1000);
      const s = await scrape();
      const settled =
        s &&
        s.handles <= baseHandles + o.handleSlack &&
        s.resources <= baseResources + o.handleSlack &&
        s.consoles === 0 &&
        s.streams === 0;
      if (settled) {
        drained = s;
        break;
      }
    }
    const drainS = (Date.now() - loadEnded) / 1000;
    const afterTypes = handleTypes();
    const after = drained ?? samples[samples.length - 1];
    const simStats = JSON.parse(await sim.send('stats')) as { sockets: number; requests: number };
    // The bookkeeping too: every console row closed (what the tenant's dashboard counts).
    const stats = await api.call('GET', `${t}/stats`);
    const openRows = (stats.body as { activeConsoles?: number } | null)?.activeConsoles ?? -1;

    // ---- verdicts ------------------------------------------------------------------------------
    const totals: Record<string, GroupReport> = { ...(final.total ?? lastReport?.total ?? {}) };
    totals['console ticket'] = consoles.healthy.total.ticket.toJSON();
    totals['console ticket (chaos)'] = consoles.chaos.total.ticket.toJSON();
    totals['console open'] = consoles.healthy.total.open.toJSON();
    totals['console update'] = consoles.healthy.total.update.toJSON();
    const all = Object.values(totals);
    const nexus5xx = all.reduce((n, r) => n + r.nexus5xx, 0);
    const transport = all.reduce((n, r) => n + r.transport, 0);
    const upstream = all.reduce((n, r) => n + r.upstream, 0);
    const requests =
      all.reduce((n, r) => n + r.n, 0) - (totals['console open']?.n ?? 0) - (totals['console update']?.n ?? 0);

    const drainedGc = await checkpoint();
    const loadSamples = samples.filter((s) => s.t >= 0 && s.t <= o.durationS);
    // Judged on the checkpoints of the second half: warm-up (caches, prepared statements, pools,
    // V8 sizing its heap) is over by then, and each point is after a full collection.
    const half = checkpoints.filter((c) => c.t >= o.durationS / 2 - 1 && c.t <= o.durationS + 1);
    const halfS = o.durationS / 2;
    const rssGrowth = slope(half.map((c) => [c.t, c.rssMiB])) * halfS;
    const heapGrowth = slope(half.map((c) => [c.t, c.heapMiB])) * halfS;
    const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
    const logs = proc.output.join('').split('\n');
    const errorLines = logs.filter((l) => /"level":(50|60)/.test(l));
    const verdicts: Verdict[] = [
      {
        name: 'zero 5xx',
        ok: nexus5xx === 0 && transport === 0,
        detail:
          `${requests} requests: ${nexus5xx} Nexus 5xx, ${transport} unanswered; ${upstream} Proxmox failures ` +
          `relayed (502/504 proxmox.*)${final.skipped ? `; ${final.skipped} not sent (200 outstanding)` : ''}`,
      },
      {
        name: 'memory flat',
        ok: half.length >= 4 && rssGrowth <= o.maxRssGrowthMiB && heapGrowth <= o.maxHeapGrowthMiB,
        detail:
          `trend over the second half, after full GCs (${half.length} points): RSS ${signed(rssGrowth)} MiB ` +
          `(limit ${o.maxRssGrowthMiB}), heap ${signed(heapGrowth)} MiB (limit ${o.maxHeapGrowthMiB}); ` +
          `RSS ${baseRss.toFixed(0)} → peak ${Math.max(...loadSamples.map((s) => s.rss)).toFixed(0)} → ` +
          `${drainedGc?.rssMiB.toFixed(0)} MiB; heap after GC ${baseGc?.heapMiB.toFixed(1)} → ` +
          `${half[half.length - 1]?.heapMiB.toFixed(1)} → ${drainedGc?.heapMiB.toFixed(1)} MiB (drained)`,
      },
      {
        name: 'nothing leaked',
        ok: drained !== null && openRows === 0,
        detail:
          `${drained ? `${drainS.toFixed(0)} s after the load` : 'not within 40 s'}: ` +
          `${after?.handles} handles (baseline ${baseHandles}, slack ${o.handleSlack}; ${afterTypes}), ` +
          `${after?.consoles} consoles, ${after?.streams} event streams open in Nexus; pve-sim holds ${simStats.sockets} connections`,
      },
      {
        name: 'consoles held',
        ok: consoles.healthy.failures === 0,
        detail:
          `healthy: ${consoles.healthy.opened} opened, ${consoles.healthy.recycled} closed on purpose, ` +
          `${consoles.healthy.failures} failed${describe(consoles.healthy)}; chaos: ${consoles.chaos.opened} opened, ` +
          `${consoles.chaos.failures} failed as expected${describe(consoles.chaos)}`,
      },
      {
        name: 'no errors logged',
        ok: errorLines.length === 0 && proc.child.exitCode === null,
        detail: `${errorLines.length} error lines in Nexus's log${errorLines[0] ? `, first: ${errorLines[0].slice(0, 300)}` : ''}`,
      },
    ];

    print('');
    print(`totals over ${o.durationS} s (${final.sse.events} events over ${final.sse.reconnects} stream reconnects):`);
    const tcols = ['group', 'requests', 'ok', '4xx exp', '4xx', 'pve', '5xx', 'no answer', 'p50 ms', 'p99 ms'];
    const trow = table([24, 9, 9, 8, 6, 6, 6, 9, 7, 7]);
    print(trow(tcols));
    for (const [g, r] of Object.entries(totals)) {
      print(
        trow([
          g,
          r.n,
          r.ok,
          r.expected4xx,
          r.other4xx,
          r.upstream,
          r.nexus5xx,
          r.transport,
          fmtMs(r.p50),
          fmtMs(r.p99),
        ]),
      );
    }
    if (failures.length > 0) {
      print('');
      print(`failure samples (${failures.length}):`);
      for (const f of failures.slice(0, 20)) print(`  ${f}`);
    }
    print('');
    for (const v of verdicts) print(`${v.ok ? 'PASS' : 'FAIL'}  ${v.name.padEnd(16)} ${v.detail}`);
    return { ok: verdicts.every((v) => v.ok), verdicts, samples, checkpoints, totals, failures };
  } finally {
    // After a failure mid-run too: slots would otherwise keep reopening consoles forever.
    await fleet?.stop();
    for (const child of children) {
      child.proc.stdin?.end();
      setTimeout(() => child.proc.kill('SIGKILL'), 3000).unref();
    }
    await Promise.all(children.map((c) => c.exited));
    await inspector?.close().catch(() => {});
    await nexus?.stop();
    await db?.drop();
  }
}

function describe(c: ConsoleCounts): string {
  const parts = [...c.openFailures, ...c.drops].map(([k, v]) => `${k} ×${v}`);
  if (c.stuck) parts.push(`no update ×${c.stuck}`);
  return parts.length ? ` (${parts.slice(0, 6).join('; ')})` : '';
}

function parseArgs(argv: string[]): Partial<SoakOptions> {
  const out: Partial<SoakOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--duration') out.durationS = value();
    else if (a === '--interval') out.intervalS = value();
    else if (a === '--consoles') out.consoles = value();
    else if (a === '--rate') out.rate = value();
    else if (a === '--postgres') out.postgres = true;
    else if (a === '--heap-snapshots') out.heapSnapshotDir = argv[++i];
    else if (a === 'soak')
      continue; // `npm run bench -- soak …`
    else
      throw new Error(
        `unknown argument ${a} (have --duration s, --interval s, --consoles n, --rate n, --postgres, --heap-snapshots dir)`,
      );
  }
  return out;
}

/** `npm run bench -- soak …` and `npm run soak -- …`: exits 1 when a verdict fails. */
export async function run(): Promise<void> {
  let options: Partial<SoakOptions>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const result = await runSoak(options);
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
