// Console tickets: `POST …/console` checks the policy and the limits and issues a single-use
// ticket (nothing from Proxmox reaches the answer; Proxmox is only asked where the guest lives);
// the WebSocket upgrade then checks Origin, the ticket (unknown, expired, used, someone else's),
// the permission as it is now and the open-console limits, and consumes the ticket — all before
// any 101. Refusals are audited. Terminals and shares issue their tickets the same way.

import type { ConsoleTicket } from '@common/schemas/consoles';
import { isRecorded, type TenantSettings } from '@common/schemas/tenants';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database';
import type { Database } from '../../db/schema';
import { type Executor, lockNamed } from '../../db/tx';
import { decisionError } from '../../http/access';
import type { AuthedContext, RequestContext, TenantContext } from '../../http/context';
import { originHint } from '../../http/origin-hint';
import { AppError } from '../../lib/app-error';
import type { Clock } from '../../lib/clock';
import { newId, newSecret, sha256 } from '../../lib/ids';
import { authorize, guestAbilities } from '../../policy/policy';
import type { AuditContext, AuditService } from '../audit/audit.service';
import type { ScopeLoader } from '../auth/auth.service';
import type { RecordedConsole } from '../recordings/recordings.service';
import type { ShareRow } from '../shares/share-standing';
import { type ShareStanding, shareGone } from '../shares/share-standing';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { ConsoleTarget, ConsoleUpstream } from './console-upstream';
import type { ConsoleRow, ConsolesRepo } from './consoles.repo';
import type { ConsoleTuning } from './consoles.service';

/** What a successful upgrade check hands to `run`. */
/** What the upgrade request says of itself that the checks read. */
export interface UpgradeHeaders {
  origin: string | undefined;
  protocols: string | undefined;
}

export interface ClaimedConsole {
  row: ConsoleRow;
  target: ConsoleTarget;
  /** `vnc`, `terminal` (termproxy: a container, or a VM's serial port) or `shell` (a node's). */
  kind: ConsoleKind;
  viewOnly: boolean;
  idleTimeoutMs: number;
  /** Opened through a share link: the link, and when it expires (the console ends then). */
  share?: { id: string; expiresAt: number };
}

/** Ticket refusals worth an audit row (who keeps asking, and why they were told no). */
const AUDITED_TICKET_REFUSALS = new Set([
  'console.disabled',
  'console.limit_reached',
  'console.too_many_tickets',
  'console.rate_limited',
]);

const TICKET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const TICKET_INVALID = 'This console link is invalid, expired or already used';

export type ConsoleKind = 'vnc' | 'terminal' | 'shell';

/** What a ticket opens: the graphical console, or a text console (a VM's serial port by name). */
export interface ConsoleRequest {
  kind: ConsoleKind;
  serial?: string | undefined;
}

export interface ConsoleTicketsDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  repo: ConsolesRepo;
  audit: AuditService;
  clock: Clock;
  scopes: ScopeLoader;
  settings: TenantSettingsReader;
  upstream: ConsoleUpstream;
  allowedOrigins: readonly string[];
  instanceId: string;
  /** Whether a share link still opens its console. */
  shares: Pick<ShareStanding, 'byId'>;
  /** The consoles service's tuning as it is now (tests change it while running). */
  tuning: () => ConsoleTuning;
  /** The waiting console (browser dropped) a ticket like this would continue, on this instance. */
  continued?: (
    ticket: Pick<ConsoleRow, 'user_id' | 'tenant_id' | 'server_id' | 'vmid' | 'view_only' | 'kind' | 'share_id'>,
  ) => string | null;
}

export class ConsoleTickets {
  constructor(private readonly d: ConsoleTicketsDeps) {}

