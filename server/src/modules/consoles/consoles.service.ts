// Consoles: the live relays of this instance (tickets and the upgrade's checks are
// console-tickets.ts), revocation, and the bookkeeping (console_sessions rows, audit, metrics, events).
// Tickets and sessions live in the database and revocation travels as hub system events, so a
// ticket issued on one instance can be upgraded on another and any instance can end any console.

import { setTimeout as sleep } from 'node:timers/promises';
import type { SystemEvent } from '@common/events';
import { CONSOLE_CLOSE, type ConsoleTicket, type ConsoleViewer } from '@common/schemas/consoles';
import type { Kysely } from 'kysely';
import { WebSocket } from 'ws';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import type { AuthedContext, RequestContext, TenantContext } from '../../http/context';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import type { EventHub } from '../../realtime/hub';
import type { AuditService } from '../audit/audit.service';
import type { AuthService, ScopeLoader } from '../auth/auth.service';
import type { RecordingSpec } from '../recordings/recording-writer';
import type { RecordingsService } from '../recordings/recordings.service';
import type { ShareStanding } from '../shares/share-standing';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { continues, stillAllowed, verdictOn } from './console-access';
import { ConsoleBooks, type ConsoleRef, TAKEN_OVER } from './console-books';
import {
  ConsoleRelay,
  ConsoleUpstreamError,
  neverOpened,
  type RelayHooks,
  type RelayTuning,
  type UpstreamGrant,
} from './console-relay';
import { type ClaimedConsole, ConsoleTickets, recordedConsole, type UpgradeHeaders } from './console-tickets';
import type { ConsoleTarget, ConsoleUpstream } from './console-upstream';
import { ConsolesRepo } from './consoles.repo';
import { type LiveConsole, liveConsole } from './live-console';
import { type HandedSocket, type RelayHandle, type RelayPool, RemoteRelay } from './relay-pool';
import { TerminalRelay } from './terminal-relay';

export { TAKEN_OVER };

export interface ConsoleTuning {
  /** How long a ticket may wait for its upgrade (DESIGN.md §7: at most 30 s). */
  ticketTtlMs: number;
  /** Consoles per Proxmox node (Proxmox has 100 ports, shared with text consoles). */
  maxPerNode: number;
  /** How often live consoles refresh their row's heartbeat. */
  heartbeatMs: number;
  /** A claimed console whose heartbeat is older than this belongs to a lost instance. */
  staleAfterMs: number;
  /** Overrides the tenant's idle timeout (tests); undefined: the tenant setting. */
  idleTimeoutMs?: number;
  /** Unused, unexpired tickets one user may hold (every tenant): a browser needs one at a time. */
  maxPendingTicketsPerUser: number;
  /** Tickets one user may be issued per minute (every tenant). */
  ticketsPerUserPerMinute: number;
  /** How long a graphical console whose browser dropped (no close frame) waits for the same user
   * to re-attach with a fresh ticket (DESIGN.md: 30 s); 0: never. */
  reattachWindowMs: number;
  relay: Partial<RelayTuning>;
}

export const DEFAULT_CONSOLE_TUNING: ConsoleTuning = {
  ticketTtlMs: 30_000,
  maxPerNode: 90,
  heartbeatMs: 30_000,
  staleAfterMs: 100_000,
  maxPendingTicketsPerUser: 3,
  ticketsPerUserPerMinute: 30,
  reattachWindowMs: 30_000,
  relay: {},
};

export interface ConsolesServiceDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  audit: AuditService;
  hub: EventHub;
  clock: Clock;
  log: Logger;
  /** The upgrade's authorization (the tenant scope of the calling actor). */
  scopes: ScopeLoader;
  /** Re-authorization of live consoles when a membership changes. */
  auth: Pick<AuthService, 'reauthorize'>;
  settings: TenantSettingsReader;
  allowedOrigins: readonly string[];
  instanceId: string;
  upstream: ConsoleUpstream;
  /** Whether a share link still opens its console (tickets, upgrades, re-checks). */
  shares: Pick<ShareStanding, 'byId'>;
  metrics?: Pick<Metrics, 'relayBytes'>;
  /** NEXUS_CONSOLE_PENDING_TICKETS / NEXUS_CONSOLE_TICKETS_PER_MINUTE. */
  ticketBudget?: { maxPendingPerUser: number; perUserPerMinute: number };
  /** NEXUS_RELAY_WORKERS > 0: relays run in these child processes. */
  relayPool?: RelayPool;
  /** Consoles of tenants that record them are recorded (recordings module). */
  recordings?: Pick<RecordingsService, 'prepare' | 'finish'>;
}

