// Pieces the chaos soak's processes share (bench/soak.ts, soak-load.ts, soak-consoles.ts): a
// small API client like the SPA (cookie, CSRF token, Origin), the classification of answers that
// the verdicts rest on, a bounded latency histogram, and the load generator's report format.

/** Every answer falls in exactly one class; only `nexus5xx` and `transport` count as failures. */
export type Outcome =
  | 'ok'
  /** A 4xx the caller expects under chaos (e.g. 409 vm.action_not_applicable). */
  | 'expected4xx'
  /** Any other 4xx: a bug in the soak or in Nexus, reported, not a verdict. */
  | 'other4xx'
  /** 502/504 with a `proxmox.*` code: Proxmox's answer relayed, not a Nexus failure. */
  | 'upstream'
  /** Any other 5xx: Nexus failed. */
  | 'nexus5xx'
  /** No HTTP answer at all (reset, refused, our 30 s deadline). */
  | 'transport';

export const OUTCOMES: readonly Outcome[] = ['ok', 'expected4xx', 'other4xx', 'upstream', 'nexus5xx', 'transport'];

export function classify(status: number, code: string | undefined, expected4xx: readonly string[] = []): Outcome {
  if (status < 400) return 'ok';
  if (status < 500) return code && expected4xx.includes(code) ? 'expected4xx' : 'other4xx';
  if ((status === 502 || status === 504) && code?.startsWith('proxmox.')) return 'upstream';
  return 'nexus5xx';
}

/** Latencies in log-spaced buckets (2 % wide): constant memory however long the soak runs. */
export class Histogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  max = 0;
  private static readonly STEP = Math.log(1.02);

  record(ms: number): void {
    const v = Math.max(0.01, ms);
    const i = Math.ceil(Math.log(v / 0.01) / Histogram.STEP);
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1);
    this.count++;
    if (v > this.max) this.max = v;
  }

  /** The p-th percentile, accurate to 2 %; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const i of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(i) ?? 0;
      if (seen >= rank) return Math.min(this.max, 0.01 * Math.exp(i * Histogram.STEP));
    }
    return this.max;
  }

  merge(other: Histogram): void {
    for (const [i, n] of other.buckets) this.buckets.set(i, (this.buckets.get(i) ?? 0) + n);
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  reset(): void {
    this.buckets.clear();
    this.count = 0;
    this.max = 0;
  }
}

/** Counts and latencies of one endpoint group. */
export class GroupStats {
  readonly outcomes: Record<Outcome, number> = {
    ok: 0,
    expected4xx: 0,
    other4xx: 0,
    upstream: 0,
    nexus5xx: 0,
    transport: 0,
  };
  readonly latency = new Histogram();

  add(outcome: Outcome, ms: number): void {
    this.outcomes[outcome]++;
    // Latency of answers only: a transport failure has no answer time worth a percentile.
    if (outcome !== 'transport') this.latency.record(ms);
  }

  get total(): number {
    return OUTCOMES.reduce((n, o) => n + this.outcomes[o], 0);
  }

  merge(other: GroupStats): void {
    for (const o of OUTCOMES) this.outcomes[o] += other.outcomes[o];
    this.latency.merge(other.latency);
  }

  toJSON(): GroupReport {
    return { ...this.outcomes, n: this.total, p99: this.latency.percentile(99), p50: this.latency.percentile(50) };
  }
}

export interface GroupReport extends Record<Outcome, number> {
  n: number;
  p50: number;
  p99: number;
}

/** What the load generator prints for every `report` it is asked for (and `stop`). */
export interface LoadReport {
  /** Since the previous report. */
  window: Record<string, GroupReport>;
  /** Since the start. */
  total: Record<string, GroupReport>;
  /** New failure samples since the previous report (at most a few per window). */
  failures: string[];
  sse: { open: number; events: number; reconnects: number };
  /** Requests not started because `maxInFlight` were outstanding (Nexus falling behind). */
  skipped: number;
}

/** Talks to Nexus like the web app: session cookie, X-CSRF-Token on writes, Origin. */
export class SoakApi {
  cookie = '';
  csrf = '';

  constructor(
    readonly url: string,
    readonly origin: string,
  ) {}

  headers(method: string, json: boolean): Record<string, string> {
    const h: Record<string, string> = { origin: this.origin };
    if (this.cookie) h.cookie = this.cookie;
    if (method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (json) h['content-type'] = 'application/json';
    return h;
  }

  async login(email: string, password: string): Promise<void> {
    const res = await this.call('POST', '/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${res.text}`);
    this.csrf = (res.body as { csrfToken: string }).csrfToken;
  }

  /** One request; never throws for an HTTP answer (transport failures do throw). */
  async call(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 30_000,
  ): Promise<{ status: number; code: string | undefined; body: unknown; text: string; ms: number }> {
    const started = performance.now();
    const res = await fetch(this.url + path, {
      method,
      headers: this.headers(method, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const cookie = res.headers.getSetCookie().find((c) => /^[\w-]*nexus_session=[^;]/.test(c));
    if (cookie) this.cookie = cookie.split(';')[0] ?? '';
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (CSV, metrics text)
    }
    const code = (parsed as { error?: { code?: string } } | null)?.error?.code;
    return { status: res.status, code, body: parsed, text, ms };
  }
}

/** A short description of a failure, for the report (no cookies, no tickets). */
export function failureSample(what: string, status: number | string, text: string): string {
  return `${what} → ${status} ${text.replace(/\s+/g, ' ').slice(0, 240)}`;
}

/** Prometheus text → `name{labels}` → value (labels as written by prom-client, sorted by it). */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    if (at < 0) continue;
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** Sum of every series of `name` whose labels include all of `match` (e.g. status="500"). */
export function sumMetric(metrics: Map<string, number>, name: string, match: (labels: string) => boolean = () => true) {
  let sum = 0;
  for (const [key, value] of metrics) {
    const brace = key.indexOf('{');
    const base = brace < 0 ? key : key.slice(0, brace);
    if (base !== name) continue;
    if (match(brace < 0 ? '' : key.slice(brace))) sum += value;
  }
  return sum;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const jitter = (ms: number, spread = 0.3) => ms * (1 - spread + Math.random() * 2 * spread);