  /** POST …/vms/:vmid/console: policy, limits, and a fresh single-use ticket. Nothing from Proxmox
   * reaches the answer; Proxmox is only asked where the guest lives. Refusals are audited. */
  async issue(
    ctx: TenantContext,
    serverId: string,
    vmid: number,
    request: ConsoleRequest = { kind: 'vnc' },
  ): Promise<ConsoleTicket> {
    try {
      return await this.issueTicket(ctx, serverId, vmid, request);
    } catch (err) {
      if (err instanceof AppError && AUDITED_TICKET_REFUSALS.has(err.code)) {
        await this.d.audit.recordAlone(ctx.audit, {
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

  private async issueTicket(
    ctx: TenantContext,
    serverId: string,
    vmid: number,
    request: ConsoleRequest,
  ): Promise<ConsoleTicket> {
    const tenantId = ctx.scope.tenantId;
    const userId = ctx.actor.userId;
    const settings = await this.d.settings.get(tenantId);
    const ability = guestAbilities(ctx.actor, ctx.scope, serverId, vmid, settings).console;
    if (ability === 'none') {
      throw new AppError('console.disabled', 'Viewers cannot open consoles in this tenant');
    }
    // The user's own budget first: hoarding tickets must not even cost a Proxmox lookup.
    await this.checkTicketBudget(this.d.db, userId);
    const location = await this.d.upstream.locate(tenantId, serverId, vmid).catch((err: unknown) => {
      // Another tenant's server and a missing guest look alike: there is no such guest for you.
      if (err instanceof AppError && err.code === 'server.not_found')
        throw new AppError('vm.not_found', 'Vm not found');
      throw err;
    });
    // A text console is a container's, or a VM's serial port (which the VM must have).
    if (request.kind === 'terminal' && location.type === 'qemu' && !request.serial) {
      throw new AppError(
        'console.terminal_unavailable',
        'A VM has a text console only on a serial port: ask for ?serial=serial0',
        {
          status: 400,
        },
      );
    }
    await this.requireRunning({ tenantId, serverId, vmid, ...location });
    return this.insertTicket(ctx, settings, {
      server_id: serverId,
      node: location.node,
      vmid,
      vm_type: location.type,
      kind: request.kind,
      serial: request.kind === 'terminal' && location.type === 'qemu' ? (request.serial ?? null) : null,
      view_only: ability === 'view-only' ? 1 : 0,
    });
  }

  /** POST …/nodes/:node/terminal: a shell on a Proxmox node — tenant admins (the route's
   * `node:shell`), and only while the tenant setting `nodeShell` is on. Audited when it opens. */
  async issueNodeShell(ctx: TenantContext, serverId: string, node: string): Promise<ConsoleTicket> {
    const settings = await this.d.settings.get(ctx.scope.tenantId);
    if (!settings.nodeShell) {
      throw new AppError('console.node_shell_disabled', 'Node shells are off for this tenant (setting nodeShell)');
    }
    await this.checkTicketBudget(this.d.db, ctx.actor.userId);
    return this.insertTicket(ctx, settings, {
      server_id: serverId,
      node,
      // A node shell belongs to no guest.
      vmid: 0,
      vm_type: null,
      kind: 'shell',
      serial: null,
      view_only: 0,
    });
  }

  /** A stopped guest has no console: said now (the browser offers "Start"), rather than let
   * vncproxy fail after the upgrade. Read afresh: a list seconds old may predate a start. */
  private async requireRunning(target: ConsoleTarget): Promise<void> {
    const status = await this.d.upstream.guestStatus(target);
    if (status === 'stopped') {
      throw new AppError('vm.not_running', `The ${target.type === 'lxc' ? 'container' : 'VM'} is not running`, {
        details: { status, type: target.type },
      });
    }
  }

  /** POST /api/shares/<token>/console, once the link and its PIN were checked: a ticket for the
   * link's console in its creator's name (user_id), bound to the link (share_id) instead of a
   * session. `takeUse` counts the use in the same transaction: only a ticket issued uses one. */
  async issueForShare(
    share: ShareRow,
    viewOnly: boolean,
    takeUse: (trx: Executor) => Promise<boolean>,
  ): Promise<ConsoleTicket> {
    const settings = await this.d.settings.get(share.tenant_id);
    const location = await this.d.upstream.locate(share.tenant_id, share.server_id, share.vmid).catch(() => {
      throw shareGone();
    });
    await this.requireRunning({ tenantId: share.tenant_id, serverId: share.server_id, vmid: share.vmid, ...location });
    const ticket = newSecret(32);
    const now = this.d.clock.now();
    const expiresAt = now + Math.min(this.d.tuning().ticketTtlMs, 30_000);
    await this.d.db.transaction().execute(async (trx) => {
      const at = { tenantId: share.tenant_id, serverId: share.server_id, node: location.node };
      await this.checkOpenLimits(trx, at, settings.maxConcurrentConsoles);
      if (!(await takeUse(trx))) throw shareGone();
      await this.d.repo.insert(trx, {
        id: newId(),
        ticket_hash: sha256(ticket),
        tenant_id: share.tenant_id,
        user_id: share.created_by,
        session_id: null,
        token_id: null,
        share_id: share.id,
        server_id: share.server_id,
        node: location.node,
        vmid: share.vmid,
        vm_type: location.type,
        kind: share.kind === 'terminal' && location.type === 'lxc' ? 'terminal' : 'vnc',
        serial: null,
        view_only: viewOnly ? 1 : 0,
        expires_at: expiresAt,
        bytes_up: 0,
        bytes_down: 0,
        created_at: now,
      });
    });
    return {
      wsPath: `/api/share-consoles/${ticket}/ws`,
      expiresAt: new Date(expiresAt).toISOString(),
      viewOnly,
      recorded: isRecorded(settings),
    };
  }

  /** The ticket row, counted and inserted under the user's lock (racing requests cannot exceed
   * the budget; SQLite serializes writers already). The open-console limits are a courtesy here
   * (a clear refusal before the browser tries); the upgrade enforces them. */
  private async insertTicket(
    ctx: TenantContext,
    settings: TenantSettings,
    what: Pick<ConsoleRow, 'server_id' | 'node' | 'vmid' | 'vm_type' | 'kind' | 'serial' | 'view_only'>,
  ): Promise<ConsoleTicket> {
    const tenantId = ctx.scope.tenantId;
    const userId = ctx.actor.userId;
    const ticket = newSecret(32);
    let expiresAt = 0;
    await this.d.db.transaction().execute(async (trx) => {
      await lockNamed(trx, this.d.dialect, `console-tickets:${userId}`);
      await this.checkTicketBudget(trx, userId);
      const continued = this.d.continued?.({ ...what, user_id: userId, tenant_id: tenantId, share_id: null });
      await this.checkOpenLimits(
        trx,
        { tenantId, serverId: what.server_id, node: what.node ?? '' },
        settings.maxConcurrentConsoles,
        continued,
      );
      const now = this.d.clock.now();
      expiresAt = now + Math.min(this.d.tuning().ticketTtlMs, 30_000);
      await this.d.repo.insert(trx, {
        id: newId(),
        ticket_hash: sha256(ticket),
        tenant_id: tenantId,
        user_id: userId,
        session_id: ctx.actor.via === 'session' ? ctx.actor.sessionId : null,
        token_id: ctx.actor.via === 'token' ? ctx.actor.tokenId : null,
        ...what,
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
      viewOnly: what.view_only === 1,
      recorded: isRecorded(settings),
    };
  }

  /** A user's unused tickets and tickets per minute, across tenants (429 with Retry-After). */
  private async checkTicketBudget(db: Executor, userId: string): Promise<void> {
    const now = this.d.clock.now();
    const pending = await this.d.repo.pendingTicketExpiries(db, userId, now);
    if (pending.length >= this.d.tuning().maxPendingTicketsPerUser) {
      throw new AppError(
        'console.too_many_tickets',
        `You already have ${pending.length} console links waiting to be opened; open or let them expire first`,
        { headers: { 'retry-after': String(Math.max(1, Math.ceil(((pending[0] ?? now) - now) / 1000))) } },
      );
    }
    const recent = await this.d.repo.ticketsIssuedSince(db, userId, now - 60_000);
    if (recent.length >= this.d.tuning().ticketsPerUserPerMinute) {
      throw new AppError('console.rate_limited', 'Too many consoles opened in the last minute; try again shortly', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(((recent[0] ?? now) + 60_000 - now) / 1000))) },
      });
    }
  }

  /** The tenant's and the node's open consoles against their limits (429 when one is full); a
   * waiting console the new one will continue (`except`) holds no extra slot. */
  private async checkOpenLimits(
    db: Executor,
    at: { tenantId: string; serverId: string; node: string },
    maxForTenant: number,
    except?: string | null,
  ): Promise<void> {
    const staleBefore = this.d.clock.now() - this.d.tuning().staleAfterMs;
    const forTenant = await this.d.repo.countOpen(db, { tenantId: at.tenantId }, staleBefore, except);
    if (forTenant >= maxForTenant) {
      throw new AppError(
        'console.limit_reached',
        `This tenant already has ${forTenant} consoles open (limit ${maxForTenant})`,
      );
    }
    const perNode = Math.min(this.d.tuning().maxPerNode, 90);
    const forNode = await this.d.repo.countOpen(db, { serverId: at.serverId, node: at.node }, staleBefore, except);
    if (forNode >= perNode) {
      throw new AppError('console.limit_reached', `Node ${at.node} already has ${forNode} consoles open`);
    }
  }

  /** The upgrade's checks, before any 101: Origin, ticket (unknown, expired, used, someone
   * else's), permission now, then the ticket is consumed. Refusals are audited. */
  claim(ctx: AuthedContext, ticket: string, request: UpgradeHeaders): Promise<ClaimedConsole> {
    return this.auditRefusals(ctx, request, {}, () => this.checkClaim(ctx, ticket, request));
  }

  /** The upgrade of a share link's console (no account): Origin, the ticket (issued for a link),
   * the link as it stands now, the limits; then the ticket is consumed. Refusals are audited. */
  claimShare(ctx: RequestContext, ticket: string, request: UpgradeHeaders): Promise<ClaimedConsole> {
    return this.auditRefusals(ctx, request, { share: true }, async () => {
      // A share's page is always a browser of ours: Origin is required.
      const row = await this.ticketRow(ticket, request, true);
      if (row.share_id === null) throw new AppError('console.ticket_invalid', TICKET_INVALID);
      const verdict = await this.d.shares.byId(row.share_id);
      if (!verdict.ok) throw verdict.error;
      if (verdict.viewOnly && row.view_only === 0) throw shareGone();
      const claimed = await this.consume(ctx, row);
      return { ...claimed, share: { id: row.share_id, expiresAt: verdict.row.expires_at } };
    });
  }

  /** Runs an upgrade's checks; a refusal is audited (`console.upgrade_refused`) and rethrown. */
  private async auditRefusals(
    ctx: RequestContext,
    request: { origin: string | undefined },
    extra: { share?: true },
    check: () => Promise<ClaimedConsole>,
  ): Promise<ClaimedConsole> {
    try {
      return await check();
    } catch (err) {
      if (err instanceof AppError) {
        await this.d.audit.recordAlone(ctx.audit, {
          action: 'console.upgrade_refused',
          targetType: 'console',
          result: 'denied',
          details: { code: err.code, reason: err.message, origin: request.origin ?? null, ...extra },
        });
      }
      throw err;
    }
  }

  /** Origin, subprotocol and the ticket's row (unknown, used, expired: one answer). */
  private async ticketRow(ticket: string, request: UpgradeHeaders, originRequired: boolean): Promise<ConsoleRow> {
    const { origin } = request;
    if (origin !== undefined ? !this.d.allowedOrigins.includes(origin) : originRequired) {
      throw new AppError(
        'auth.origin_refused',
        origin === undefined ? 'Cross-origin console connection refused' : originHint(origin, this.d.allowedOrigins),
      );
    }
    if (request.protocols !== undefined && !request.protocols.split(',').some((p) => p.trim() === 'binary')) {
      throw new AppError('http.bad_request', 'The console speaks WebSocket subprotocol "binary" only');
    }
    const invalid = () => new AppError('console.ticket_invalid', TICKET_INVALID);
    if (!TICKET_PATTERN.test(ticket)) throw invalid();
    const row = await this.d.repo.findByTicketHash(this.d.db, sha256(ticket));
    if (!row || row.consumed_at !== null || row.expires_at <= this.d.clock.now()) throw invalid();
    return row;
  }

  private async checkClaim(ctx: AuthedContext, ticket: string, request: UpgradeHeaders): Promise<ClaimedConsole> {
    const actor = ctx.actor;
    // Browsers always send Origin on WebSockets: a cookie session without one is not a browser
    // of ours; API-token clients (scripts) may omit it.
    const row = await this.ticketRow(ticket, request, actor.via === 'session');
    const invalid = () => new AppError('console.ticket_invalid', TICKET_INVALID);
    // Bound to the user and to the very session (or API token) that asked for it.
    const boundHere =
      row.share_id === null &&
      row.user_id === actor.userId &&
      (actor.via === 'session'
        ? row.session_id !== null && row.session_id === actor.sessionId
        : row.token_id !== null && row.token_id === actor.tokenId);
    if (!boundHere) throw invalid();
    // The permission is checked again now: it may have been taken away since the ticket.
    const scope = await this.d.scopes.loadScope(actor, row.tenant_id);
    const settings = await this.d.settings.get(row.tenant_id);
    if (row.kind === 'shell') {
      const decision = authorize(actor, 'node:shell', { kind: 'server', scope, serverId: row.server_id });
      if (!decision.allowed) throw decisionError(decision);
      if (!settings.nodeShell) {
        throw new AppError('console.node_shell_disabled', 'Node shells are off for this tenant (setting nodeShell)');
      }
    } else {
      const decision = authorize(actor, 'vm:console', {
        kind: 'guest',
        scope,
        serverId: row.server_id,
        vmid: row.vmid,
      });
      if (!decision.allowed) throw decisionError(decision);
      const ability = guestAbilities(actor, scope, row.server_id, row.vmid, settings).console;
      if (ability === 'none') throw new AppError('console.disabled', 'Viewers cannot open consoles in this tenant');
      if (ability === 'view-only' && row.view_only === 0) {
        throw new AppError('policy.forbidden', 'Your console access changed; open the console again');
      }
    }
    return this.consume(ctx, row);
  }

  /** The open-console limits are enforced here, counted and claimed under the tenant's lock, so a
   * burst of tickets issued while few consoles were open cannot open more than the limit. */
  private async consume(ctx: RequestContext, row: ConsoleRow): Promise<ClaimedConsole> {
    const settings = await this.d.settings.get(row.tenant_id);
    const consumed = await this.d.db.transaction().execute(async (trx) => {
      await lockNamed(trx, this.d.dialect, `consoles:${row.tenant_id}`);
      await this.checkOpenLimits(
        trx,
        { tenantId: row.tenant_id, serverId: row.server_id, node: row.node ?? '' },
        settings.maxConcurrentConsoles,
        this.d.continued?.(row),
      );
      return this.d.repo.consume(trx, row.id, this.d.clock.now(), this.d.instanceId, ctx.ip);
    });
    if (!consumed) throw new AppError('console.ticket_invalid', TICKET_INVALID);
    return {
      row,
      kind: row.kind === 'terminal' || row.kind === 'shell' ? row.kind : 'vnc',
      viewOnly: row.view_only === 1,
      idleTimeoutMs: this.d.tuning().idleTimeoutMs ?? settings.consoleIdleTimeoutMinutes * 60_000,
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
}

/** The recordings module's view of a console about to run. */
export function recordedConsole(claimed: ClaimedConsole, audit: AuditContext): RecordedConsole {
  const { row } = claimed;
  return {
    consoleId: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    shareId: claimed.share?.id ?? null,
    serverId: row.server_id,
    vmid: claimed.kind === 'shell' ? null : row.vmid,
    node: row.node,
    kind: claimed.kind === 'vnc' ? 'vnc' : 'terminal',
    audit,
  };
}
