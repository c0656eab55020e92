// `npm run bench -- relay`: the console relay measured against going direct, in one run.
// Three processes: sources (bench/relay-source.ts), Nexus (bench/relay-nexus.ts, measured on
// its own), and this one, the browsers. Prints a table; the targets are printed, not asserted.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createProxmoxClient } from '../server/src/proxmox/index';
import { BenchClient } from './rfb-bench-client';
import { BLASTER_PASSWORD } from './rfb-blaster';

interface SourceInfo {
  wsUrl: string;
  sim: { host: string; port: number; token: string; fingerprint: string };
  websockify: { blast: number; idle: number } | null;
}
interface NexusInfo {
  url: string;
  origin: string;
  email: string;
  password: string;
  plainServerId: string;
  pid: number;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];

function startChild<T>(file: string, env: Record<string, string> = {}): Promise<T & { child: ChildProcess }> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, ['--expose-gc', ...profile, '--import', 'tsx', here(file)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      lines.close();
      resolve({ ...(JSON.parse(line) as T), child });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

// ---- talking to Nexus like the SPA -------------------------------------------------------------

class Api {
  cookie = '';
  csrf = '';
  constructor(readonly nexus: NexusInfo) {}
  async call(method: string, path: string, body?: unknown): Promise<any> {
    const headers: Record<string, string> = { cookie: this.cookie, origin: this.nexus.origin };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.nexus.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('nexus_session='));
    if (cookie) this.cookie = cookie.split(';')[0] ?? '';
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

async function nexusConsole(api: Api, tenantId: string, serverId: string, vmid: number, parse: boolean) {
  const ticket = await api.call('POST', `/api/tenants/${tenantId}/servers/${serverId}/vms/${vmid}/console`);
  const ws = new WebSocket(api.nexus.url.replace(/^http/, 'ws') + ticket.wsPath, ['binary'], {
    headers: { cookie: api.cookie, origin: api.nexus.origin },
    perMessageDeflate: false,
    maxPayload: 16 * 1024 * 1024,
  });
  const client = new BenchClient(ws, null, parse);
  await client.ready;
  return client;
}

function plainDirect(source: SourceInfo, vmid: number, parse: boolean): BenchClient {
  const ws = new WebSocket(`${source.wsUrl}/${vmid}`, ['binary'], {
    perMessageDeflate: false,
    maxPayload: 16 * 1024 * 1024,
  });
  return new BenchClient(ws, BLASTER_PASSWORD, parse);
}

async function tlsDirect(source: SourceInfo, vmid: number, parse: boolean): Promise<BenchClient> {
  const i = source.sim.token.indexOf('=');
  const conn = createProxmoxClient().forServer({
    tenantId: 'bench',
    serverId: 'bench',
    host: source.sim.host,
    port: source.sim.port,
    tokenId: source.sim.token.slice(0, i),
    tokenSecret: source.sim.token.slice(i + 1),
    tls: { mode: 'pinned', fingerprint: source.sim.fingerprint },
    timeoutMs: 8000,
  });
  const grant = await conn.post<{ port: string; ticket: string; password?: string }>(
    `/nodes/pve1/qemu/${vmid}/vncproxy`,
    { websocket: true },
  );
  let client: BenchClient | undefined;
  await conn.openWebSocket(
    `/nodes/pve1/qemu/${vmid}/vncwebsocket`,
    { port: grant.port, vncticket: grant.ticket },
    ['binary'],
    {
      maxPayload: 16 * 1024 * 1024,
      onSocket: (ws) => {
        client = new BenchClient(ws, grant.password ?? grant.ticket, parse);
      },
    },
  );
  return client as BenchClient;
}

function websockifyClient(port: number, parse: boolean): BenchClient {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, ['binary'], {
    perMessageDeflate: false,
    maxPayload: 16 * 1024 * 1024,
  });
  return new BenchClient(ws, BLASTER_PASSWORD, parse);
}

// ---- measurements ------------------------------------------------------------------------------

const THROUGHPUT_MS = Number(process.env.BENCH_THROUGHPUT_MS ?? 2000);
/** `BENCH_RELAY_ONLY=throughput,latency` runs only those parts (e.g. to profile one of them). */
const ONLY = new Set((process.env.BENCH_RELAY_ONLY ?? '').split(',').filter(Boolean));
const part = (name: 'stalled' | 'latency' | 'sessions' | 'throughput') => ONLY.size === 0 || ONLY.has(name);

/** Direct and relayed alternately, three rounds each; the median of each (2 shared CPUs are noisy). */
async function compare(direct: () => Promise<BenchClient>, relayed: () => Promise<BenchClient>) {
  const d: number[] = [];
  const r: number[] = [];
  for (let round = 0; round < 3; round++) {
    d.push(await throughput(direct));
    r.push(await throughput(relayed));
  }
  return { direct: percentile(d, 50), relayed: percentile(r, 50) };
}

async function throughput(open: () => Promise<BenchClient>): Promise<number> {
  const client = await open();
  await client.ready;
  client.start();
  await sleep(500);
  const start = client.bytes;
  const t0 = performance.now();
  await sleep(THROUGHPUT_MS);
  const mbps = (client.bytes - start) / ((performance.now() - t0) / 1000) / 1024 / 1024;
  client.close();
  await sleep(200);
  return mbps;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function latency(open: () => Promise<BenchClient>, count = 2000): Promise<{ p50: number; p99: number }> {
  const client = await open();
  await client.ready;
  for (let i = 0; i < 200; i++) await client.ping();
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) rtts.push(await client.ping());
  client.close();
  return { p50: percentile(rtts, 50), p99: percentile(rtts, 99) };
}

/** Asks the Nexus child (started with --expose-gc) for a full collection. */
function gcIn(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', () => {
      lines.close();
      resolve();
    });
    child.stdin?.write('gc\n');
  });
}

