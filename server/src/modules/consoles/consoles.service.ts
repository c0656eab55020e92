// Consoles: single-use tickets, the checks of the WebSocket upgrade, the live relays of this
// instance, revocation, and the bookkeeping (console_sessions rows, audit, metrics, events).
// Tickets and sessions live in the database and revocation travels as hub system events, so a
// ticket issued on one instance can be upgraded on another and any instance can end any console.

import type { SystemEvent } from '@common/events';
import { CONSOLE_CLOSE, type ConsoleTicket, type ConsoleViewer } from '@common/schemas/consoles';
import type { Kysely } from 'kysely';
import type { WebSocket } from 'ws';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { type Executor, lockNamed } from '../../db/tx';
import { decisionError } from '../../http/access';
import type { AuthedContext, TenantContext } from '../../http/context';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import { authorize, guestAbilities } from '../../policy/policy';
import type { EventHub } from '../../realtime/hub';
import type { AuditContext, AuditService } from '../audit/audit.service';
import type { AuthService, ScopeLoader } from '../auth/auth.service';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import { type CloseReason, ConsoleRelay, type RelayResult, type RelayTuning } from './console-relay';
import type { ConsoleTarget, ConsoleUpstream } from './console-upstream';
import { type ConsoleRow, ConsolesRepo } from './consoles.repo';

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
  relay: Partial<RelayTuning>;
}

export const DEFAULT_CONSOLE_TUNING: ConsoleTuning = {
  ticketTtlMs: 30_000,
  maxPerNode: 90,
  heartbeatMs: 30_000,
  staleAfterMs: 100_000,
  maxPendingTicketsPerUser: 3,
  ticketsPerUserPerMinute: 30,
  relay: {},
};

/** Ticket refusals worth an audit row (who keeps asking, and why they were told no). */
const AUDITED_TICKET_REFUSALS = new Set([
  'console.disabled',
  'console.limit_reached',
  'console.too_many_tickets',
  'console.rate_limited',
]);

export const TAKEN_OVER = 'console taken over';
const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const TICKET_INVALID = 'This console link is invalid, expired or already used';

/** What a successful upgrade check hands to `run`. */
export interface ClaimedConsole {
  row: ConsoleRow;
  target: ConsoleTarget;
  viewOnly: boolean;
  idleTimeoutMs: number;
}

interface LiveConsole {
  id: string;
  tenantId: string;
  serverId: string;
  vmid: number;
  userId: string;
  sessionId: string | null;
  tokenId: string | null;
  viewOnly: boolean;
  relay: ConsoleRelay;
  startedAt: number;
  openedAt: number | null;
  audit: AuditContext;
  /** Bookkeeping in order: the close waits for the open's rows. */
  chain: Promise<void>;
  /** Relayed bytes already added to the metrics counter. */
  countedUp: number;
  countedDown: number;
}

/** What the closing bookkeeping needs of a console (a live one, or one that never started). */
type ConsoleRef = Pick<
  LiveConsole,
  'id' | 'tenantId' | 'serverId' | 'vmid' | 'userId' | 'viewOnly' | 'audit' | 'startedAt' | 'openedAt'