export class ConsolesService {
  readonly repo = new ConsolesRepo();
  tuning: ConsoleTuning = { ...DEFAULT_CONSOLE_TUNING, relay: {} };
  /** Proxmox's side of consoles (the inventory's cached locator; tests wrap it via AppDeps). */
  readonly upstream: ConsoleUpstream;
  private readonly live = new Map<string, LiveConsole>();
  /** Tenant event subscriptions while a tenant has live consoles here (settings may change). */
  private readonly tenantWatch = new Map<string, () => void>();
  private readonly bookkeeping = new Set<Promise<void>>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private readonly db: Kysely<Database>;
  private readonly books: ConsoleBooks;
  readonly tickets: ConsoleTickets;

  constructor(private readonly deps: ConsolesServiceDeps) {
    this.db = deps.db;
    this.upstream = deps.upstream;
    if (deps.ticketBudget) {
      this.tuning.maxPendingTicketsPerUser = deps.ticketBudget.maxPendingPerUser;
      this.tuning.ticketsPerUserPerMinute = deps.ticketBudget.perUserPerMinute;
    }
    this.tickets = new ConsoleTickets({
      ...deps,
      repo: this.repo,
      tuning: () => this.tuning,
      // A reconnect continues a waiting console here: that one's slot is the reconnect's.
      continued: (row) => [...this.live.values()].find((live) => continues(live, row))?.id ?? null,
    });
    this.books = new ConsoleBooks({
      db: deps.db,
      repo: this.repo,
      audit: deps.audit,
      hub: deps.hub,
      clock: deps.clock,
      upstream: deps.upstream,
      staleBefore: () => this.window().staleBefore,
    });
    this.unsubscribe = deps.hub.subscribeSystem((event) => this.onSystemEvent(event));
  }

  /** Consoles relayed by this instance right now. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Whether upgrades hand their socket to a relay worker (`run` with a HandedSocket). */
  get relaysInWorkers(): boolean {
    return this.deps.relayPool !== undefined;
  }

  /** The relay workers' process ids (none when relays run here). */
  get relayWorkerPids(): number[] {
    return this.deps.relayPool?.pids ?? [];
  }

  private get now(): number {
    return this.deps.clock.now();
  }

  private window() {
    const now = this.now;
    return { now, staleBefore: now - this.tuning.staleAfterMs };
  }

  // ---- tickets ------------------------------------------------------------------------------------

  /** POST …/vms/:vmid/console (see console-tickets.ts). */
  issue(ctx: TenantContext, serverId: string, vmid: number): Promise<ConsoleTicket> {
    return this.tickets.issue(ctx, serverId, vmid);
  }

  /** A text console's grant (termproxy), where the upstream offers one. */
  private termGrant(target: ConsoleTarget, serial: string | null, signal: AbortSignal): Promise<UpstreamGrant> {
    if (!this.upstream.termGrant) {
      throw new ConsoleUpstreamError({ code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'No text console here' });
    }
    return this.upstream.termGrant(target, serial, signal);
  }

  /** POST …/nodes/:node/terminal (see console-tickets.ts). */
  issueNodeShell(ctx: TenantContext, serverId: string, node: string): Promise<ConsoleTicket> {
    return this.tickets.issueNodeShell(ctx, serverId, node);
  }

  /** POST …/vms/:vmid/terminal (see console-tickets.ts). */
  issueTerminal(ctx: TenantContext, serverId: string, vmid: number, serial?: string): Promise<ConsoleTicket> {
    return this.tickets.issue(ctx, serverId, vmid, { kind: 'terminal', serial });
  }

