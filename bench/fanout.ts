// `npm run bench -- fanout`: the tenant-wide guest list over many servers, some of them slow or
// dead. Three processes: pve-sim (bench/fanout-sim.ts), Nexus (bench/fanout-nexus.ts, production
// cache settings) and this one, 50 browsers polling GET /api/tenants/:t/vms. Prints a table; the
// targets are printed, not asserted.
//
//  cold, empty cache   the cache is cleared, then 50 clients ask at once (first contact: the
//                      slowest server's deadline bounds it)
//  cold, expired cache the cache period has passed, then 50 clients ask at once (stale-while-
//                      revalidate: healthy servers refresh, slow and dead ones answer from memory)
//  warm                50 clients asking back to back within the cache period
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { percentile, startChild } from './bench-kit';

const SERVERS = 50;
const VMS = 100;
const SLOW = 3;
const SLOW_MS = 3000;
const DEAD = 2;
const DEADLINE_MS = 4000;
const CLIENTS = 50;
const TTL_MS = 5000; // DEFAULT_CACHE_TIMING.ttlMs
const EMPTY_ROUNDS = 3;
const EXPIRED_ROUNDS = 5;
const WARM_MS = 4000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

export async function run(): Promise<void> {
  const started = Date.now();
  process.stderr.write(`starting pve-sim (${SERVERS} servers × ${VMS} guests)…\n`);
  const sim = startChild('fanout-sim.ts', {
    BENCH_SERVERS: String(SERVERS),
    BENCH_VMS: String(VMS),
    BENCH_SLOW: String(SLOW),
    BENCH_SLOW_MS: String(SLOW_MS),
    BENCH_DEAD: String(DEAD),
  });
  const sims = await sim.next();
  process.stderr.write('starting Nexus and registering the servers…\n');
  const nexus = startChild('fanout-nexus.ts', { BENCH_SIMS: sims, BENCH_DEADLINE_MS: String(DEADLINE_MS) });
  const info = JSON.parse(await nexus.next()) as { url: string; cookie: string; tenantId: string };
  const listUrl = `${info.url}/api/tenants/${info.tenantId}/vms`;

  // Like a browser: keep-alive connections, gzip accepted. Bodies are read, not decompressed (a
  // browser does that in its own process), except one sample to check the answer.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const target = new URL(listUrl);
  let bytes = 0;
  let wireBytes = 0;
  let failures = 0;
  let sample: { vms: unknown[]; servers: { ok: boolean }[] } | null = null;
  const one = (keep = false): Promise<number> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          headers: { cookie: info.cookie, 'accept-encoding': 'gzip, deflate, br' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const elapsed = performance.now() - t0;
            if (res.statusCode !== 200) failures++;
            const body = Buffer.concat(chunks);
            wireBytes = body.length;
            if (keep) {
              const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
              bytes = Buffer.byteLength(text);
              sample = JSON.parse(text);
            }
            resolve(elapsed);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
  const round = (keepOne = false) => Promise.all(Array.from({ length: CLIENTS }, (_, i) => one(keepOne && i === 0)));

  try {
    const coldEmpty: number[] = [];
    for (let r = 0; r < EMPTY_ROUNDS; r++) {
      process.stderr.write(`cold round ${r + 1}/${EMPTY_ROUNDS} (empty cache)…\n`);
      await nexus.send('clear');
      coldEmpty.push(...(await round(r === 0)));
    }

    const countsBefore = JSON.parse(await sim.send('counts')) as number[];
    const counted = Date.now();
    const coldExpired: number[] = [];
    for (let r = 0; r < EXPIRED_ROUNDS; r++) {
      process.stderr.write(`cold round ${r + 1}/${EXPIRED_ROUNDS} (expired cache)…\n`);
      await sleep(TTL_MS + 100);
      coldExpired.push(...(await round()));
    }

    process.stderr.write(`warm: ${CLIENTS} clients for ${WARM_MS} ms…\n`);
    const warm: number[] = [];
    const until = performance.now() + WARM_MS;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) warm.push(await one());
      }),
    );
    const countsAfter = JSON.parse(await sim.send('counts')) as number[];
    const periods = Math.max(1, (Date.now() - counted) / TTL_MS);
    const calls = countsAfter.map((c, i) => c - (countsBefore[i] ?? 0));
    const healthy = calls.slice(0, SERVERS - SLOW - DEAD);

    const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
    const coldAll = sorted([...coldEmpty, ...coldExpired]);
    const rows: [string, string, string, string][] = [
      [`cold, empty cache (${EMPTY_ROUNDS} rounds × ${CLIENTS})`, '', '', ''],
      [`cold, expired cache (${EXPIRED_ROUNDS} rounds × ${CLIENTS})`, '', '', ''],
      ['cold, all', '', '', `p50 ≤ 400 ms, p99 ≤ ${DEADLINE_MS + 200} ms`],
      [`warm (${warm.length} requests)`, '', '', 'p99 ≤ 50 ms'],
    ];
    const sets = [sorted(coldEmpty), sorted(coldExpired), coldAll, sorted(warm)];
    sets.forEach((set, i) => {
      const row = rows[i];
      if (!row) return;
      row[1] = ms(percentile(set, 50));
      row[2] = ms(percentile(set, 99));
    });
    const s = sample as { vms: unknown[]; servers: { ok: boolean }[] } | null;
    const out = [
      '',
      `fan-out: ${SERVERS} servers × ${VMS} guests (${SLOW} slowed to ${SLOW_MS} ms, ${DEAD} black-holed), ` +
        `per-server deadline ${DEADLINE_MS} ms, ${CLIENTS} concurrent clients, cache period ${TTL_MS} ms`,
      `answer: ${s?.vms.length ?? '?'} guests, ${s?.servers.filter((x) => x.ok).length ?? '?'}/${s?.servers.length ?? '?'} servers ok, ` +
        `${(bytes / 1024).toFixed(0)} KiB of JSON, ${(wireBytes / 1024).toFixed(0)} KiB gzipped on the wire; non-200 answers: ${failures}`,
      '',
      '| measure | p50 | p99 | target |',
      '|---|---:|---:|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      `| upstream /cluster/resources per server per cache period | max ${(Math.max(...calls) / periods).toFixed(2)} | mean ${(
        calls.reduce((a, b) => a + b, 0) / calls.length / periods
      ).toFixed(2)} | ≤ 1 whatever the client count |`,
      '',
      `upstream calls per server over ${periods.toFixed(1)} cache periods (expired + warm phases): ` +
        `healthy ${Math.min(...healthy)}–${Math.max(...healthy)}, slowed ${calls
          .slice(SERVERS - SLOW - DEAD, SERVERS - DEAD)
          .join('/')}, black-holed ${calls.slice(SERVERS - DEAD).join('/')} ` +
        `(for ${CLIENTS * EXPIRED_ROUNDS + warm.length} client requests)`,
      `total time ${((Date.now() - started) / 1000).toFixed(0)} s`,
      '',
    ];
    process.stdout.write(out.join('\n'));
  } finally {
    agent.destroy();
    nexus.proc.stdin?.end();
    sim.proc.stdin?.end();
    await sleep(500);
    nexus.proc.kill();
    sim.proc.kill();
  }
}