>;

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
  metrics?: Pick<Metrics, 'relayBytes'>;
  /** NEXUS_CONSOLE_PENDING_TICKETS / NEXUS_CONSOLE_TICKETS_PER_MINUTE. */
  ticketBudget?: { maxPendingPerUser: number; perUserPerMinute: number };
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

  constructor(private readonly deps: ConsolesServiceDeps) {
    this.db = deps.db;
    this.upstream = deps.upstream;
    if (deps.ticketBudget) {
      this.tuning.maxPendingTicketsPerUser = deps.ticketBudget.maxPendingPerUser;
      this.tuning.ticketsPerUserPerMinute = deps.ticketBudget.perUserPerMinute;
    }
    this.unsubscribe = deps.hub.subscribeSystem((event) => this.onSystemEvent(event));
  }

  /** Consoles relayed by this instance right now. */
  get liveCount(): number {
    return this.live.size;
  }

  private get now(): number {
    return this.deps.clock.now();
  }

  private window() {
    const now = this.now;
    return { now, staleBefore: now - this.tuning.staleAfterMs };
  }

  // ---- tickets ------------------------------------------------------------------------------------

  /** POST …/vms/:vmid/console: policy, limits, and a fresh single-use ticket. Nothing from Proxmox
   * reaches the answer; Proxmox is only asked where the guest lives. Refusals are audited. */
  async issue(ctx: TenantContext, serverId: string, vmid: number): Promise<ConsoleTicket> {
    try {
      return await this.issueTicket(ctx, serverId, vmid);
    } catch (err) {
      if (err instanceof AppError && AUDITED_TICKET_REFUSALS.has(err.code)) {
        await this.deps.audit.recordAlone(ctx.audit, {
          tenantId: ctx.scope.tenantId,
          action: 'console.ticket_refused',
          targetType: 'vm',
          targetId: `${serverId}:${vmid}`,
          result: 'denied',
          details: { code: err.code, reason: err.message, serverId, vmid },
        });
      }
      throw err;
    }
  }

  private async issueTicket(ctx: TenantContext, serverId: string, vmid: number): Promise<ConsoleTicket> {
    const tenantId = ctx.scope.tenantId;
    const userId = ctx.actor.userId;
    const settings = await this.deps.settings.get(tenantId);
    const ability = guestAbilities(ctx.actor, ctx.scope, serverId, vmid, settings.viewerConsole).console;
    if (ability === 'none') {
      throw new AppError('console.disabled', 'Viewers cannot open consoles in this tenant');
    }
    // The user's own budget first: hoarding tickets must not even cost a Proxmox lookup.
    await this.checkTicketBudget(this.db, userId);
    const location = await this.upstream.locate(tenantId, serverId, vmid).catch((err: unknown) => {
      // Another tenant's server and a missing guest look alike: there is no such guest for you.
      if (err instanceof AppError && err.code === 'server.not_found')
        throw new AppError('vm.not_found', 'Vm not found');
      throw err;
    });
    const ticket = newSecret(32);
    let expiresAt = 0;
    await this.db.transaction().execute(async (trx) => {
      // Counted and inserted under the user's lock, so racing requests can't exceed the budget
      // (SQLite serializes writers already). The open-console limits are only a courtesy here
      // (a clear refusal before the browser tries); the upgrade enforces them.
      await lockNamed(trx, this.deps.dialect, `console-tickets:${userId}`);
      await this.checkTicketBudget(trx, userId);
      await this.checkOpenLimits(trx, { tenantId, serverId, node: location.node }, settings.maxConcurrentConsoles);
      const now = this.now;
      expiresAt = now + Math.min(this.tuning.ticketTtlMs, 30_000);
      await this.repo.insert(trx, {
        id: newId(),
        ticket_hash: sha256(ticket),
        tenant_id: tenantId,
        user_id: userId,
        session_id: ctx.actor.via === 'session' ? ctx.actor.sessionId : null,
        token_id: ctx.actor.via === 'token' ? ctx.actor.tokenId : null,
        server_id: serverId,
        node: location.node,
        vmid,
        vm_type: location.type,
        view_only: ability === 'view-only' ? 1 : 0,
        expires_at: expiresAt,
        consumed_at: null,
        opened_at: null,
        closed_at: null,
        bytes_up: 0,
        bytes_down: 0,
        close_reason: null,
        instance_id: null,
        heartbeat_at: null,
        created_at: now,
      });
    });
    return {
      wsPath: `/api/consoles/${ticket}/ws`,
      expiresAt: new Date(expiresAt).toISOString(),
      viewOnly: ability === 'view-only',
    };
  }

  /** A user's unused tickets and tickets per minute, across tenants (429 with Retry-After). */
  private async checkTicketBudget(db: Executor, userId: string): Promise<void> {
    const now = this.now;
    const pending = await this.repo.pendingTicketExpiries(db, userId, now);
    if (pending.length >= this.tuning.maxPendingTicketsPerUser) {
      throw new AppError(
        'console.too_many_tickets',
        `You already have ${pending.length} console links waiting to be opened; open or let them expire first`,
        { headers: { 'retry-after': String(Math.max(1, Math.ceil(((pending[0] ?? now) - now) / 1000))) } },
      );
    }
    const recent = await this.repo.ticketsIssuedSince(db, userId, now - 60_000);
    if (recent.length >= this.tuning.ticketsPerUserPerMinute) {
      throw new AppError('console.rate_limited', 'Too many consoles opened in the last minute; try again shortly', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(((recent[0] ?? now) + 60_000 - now) / 1000))) },
      });
    }
  }

  /** The tenant's and the node's open consoles against their limits (429 when one is full). */
  private async checkOpenLimits(
    db: Executor,
    at: { tenantId: string; serverId: string; node: string },
    maxForTenant: number,
  ): Promise<void> {
    const { staleBefore } = this.window();
    const forTenant = await this.repo.countOpen(db, { tenantId: at.tenantId }, staleBefore);
    if (forTenant >= maxForTenant) {
      throw new AppError(
        'console.limit_reached',
        `This tenant already has ${forTenant} consoles open (limit ${maxForTenant})`,
      );
    }
    const perNode = Math.min(this.tuning.maxPerNode, 90);
    const forNode = await this.repo.countOpen(db, { serverId: at.serverId, node: at.node }, staleBefore);
    if (forNode >= perNode) {
      throw new AppError('console.limit_reached', `Node ${at.node} already has ${forNode} consoles open`);
    }
  }

  /** The upgrade's checks, before any 101: Origin, ticket (unknown, expired, used, someone
   * else's), permission now, then the ticket is consumed. Refusals are audited. */
  async claim(
    ctx: AuthedContext,
    ticket: string,
    request: { origin: string | undefined; protocols: string | undefined },
  ): Promise<ClaimedConsole> {
    try {
      return await this.checkClaim(ctx, ticket, request);
    } catch (err) {
      if (err instanceof AppError) {
        await this.deps.audit.recordAlone(ctx.audit, {
          action: 'console.upgrade_refused',
          targetType: 'console',
          result: 'denied',
          details: { code: err.code, reason: err.message, origin: request.origin ?? null },
        });
      }
      throw err;
    }
  }

  private async checkClaim(
    ctx: AuthedContext,
    ticket: string,
    request: { origin: string | undefined; protocols: string | undefined },
  ): Promise<ClaimedConsole> {
    const actor = ctx.actor;
    const { origin } = request;
    // Browsers always send Origin on WebSockets: a cookie session without one is not a browser
    // of ours; API-token clients (scripts) may omit it.
    if (origin !== undefined ? !this.deps.allowedOrigins.includes(origin) : actor.via === 'session') {
      throw new AppError('auth.origin_refused', 'Cross-origin console connection refused');
    }
    if (request.protocols !== undefined && !request.protocols.split(',').some((p) => p.trim() === 'binary')) {
      throw new AppError('http.bad_request', 'The console speaks WebSocket subprotocol "binary" only');
    }
    const invalid = () => new AppError('console.ticket_invalid', TICKET_INVALID);
    if (!TICKET_PATTERN.test(ticket)) throw invalid();
    const row = await this.repo.findByTicketHash(this.db, sha256(ticket));
    const now = this.now;
    if (!row || row.consumed_at !== null || row.expires_at <= now) throw invalid();
    // Bound to the user and to the very session (or API token) that asked for it.
    const boundHere =
      row.user_id === actor.userId &&
      (actor.via === 'session'
        ? row.session_id !== null && row.session_id === actor.sessionId
        : row.token_id !== null && row.token_id === actor.tokenId);
    if (!boundHere) throw invalid();
    // The permission is checked again now: it may have been taken away since the ticket.
    const scope = await this.deps.scopes.loadScope(actor, row.tenant_id);
    const decision = authorize(actor, 'vm:console', {
      kind: 'guest',
      scope,
      serverId: row.server_id,
      vmid: row.vmid,
    });
    if (!decision.allowed) throw decisionError(decision);
    const settings = await this.deps.settings.get(row.tenant_id);
    const ability = guestAbilities(actor, scope, row.server_id, row.vmid, settings.viewerConsole).console;
    if (ability === 'none') throw new AppError('console.disabled', 'Viewers cannot open consoles in this tenant');
    if (ability === 'view-only' && row.view_only === 0) {
      throw new AppError('policy.forbidden', 'Your console access changed; open the console again');
    }
    // The open-console limits are enforced here, counted and claimed under the tenant's lock, so
    // a burst of tickets issued while few consoles were open cannot open more than the limit.
    const consumed = await this.db.transaction().execute(async (trx) => {
      await lockNamed(trx, this.deps.dialect, `consoles:${row.tenant_id}`);
      await this.checkOpenLimits(
        trx,
        { tenantId: row.tenant_id, serverId: row.server_id, node: row.node ?? '' },
        settings.maxConcurrentConsoles,
      );
      return this.repo.consume(trx, row.id, this.now, this.deps.instanceId);
    });
    if (!consumed) throw invalid();
    return {
      row,
      viewOnly: row.view_only === 1,
      idleTimeoutMs: this.tuning.idleTimeoutMs ?? settings.consoleIdleTimeoutMinutes * 60_000,
      target: {
        tenantId: row.tenant_id,
        serverId: row.server_id,
        vmid: row.vmid,
        node: row.node ?? '',
        type: row.vm_type === 'lxc' ? 'lxc' : 'qemu',
        name: null,
      },
    };
  }

  // ---- live consoles ------------------------------------------------------------------------------

  /** Runs the relay for an accepted upgrade. */
  run(ctx: AuthedContext, claimed: ClaimedConsole, socket: WebSocket): void {
    const { row, target } = claimed;
    const relay = new ConsoleRelay(
      socket,
      {
        openUpstream: async (signal) => {
          const grant = await this.upstream.grant(target, signal);
          // The guest migrated since the ticket: its console now counts on the node it is on.
          if (target.node && target.node !== row.node) {
            const node = target.node;
            this.track(live, () => this.repo.moveToNode(this.db, live.id, node).then(() => {}));
          }
          return grant;
        },
        onEstablished: (info) => {
          live.openedAt = this.now;
          this.track(live, () => this.onEstablished(live, info.setupMs, info.shared));
        },
        explainUpstreamClose: async () => {
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
          this.countBytes(live);
          this.live.delete(live.id);
          if (this.live.size === 0) this.stopHeartbeat();
          this.unwatchTenant(live.tenantId);
          this.track(live, () => this.onClosed(live, result));
        },
      },
      {
        viewOnly: claimed.viewOnly,
        idleTimeoutMs: claimed.idleTimeoutMs,
        tuning: this.tuning.relay,
        now: () => this.now,
      },
    );
    const live: LiveConsole = {
      id: row.id,
      tenantId: row.tenant_id,
      serverId: row.server_id,
      vmid: row.vmid,
      userId: row.user_id,
      sessionId: row.session_id,
      tokenId: row.token_id,
      viewOnly: claimed.viewOnly,
      relay,
      startedAt: this.now,
      openedAt: null,
      audit: ctx.audit,
      chain: Promise.resolve(),
      countedUp: 0,
      countedDown: 0,
    };
    this.live.set(live.id, live);
    this.startHeartbeat();
    this.watchTenant(live.tenantId);
    relay.start();
  }

  /** A claimed ticket whose upgrade never completed (the browser hung up before the 101): the
   * console is closed in the books as a failed open, so it holds no slot. */
  abandon(ctx: AuthedContext, claimed: ClaimedConsole, reason: string): void {
    const { row } = claimed;
    const ref: ConsoleRef = {
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
    const result: RelayResult = {
      code: CONSOLE_CLOSE.normal,
      reason,
      by: 'browser',
      established: false,
      bytesUp: 0,
      bytesDown: 0,
      droppedInput: 0,
      setupMs: null,
      peakBufferedDown: 0,
      peakBufferedUp: 0,
    };
    const work = this.onClosed(ref, result).catch((err) =>
      this.deps.log.error({ err, consoleId: row.id }, 'console bookkeeping failed'),
    );
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
        void this.stillAllowed(live).then((ok) => {
          if (!ok) live.relay.close({ code: CONSOLE_CLOSE.revoked, reason: 'console access changed' });
        });
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

  private async onEstablished(live: LiveConsole, setupMs: number, shared: boolean): Promise<void> {
    const now = this.now;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.markOpened(trx, live.id, now);
      await this.repo.insertMetric(trx, {
        id: newId(),
        tenant_id: live.tenantId,
        server_id: live.serverId,
        success: 1,
        response_time_ms: setupMs,
        error: null,
        created_at: now,
      });
      await this.deps.audit.record(trx, live.audit, {
        tenantId: live.tenantId,
        action: 'console.opened',
        targetType: 'console',
        targetId: live.id,
        details: { serverId: live.serverId, vmid: live.vmid, viewOnly: live.viewOnly, shared, setupMs },
      });
    });
    await this.deps.hub.publishTenant({
      type: 'console.opened',
      tenantId: live.tenantId,
      at: new Date(now).toISOString(),
      serverId: live.serverId,
      vmid: live.vmid,
      consoleId: live.id,
      userId: live.userId,
    });
    if (!shared && !live.viewOnly) {
      // An exclusive console (ClientInit shared=0) pushes everyone else off, as QEMU does.
      const others = await this.repo.openOnGuest(this.db, live.serverId, live.vmid, this.window().staleBefore);
      for (const consoleId of others) {
        if (consoleId !== live.id)
          await this.deps.hub.publishSystem({ type: 'console.close', consoleId, reason: TAKEN_OVER });
      }
    }
  }

  private async onClosed(live: ConsoleRef, result: RelayResult): Promise<void> {
    const now = this.now;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.markClosed(trx, live.id, {
        closed_at: now,
        bytes_up: result.bytesUp,
        bytes_down: result.bytesDown,
        close_reason: result.reason,
      });
      if (result.established) {
        await this.deps.audit.record(trx, live.audit, {
          tenantId: live.tenantId,
          action: 'console.closed',
          targetType: 'console',
          targetId: live.id,
          details: {
            serverId: live.serverId,
            vmid: live.vmid,
            viewOnly: live.viewOnly,
            reason: result.reason,
            code: result.code,
            by: result.by,
            durationMs: now - (live.openedAt ?? live.startedAt),
            bytesUp: result.bytesUp,
            bytesDown: result.bytesDown,
            droppedInput: result.droppedInput,
          },
        });
      } else {
        await this.repo.insertMetric(trx, {
          id: newId(),
          tenant_id: live.tenantId,
          server_id: live.serverId,
          success: 0,
          response_time_ms: now - live.startedAt,
          error: result.reason,
          created_at: now,
        });
        await this.deps.audit.record(trx, live.audit, {
          tenantId: live.tenantId,
          action: 'console.open_failed',
          targetType: 'console',
          targetId: live.id,
          result: 'failure',
          details: {
            serverId: live.serverId,
            vmid: live.vmid,
            reason: result.reason,
            code: result.code,
            by: result.by,
          },
        });
      }
    });
    if (result.established) {
      await this.deps.hub.publishTenant({
        type: 'console.closed',
        tenantId: live.tenantId,
        at: new Date(now).toISOString(),
        serverId: live.serverId,
        vmid: live.vmid,
        consoleId: live.id,
        userId: live.userId,
        reason: result.reason,
      });
    }
  }

  // ---- revocation ---------------------------------------------------------------------------------

  private onSystemEvent(event: SystemEvent): void {
    const revoked = (reason: string): CloseReason => ({ code: CONSOLE_CLOSE.revoked, reason });
    for (const live of [...this.live.values()]) {
      switch (event.type) {
        case 'revoke.sessions':
          if (live.userId === event.userId && live.sessionId && event.sessionIds.includes(live.sessionId)) {
            live.relay.close(revoked(event.reason));
          }
          break;
        case 'revoke.user':
          if (live.userId === event.userId) live.relay.close(revoked(event.reason));
          break;
        case 'revoke.token':
          if (live.userId === event.userId && live.tokenId === event.tokenId) live.relay.close(revoked(event.reason));
          break;
        case 'revoke.tenant':
          if (live.tenantId === event.tenantId) live.relay.close(revoked(event.reason));
          break;
        case 'revoke.server':
          if (live.serverId === event.serverId) live.relay.close(revoked(event.reason));
          break;
        case 'revoke.membership':
          if (live.userId === event.userId && live.tenantId === event.tenantId) {
            // Role or assignments changed: keep what is still allowed, end the rest.
            void this.stillAllowed(live).then((ok) => {
              if (!ok) live.relay.close(revoked(event.reason));
            });
          }
          break;
        case 'console.close':
          if (live.id === event.consoleId) {
            live.relay.close(
              event.reason === TAKEN_OVER
                ? { code: CONSOLE_CLOSE.takenOver, reason: TAKEN_OVER }
                : revoked(event.reason),
            );
          }
          break;
      }
    }
  }

  /** Whether the console's user may still hold it as it is (fails closed). */
  private async stillAllowed(live: LiveConsole): Promise<boolean> {
    try {
      const now = await this.deps.auth.reauthorize(
        { userId: live.userId, sessionId: live.sessionId, tokenId: live.tokenId },
        live.tenantId,
        'vm:console',
        { target: { serverId: live.serverId, vmid: live.vmid }, tokenScope: 'console' },
      );
      if (!now) return false;
      const settings = await this.deps.settings.get(live.tenantId);
      const ability = guestAbilities(now.actor, now.scope, live.serverId, live.vmid, settings.viewerConsole).console;
      return ability === 'interactive' || (ability === 'view-only' && live.viewOnly);
    } catch (err) {
      this.deps.log.warn({ err, consoleId: live.id }, 'console re-authorization failed; closing it');
      return false;
    }
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
      mine: r.user_id === ctx.actor.userId,
    }));
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
    this.stopHeartbeat();
    await Promise.allSettled([...this.bookkeeping]);
  }
}