  /** The upgrade's checks before any 101 (see console-tickets.ts). */
  claim(ctx: AuthedContext, ticket: string, request: UpgradeHeaders): Promise<ClaimedConsole> {
    return this.tickets.claim(ctx, ticket, request);
  }

  // ---- live consoles ------------------------------------------------------------------------------

  /** A share link's upgrade (see console-tickets.ts). */
  claimShare(ctx: RequestContext, ticket: string, request: UpgradeHeaders): Promise<ClaimedConsole> {
    return this.tickets.claimShare(ctx, ticket, request);
  }

  /** Runs the relay for an accepted upgrade — or hands the socket to the same user's console of
   * the same guest whose browser dropped a moment ago (no second vncproxy). */
  run(ctx: Pick<RequestContext, 'audit'>, claimed: ClaimedConsole, browser: WebSocket | HandedSocket): void {
    if (this.reattach(ctx, claimed, browser)) return;
    const recordings = this.deps.recordings;
    if (!recordings) {
      this.launch(ctx, claimed, browser, undefined);
      return;
    }
    // Whether (and where) it is recorded is settled before the relay starts; what the browser
    // sends meanwhile (a terminal's size) waits in the socket.
    if (browser instanceof WebSocket) browser.pause();
    const prepared = recordings
      .prepare(recordedConsole(claimed, ctx.audit))
      .catch((err: unknown) => {
        this.deps.log.error({ err, consoleId: claimed.row.id }, 'could not start recording a console');
        return null;
      })
      .then((spec) => {
        this.launch(ctx, claimed, browser, spec ?? undefined);
        if (browser instanceof WebSocket) browser.resume();
      });
    this.bookkeeping.add(prepared);
    void prepared.finally(() => this.bookkeeping.delete(prepared));
  }

