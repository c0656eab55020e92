// Per-server cache of `/cluster/resources?type=vm`, in this process's memory (several instances
// each keep their own; at most one upstream call per server per TTL per instance).
//
//  - fresh (age ≤ ttl): answered from memory.
//  - stale (ttl < age ≤ maxStale): one refresh starts (single-flight); a server whose last fetch
//    was fast and fine gets `graceMs` to finish it, anything else (slow, failing, dead) is answered
//    from the previous result at once — so a dead server costs nothing after its first deadline.
//  - nothing usable: every caller awaits the same fetch, which is bounded by the server's deadline.
//
// Fetch errors are results too (cached like data), so a failing server is not hammered.
import type { FetchError } from '@common/schemas/vms';
import { isAppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import type { InventoryGuest } from './guest-normalize';

export interface CacheTiming {
  /** How long a result is fresh. */
  ttlMs: number;
  /** Results older than this are never served; callers wait for a new fetch. */
  maxStaleMs: number;
  /** How long a stale-but-healthy server gets to refresh before the stale result is served. */
  graceMs: number;
}

export const DEFAULT_CACHE_TIMING: CacheTiming = { ttlMs: 5_000, maxStaleMs: 10 * 60_000, graceMs: 250 };

/** The cache's key for a server: its id, plus a version that changes when its settings do. */
export interface CacheKey {
  tenantId: string;
  serverId: string;
  version: string;
  /** Deadline of one fetch (the server's learned timeout). */
  timeoutMs: number;
}

export interface Snapshot {
  ok: boolean;
  guests: InventoryGuest[];
  error: FetchError | null;
  /** The failure's details (Proxmox's status and reason), for callers that re-raise it. */
  errorDetails: unknown;
  /** When the answer (or the failure) came in. */
  fetchedAt: number;
  durationMs: number;
  /** Changes whenever what this snapshot says changes (for response caching). */
  seq: number;
}

export interface CachedAnswer {
  snapshot: Snapshot;
  /** Served from an older fetch while a refresh is running. */
  stale: boolean;
}

export type GuestFetcher = (key: CacheKey, signal: AbortSignal) => Promise<InventoryGuest[]>;

interface Entry {
  tenantId: string;
  version: string;
  snapshot: Snapshot | null;
  inflight: Promise<Snapshot> | null;
  /** Set by invalidate(): the next read refreshes even within the TTL. */
  dirty: boolean;
}

let seqCounter = 0;

export function errorInfo(err: unknown): FetchError {
  if (isAppError(err)) return { code: err.code, message: err.message };
  return { code: 'http.internal', message: 'The guest list could not be read' };
}

export class ResourceCache {
  private readonly entries = new Map<string, Entry>();
  private readonly aborter = new AbortController();
  private sweptAt = 0;
  /** Upstream fetches started, per server (tests and the benchmark read it). */
  readonly fetchCounts = new Map<string, number>();
  /** Told when what we know changed outside a fetch (a patch, an invalidation), per tenant. */
  onLocalChange: (tenantId: string) => void = () => {};

  constructor(
    private readonly fetcher: GuestFetcher,
    private readonly timing: CacheTiming,
    private readonly clock: Clock,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async get(key: CacheKey): Promise<CachedAnswer> {
    const now = this.clock.now();
    this.sweep(now);
    const entry = this.entry(key);
    const snap = entry.snapshot;
    if (snap && !entry.dirty && now - snap.fetchedAt <= this.timing.ttlMs) return { snapshot: snap, stale: false };
    if (!snap || now - snap.fetchedAt > this.timing.maxStaleMs) {
      return { snapshot: await this.start(key, entry), stale: false };
    }
    const refresh = this.start(key, entry);
    const fast = snap.ok && snap.durationMs <= this.timing.graceMs;
    if (fast && this.timing.graceMs > 0) {
      const fresh = await withinMs(refresh, this.timing.graceMs);
      if (fresh) return { snapshot: fresh, stale: false };
    }
    return { snapshot: entry.snapshot ?? snap, stale: entry.snapshot === snap };
  }

  /** A result no older than `maxAgeMs`, fetching (or joining a fetch) when needed. */
  async refresh(key: CacheKey, maxAgeMs: number): Promise<Snapshot> {
    const entry = this.entry(key);
    const snap = entry.snapshot;
    if (snap && !entry.dirty && this.clock.now() - snap.fetchedAt <= maxAgeMs) return snap;
    return this.start(key, entry);
  }

  /** The current result without any fetch (null when there is none). */
  peek(serverId: string): Snapshot | null {
    return this.entries.get(serverId)?.snapshot ?? null;
  }

  /** Whether what the cache says about this server is fresh enough to act on. */
  isFresh(serverId: string): boolean {
    const entry = this.entries.get(serverId);
    const snap = entry?.snapshot;
    return !!snap && !entry.dirty && snap.ok && this.clock.now() - snap.fetchedAt <= this.timing.ttlMs;
  }

  /** The next read refreshes (stale-while-revalidate still applies). */
  invalidate(serverId: string): void {
    const entry = this.entries.get(serverId);
    if (!entry) return;
    entry.dirty = true;
    this.onLocalChange(entry.tenantId);
  }

  /** Applies what we learned about one guest (after an action or a status read). */
  patchGuest(serverId: string, vmid: number, patch: Partial<InventoryGuest>): void {
    const snap = this.entries.get(serverId)?.snapshot;
    if (!snap) return;
    const i = snap.guests.findIndex((g) => g.vmid === vmid);
    const guest = snap.guests[i];
    if (!guest) return;
    const guests = [...snap.guests];
    guests[i] = { ...guest, ...patch };
    this.replace(serverId, { ...snap, guests, seq: ++seqCounter });
  }

  /** A node answered 595/596: its guests are flagged until the next fetch says otherwise. */
  markNodeOffline(serverId: string, node: string): void {
    const snap = this.entries.get(serverId)?.snapshot;
    if (!snap?.guests.some((g) => g.node === node && !g.nodeOffline)) return;
    const guests = snap.guests.map((g) => (g.node === node ? { ...g, nodeOffline: true, status: 'unknown' } : g));
    this.replace(serverId, { ...snap, guests, seq: ++seqCounter });
  }

  delete(serverId: string): void {
    this.entries.delete(serverId);
  }

  clear(): void {
    this.entries.clear();
  }

  close(): void {
    this.aborter.abort();
    this.entries.clear();
  }

  /** Forgets servers nobody asked about for longer than results may be served (deleted ones). */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [id, entry] of this.entries) {
      if (!entry.inflight && (!entry.snapshot || now - entry.snapshot.fetchedAt > this.timing.maxStaleMs)) {
        this.entries.delete(id);
      }
    }
  }

  private replace(serverId: string, snapshot: Snapshot): void {
    const entry = this.entries.get(serverId);
    if (!entry) return;
    entry.snapshot = snapshot;
    this.onLocalChange(entry.tenantId);
  }

  private entry(key: CacheKey): Entry {
    let entry = this.entries.get(key.serverId);
    if (!entry || entry.version !== key.version) {
      // A changed server (host, token, TLS…) starts over: nothing of the old one is served.
      entry = { tenantId: key.tenantId, version: key.version, snapshot: null, inflight: null, dirty: false };
      this.entries.set(key.serverId, entry);
    }
    return entry;
  }

  /** Single flight: joins the running fetch of this server, or starts one. */
  private start(key: CacheKey, entry: Entry): Promise<Snapshot> {
    if (entry.inflight) return entry.inflight;
    entry.dirty = false;
    this.fetchCounts.set(key.serverId, (this.fetchCounts.get(key.serverId) ?? 0) + 1);
    const started = this.clock.now();
    const run = async (): Promise<Snapshot> => {
      try {
        const guests = await this.fetcher(key, this.aborter.signal);
        const now = this.clock.now();
        return {
          ok: true,
          guests,
          error: null,
          errorDetails: undefined,
          fetchedAt: now,
          durationMs: now - started,
          seq: ++seqCounter,
        };
      } catch (err) {
        if (!isAppError(err) && !this.aborter.signal.aborted) this.onError(err);
        const now = this.clock.now();
        return {
          ok: false,
          guests: [],
          error: errorInfo(err),
          errorDetails: isAppError(err) ? err.details : undefined,
          fetchedAt: now,
          durationMs: now - started,
          seq: ++seqCounter,
        };
      }
    };
    const promise = run().then((snapshot) => {
      // Only the entry that started it takes the result (the server may have changed meanwhile).
      if (this.entries.get(key.serverId) === entry) entry.snapshot = snapshot;
      entry.inflight = null;
      return snapshot;
    });
    entry.inflight = promise;
    return promise;
  }
}

/** The promise's value if it settles within `ms`, else null (the promise keeps running). */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise<T | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}