const CLK_TCK = 100;
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function sessions(api: Api, tenantId: string, serverId: string, pid: number, n: number) {
  const clients: BenchClient[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        nexusConsole(api, tenantId, serverId, 10_000 + i + j, true),
      ),
    );
    for (const c of batch) c.start();
    clients.push(...batch);
  }
  await sleep(1000);
  const rtts: number[] = [];
  const startBytes = new Map(clients.map((c) => [c, c.bytes]));
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const seconds = 8;
  await Promise.all(
    clients.map(async (c) => {
      await sleep(Math.random() * 1000);
      for (let k = 0; k < seconds; k++) {
        const started = performance.now();
        rtts.push(await c.ping());
        await sleep(Math.max(0, 1000 - (performance.now() - started)));
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = ((cpuSeconds(pid) - cpu0) / wall) * 100;
  const rss = rssMiB(pid);
  const received = clients.reduce((sum, c) => sum + (c.bytes - (startBytes.get(c) ?? 0)), 0);
  const mbitPerSession = (received * 8) / 1e6 / wall / clients.length;
  for (const c of clients) c.close();
  await sleep(1500);
  return { cpu, rss, p99: percentile(rtts, 99), p50: percentile(rtts, 50), mbitPerSession };
}

async function stalled(api: Api, tenantId: string, serverId: string, nexus: ChildProcess, pid: number) {
  // RSS after a full GC in Nexus, before and while 10 browsers have stopped reading: what the
  // stalled consoles hold, not the garbage of what flowed before they stalled.
  const settledRss = async () => {
    await gcIn(nexus);
    await sleep(300);
    return rssMiB(pid);
  };
  const warm = await nexusConsole(api, tenantId, serverId, 100, false);
  warm.start();
  await sleep(500);
  warm.close();
  await sleep(500);
  const before = await settledRss();
  const clients: BenchClient[] = [];
  for (let i = 0; i < 10; i++) {
    const c = await nexusConsole(api, tenantId, serverId, 100, false);
    c.start();
    await sleep(100);
    c.stall();
    clients.push(c);
  }
  await sleep(5000);
  const after = await settledRss();
  for (const c of clients) c.close();
  await sleep(1000);
  return { before, after, growth: after - before };
}

// ---- the run -----------------------------------------------------------------------------------

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export async function run(): Promise<void> {
  try {
    process.stdout.write('relay benchmark: starting sources and Nexus…\n');
    const source = await startChild<SourceInfo>('./relay-source.ts');
    const nexus = await startChild<NexusInfo>('./relay-nexus.ts', { BENCH_SOURCE_WS: source.wsUrl });
    const api = new Api(nexus);
    const login = await api.call('POST', '/api/auth/login', { email: nexus.email, password: nexus.password });
    api.csrf = login.csrfToken;
    const tenant = await api.call('POST', '/api/tenants', { name: 'Bench', slug: `bench-${Date.now()}` });
    await api.call('PUT', `/api/tenants/${tenant.id}/settings`, {
      maxConcurrentConsoles: 2000,
      consoleIdleTimeoutMinutes: 60,
    });
    const sim = await api.call('POST', `/api/tenants/${tenant.id}/servers`, {
      name: 'pve-sim',
      host: source.sim.host,
      port: source.sim.port,
      apiToken: source.sim.token,
      tlsMode: 'pinned',
      tlsFingerprint: source.sim.fingerprint,
    });
    const plainId = nexus.plainServerId;
    const rows: string[][] = [];
    const add = (what: string, direct: string, viaNexus: string, result: string, target: string, ok: boolean | null) =>
      rows.push([what, direct, viaNexus, result, target, ok === null ? '' : ok ? 'met' : 'MISSED']);

    if (part('latency')) {
      process.stdout.write('latency…\n');
      const latDirect = await latency(async () => plainDirect(source, 300, true));
      const latNexus = await latency(() => nexusConsole(api, tenant.id, plainId, 300, true));
      const addedP50 = latNexus.p50 - latDirect.p50;
      const addedP99 = latNexus.p99 - latDirect.p99;
      add(
        '64-byte ping-pong, no TLS, p50 / p99 (ms)',
        `${fmt(latDirect.p50, 3)} / ${fmt(latDirect.p99, 3)}`,
        `${fmt(latNexus.p50, 3)} / ${fmt(latNexus.p99, 3)}`,
        `+${fmt(addedP50, 3)} / +${fmt(addedP99, 3)}`,
        '≤ +0.2 / +1 ms',
        addedP50 <= 0.2 && addedP99 <= 1,
      );
      const latTlsDirect = await latency(() => tlsDirect(source, 300, true), 1000);
      const latTlsNexus = await latency(() => nexusConsole(api, tenant.id, sim.id, 300, true), 1000);
      add(
        '64-byte ping-pong, TLS to pve-sim, p50 / p99 (ms)',
        `${fmt(latTlsDirect.p50, 3)} / ${fmt(latTlsDirect.p99, 3)}`,
        `${fmt(latTlsNexus.p50, 3)} / ${fmt(latTlsNexus.p99, 3)}`,
        `+${fmt(latTlsNexus.p50 - latTlsDirect.p50, 3)} / +${fmt(latTlsNexus.p99 - latTlsDirect.p99, 3)}`,
        '≤ +0.2 / +1 ms',
        null,
      );
      if (source.websockify) {
        const port = source.websockify.idle;
        const latWs = await latency(async () => websockifyClient(port, true));
        add(
          'reference: websockify ping-pong p50 / p99 (ms)',
          '',
          `${fmt(latWs.p50, 3)} / ${fmt(latWs.p99, 3)}`,
          '',
          '',
          null,
        );
      }
    }

    for (const n of part('sessions') ? [200, 500] : []) {
      process.stdout.write(`${n} sessions at 2 Mbit/s…\n`);
      const s = await sessions(api, tenant.id, plainId, nexus.pid, n);
      add(
        `${n} sessions × 2 Mbit/s over 8 nodes: CPU, RSS, ping p50 / p99`,
        '',
        `${fmt(s.cpu, 0)} % CPU, ${fmt(s.rss, 0)} MiB, ${fmt(s.mbitPerSession, 2)} Mbit/s each`,
        `${fmt(s.p50, 2)} / ${fmt(s.p99, 2)} ms`,
        n === 500 ? 'p99 ≤ 20 ms' : '',
        n === 500 ? s.p99 <= 20 : null,
      );
    }

    if (part('throughput')) {
      process.stdout.write('throughput…\n');
      const plainTp = await compare(
        async () => plainDirect(source, 100, false),
        () => nexusConsole(api, tenant.id, plainId, 100, false),
      );
      const tpPlainDirect = plainTp.direct;
      const tpPlainNexus = plainTp.relayed;
      add(
        'throughput, 1 stream, no TLS (MiB/s)',
        fmt(tpPlainDirect),
        fmt(tpPlainNexus),
        `${fmt(tpPlainNexus / tpPlainDirect, 2)}×`,
        '≥ 0.6× direct',
        tpPlainNexus / tpPlainDirect >= 0.6,
      );
      const tlsTp = await compare(
        () => tlsDirect(source, 100, false),
        () => nexusConsole(api, tenant.id, sim.id, 100, false),
      );
      const tpTlsDirect = tlsTp.direct;
      const tpTlsNexus = tlsTp.relayed;
      add(
        'throughput, 1 stream, TLS to pve-sim (MiB/s)',
        fmt(tpTlsDirect),
        fmt(tpTlsNexus),
        `${fmt(tpTlsNexus / tpTlsDirect, 2)}×`,
        '≥ 0.6× direct',
        tpTlsNexus / tpTlsDirect >= 0.6,
      );
      if (source.websockify) {
        const port = source.websockify.blast;
        const tpWebsockify = await throughput(async () => websockifyClient(port, false));
        add(
          'reference: websockify, same stream (MiB/s)',
          '',
          fmt(tpWebsockify),
          `Nexus ${fmt(tpPlainNexus / tpWebsockify, 2)}× websockify`,
          '',
          null,
        );
      } else {
        add('reference: websockify', '', 'not installed', 'apt-get install -y websockify', '', null);
      }
    }

    // Last: it forces full collections in Nexus, which leave V8's young generation small and
    // would inflate the CPU and GC time of whatever ran after it.
    if (part('stalled')) {
      process.stdout.write('10 stalled clients…\n');
      const st = await stalled(api, tenant.id, plainId, nexus.child, nexus.pid);
      add(
        'RSS growth with 10 stalled clients (MiB)',
        '',
        `${fmt(st.before, 0)} → ${fmt(st.after, 0)}`,
        `+${fmt(st.growth)}`,
        '≤ 25 MiB',
        st.growth <= 25,
      );
    }

    const header = ['measurement', 'direct', 'through Nexus', 'result', 'target', ''];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
    process.stdout.write(
      `\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`,
    );
    process.stdout.write(
      `\n(${process.platform} ${process.arch}, node ${process.version}, ${availableParallelism()} CPUs)\n`,
    );
  } finally {
    for (const child of children) {
      child.stdin?.end();
      child.kill('SIGTERM');
    }
  }
}