  private launch(
    ctx: Pick<RequestContext, 'audit'>,
    claimed: ClaimedConsole,
    browser: WebSocket | HandedSocket,
    record: RecordingSpec | undefined,
  ): void {
    const { row, target } = claimed;
    const hooks: RelayHooks = {
      openUpstream: async (signal) => {
        const grant =
          claimed.kind === 'vnc'
            ? await this.upstream.grant(target, signal)
            : await this.termGrant(target, row.serial, signal);
        // The guest migrated since the ticket: its console now counts on the node it is on.
        if (target.node && target.node !== row.node) {
          const node = target.node;
          this.track(live, () => this.repo.moveToNode(this.db, live.id, node).then(() => {}));
        }
        return grant;
      },
      onEstablished: (info) => {
        live.openedAt = this.now;
        this.track(live, () => this.books.opened(live, info.setupMs, info.shared));
      },
      onDetached: () => {
        live.detachedAt = this.now;
      },
      onReattached: () => {
        live.detachedAt = null;
      },
      explainUpstreamClose: async () => {
        if (claimed.kind === 'shell') return null;
        const nodeBefore = target.node;
        const status = await this.upstream.guestStatus(target);
        if (status === 'stopped') return { code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' };
        // Its VNC server went away with the source QEMU: a new console opens on the new node.
        if (status !== null && target.node !== nodeBefore) {
          return { code: CONSOLE_CLOSE.closedByProxmox, reason: `VM migrated to node ${target.node}` };
        }
        return null;
      },
      onClosed: (result) => {
        clearTimeout(live.shareExpiry);
        this.countBytes(live);
        this.live.delete(live.id);
        if (this.live.size === 0) this.stopHeartbeat();
        this.unwatchTenant(live.tenantId);
        this.track(live, () => this.books.closed(live, result));
        const recordings = this.deps.recordings;
        if (record && recordings) this.track(live, () => recordings.finish(record, result.recording, live.audit));
      },
    };
    const options = {
      viewOnly: claimed.viewOnly,
      idleTimeoutMs: claimed.idleTimeoutMs,
      // A share's visitor has no account to come back as.
      reattachWindowMs: claimed.share ? 0 : this.tuning.reattachWindowMs,
      record,
      tuning: this.tuning.relay,
    };
    let relay: RelayHandle;
    let start = () => {};
    if (browser instanceof WebSocket) {
      const Relay = claimed.kind === 'vnc' ? ConsoleRelay : TerminalRelay;
      const here = new Relay(browser, hooks, { ...options, now: () => this.now });
      relay = here;
      start = () => here.start();
    } else {
      const pool = this.deps.relayPool as RelayPool;
      relay = pool.open({ id: row.id, kind: claimed.kind, handed: browser, options, hooks });
    }
    const live = liveConsole(claimed, relay, ctx.audit, this.now, record?.id ?? null);
    if (claimed.share) {
      // setTimeout holds at most ~24.8 days; a link lasts at most 7.
      live.shareExpiry = setTimeout(
        () => relay.close({ code: CONSOLE_CLOSE.revoked, reason: 'the share link expired' }),
        Math.max(0, claimed.share.expiresAt - this.now),
      );
      live.shareExpiry.unref();
    }
    this.live.set(live.id, live);
    this.startHeartbeat();
    this.watchTenant(live.tenantId);
    start();
  }

  /** A fresh ticket of the user whose browser dropped, for the same guest and mode: the waiting
   * console continues on this socket (re-authorized by the ticket's claim); the ticket's own row
   * is closed as resumed into it. */
  private reattach(
    ctx: Pick<RequestContext, 'audit'>,
    claimed: ClaimedConsole,
    browser: WebSocket | HandedSocket,
  ): boolean {
    const { row } = claimed;
    for (const live of this.live.values()) {
      if (!continues(live, row)) continue;
      const detachedMs = this.now - (live.detachedAt ?? this.now);
      const relay = live.relay;
      const taken =
        browser instanceof WebSocket
          ? relay instanceof ConsoleRelay && relay.reattach(browser)
          : relay instanceof RemoteRelay && relay.reattach(browser);
      if (!taken) continue;
      // Revocation now follows the session and token the new ticket came with.
      live.sessionId = row.session_id;
      live.tokenId = row.token_id;
      live.audit = ctx.audit;
      const ticketRef = this.refOf(claimed, ctx);
      this.track(live, () => this.books.resumed(ticketRef, live, detachedMs));
      return true;
    }
    return false;
  }

  private refOf(claimed: ClaimedConsole, ctx: Pick<RequestContext, 'audit'>): ConsoleRef {
    const { row } = claimed;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      serverId: row.server_id,
      vmid: row.vmid,
      userId: row.user_id,
      viewOnly: claimed.viewOnly,
      audit: ctx.audit,
      startedAt: this.now,
      openedAt: null,
    };
  }

  /** A claimed ticket whose upgrade never completed (the browser hung up before the 101): the
   * console is closed in the books as a failed open, so it holds no slot. */
  abandon(ctx: Pick<RequestContext, 'audit'>, claimed: ClaimedConsole, reason: string): void {
    const ref = this.refOf(claimed, ctx);
    const work = this.books
      .closed(ref, neverOpened(reason))
      .catch((err) => this.deps.log.error({ err, consoleId: ref.id }, 'console bookkeeping failed'));
    this.bookkeeping.add(work);
    void work.finally(() => this.bookkeeping.delete(work));
  }

  /** Adds what a console relayed since the last count to the metrics counter. */
  private countBytes(live: LiveConsole): void {
    const counter = this.deps.metrics?.relayBytes;
    if (!counter) return;
    const { bytesUp, bytesDown } = live.relay.stats;
    counter.labels('to_proxmox').inc(bytesUp - live.countedUp);
    counter.labels('to_browser').inc(bytesDown - live.countedDown);
    live.countedUp = bytesUp;
    live.countedDown = bytesDown;
  }

  /** A tenant's settings change (viewers: view-only → none) re-checks its live consoles. */
  private watchTenant(tenantId: string): void {
    if (this.tenantWatch.has(tenantId)) return;
    const off = this.deps.hub.subscribeTenant(tenantId, (msg) => {
      if (msg.event.type !== 'tenant.updated') return;
      for (const live of this.live.values()) {
        if (live.tenantId !== tenantId) continue;
        this.recheck(live, 'console access changed');
      }
    });
    this.tenantWatch.set(tenantId, off);
  }

  private unwatchTenant(tenantId: string): void {
    for (const live of this.live.values()) if (live.tenantId === tenantId) return;
    this.tenantWatch.get(tenantId)?.();
    this.tenantWatch.delete(tenantId);
  }

  /** Runs bookkeeping after what came before it for the same console; never throws. */
  private track(live: LiveConsole, work: () => Promise<void>): void {
    const next = live.chain
      .then(work)
      .catch((err) => this.deps.log.error({ err, consoleId: live.id }, 'console bookkeeping failed'));
    live.chain = next;
    this.bookkeeping.add(next);
    void next.finally(() => this.bookkeeping.delete(next));
  }

  // ---- revocation ---------------------------------------------------------------------------------

  private onSystemEvent(event: SystemEvent): void {
    for (const live of [...this.live.values()]) {
      const verdict = verdictOn(event, live);
      if (verdict && 'recheck' in verdict) this.recheck(live, verdict.recheck);
      else if (verdict) live.relay.close(verdict);
    }
  }

  /** Keeps what the console's user may still hold as it is; ends the rest. */
  private recheck(live: LiveConsole, reason: string): void {
    void stillAllowed(this.deps, live).then((ok) => {
      if (!ok) live.relay.close({ code: CONSOLE_CLOSE.revoked, reason });
    });
  }

  // ---- queries ------------------------------------------------------------------------------------

  /** GET …/vms/:vmid/consoles: who is on this guest's console now. */
  async viewers(ctx: TenantContext, serverId: string, vmid: number): Promise<ConsoleViewer[]> {
    const rows = await this.repo.viewers(this.db, ctx.scope.tenantId, serverId, vmid, this.window().staleBefore);
    return rows.map((r) => ({
      consoleId: r.id,
      userId: r.user_id,
      email: r.email,
      fullName: r.full_name,
      viewOnly: r.view_only === 1,
      openedAt: new Date(r.opened_at ?? 0).toISOString(),
      mine: r.share_id === null && r.user_id === ctx.actor.userId,
      share: r.share_id === null ? null : { id: r.share_id, ip: r.client_ip },
    }));
  }

  /** Consoles open now through these share links (their listing). */
  openThroughShares(shareIds: string[]) {
    return this.repo.openThroughShares(this.db, shareIds, this.window().staleBefore);
  }

  // ---- upkeep -------------------------------------------------------------------------------------

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => {
      const ids = [...this.live.keys()];
      if (ids.length === 0) return;
      for (const live of this.live.values()) this.countBytes(live);
      this.repo
        .heartbeat(this.db, ids, this.now)
        .catch((err) => this.deps.log.warn({ err }, 'console heartbeat failed'));
    }, this.tuning.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Periodic: rows of lost instances closed, unused tickets forgotten after a day. */
  async housekeeping(): Promise<void> {
    const { now, staleBefore } = this.window();
    await this.repo.closeStale(this.db, staleBefore, now);
    await this.repo.deleteUnusedBefore(this.db, now - 24 * 3600_000);
  }

  /** Graceful stop: every live console is closed with a reason and its row written. */
  async shutdown(): Promise<void> {
    this.unsubscribe();
    for (const off of this.tenantWatch.values()) off();
    this.tenantWatch.clear();
    for (const live of [...this.live.values()]) {
      live.relay.close({ code: CONSOLE_CLOSE.goingAway, reason: 'Nexus is restarting' });
    }
    await this.deps.relayPool?.shutdown();
    // A recorded console reports once its file is sealed (a moment after it closed).
    for (let waited = 0; this.live.size > 0 && waited < 5_000; waited += 20) await sleep(20);
    this.stopHeartbeat();
    await Promise.allSettled([...this.bookkeeping]);
  }
}
