// One Server-Sent Events stream of a tenant's events to one caller, and the registry of open
// streams (the per-user cap, closing all on shutdown). Like ConsoleRelay for consoles: the route
// only authorizes and hands the hijacked response over. Events are filtered by what the caller
// may see; a resume replays what was missed in id order; revocation events end the stream at
// once, and a periodic re-authorization (auth.reauthorize) ends it when access is gone — or
// narrows what it shows when the caller's role or guest restriction changed.
import type { ServerResponse } from 'node:http';
import type { SystemEvent, TenantEvent } from '@common/events';
import { AppError } from '../lib/app-error';
import type { Logger } from '../lib/logger';
import type { AuthService, Principal } from '../modules/auth/auth.service';
import type { Actor, TenantScope } from '../policy/policy';
import type { EventHub, HubMessage } from './hub';
import { eventVisibleTo } from './visibility';

export interface SseOptions {
  heartbeatMs: number;
  /** How often the caller's session/membership is re-checked while the stream is open. */
  recheckMs: number;
  /** Open streams one user may hold on this instance, over all tenants (a browser tab holds one);
   * more are refused with 429 rather than closing the oldest, which would set tabs fighting. */
  maxStreamsPerUser: number;
}

export const SSE_DEFAULTS: SseOptions = { heartbeatMs: 15_000, recheckMs: 60_000, maxStreamsPerUser: 8 };

function affects(event: SystemEvent, actor: Actor, tenantId: string): boolean {
  switch (event.type) {
    case 'revoke.user':
      return event.userId === actor.userId;
    case 'revoke.token':
      return actor.tokenId === event.tokenId;
    case 'revoke.sessions':
      return actor.sessionId !== null && event.sessionIds.includes(actor.sessionId);
    case 'revoke.membership':
      return event.userId === actor.userId && event.tenantId === tenantId;
    case 'revoke.tenant':
      return event.tenantId === tenantId;
    default:
      return false;
  }
}

/** How many of the last events' ids a stream remembers, to send none twice around a resume. */
const SENT_MEMORY = 1000;

export class EventStreams {
  private readonly open = new Set<EventStream>();
  private readonly perUser = new Map<string, number>();
  readonly opts: SseOptions;

  constructor(
    private readonly hub: EventHub,
    private readonly auth: Pick<AuthService, 'reauthorize'>,
    private readonly log: Logger,
    options: Partial<SseOptions> = {},
  ) {
    this.opts = { ...SSE_DEFAULTS, ...options };
  }

  /** Refuses a caller who already holds the most streams (before anything is sent). */
  admit(userId: string): void {
    const held = this.perUser.get(userId) ?? 0;
    if (held >= this.opts.maxStreamsPerUser) {
      throw new AppError(
        'realtime.too_many_streams',
        `You already have ${held} event streams open; close a tab or window first`,
        { headers: { 'retry-after': '30' } },
      );
    }
  }

  /** Starts a stream on a response whose head has been written; resumes after `lastId`. */
  async start(raw: ServerResponse, actor: Actor, scope: TenantScope, lastId: string | undefined): Promise<void> {
    const stream = new EventStream(raw, actor, scope, this.hub, this.auth, this.opts, this.log, () => {
      this.open.delete(stream);
      const left = (this.perUser.get(actor.userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(actor.userId, left);
      else this.perUser.delete(actor.userId);
    });
    this.open.add(stream);
    this.perUser.set(actor.userId, (this.perUser.get(actor.userId) ?? 0) + 1);
    await stream.start(lastId);
  }

  count(): number {
    return this.open.size;
  }

  /** Ends every open stream (graceful shutdown: clients reconnect to another instance). */
  closeAll(): void {
    for (const s of [...this.open]) s.close();
  }
}

export class EventStream {
  private readonly principal: Principal;
  private readonly tenantId: string;
  /** Live events wait while a resume replays what was missed. */
  private backlog: HubMessage<TenantEvent>[] | null = null;
  private readonly sent = new Set<string>();
  private readonly cleanups: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly raw: ServerResponse,
    private actor: Actor,
    private scope: TenantScope,
    private readonly hub: EventHub,
    private readonly auth: Pick<AuthService, 'reauthorize'>,
    private readonly opts: SseOptions,
    private readonly log: Logger,
    private readonly onClose: () => void,
  ) {
    this.principal = { userId: actor.userId, sessionId: actor.sessionId, tokenId: actor.tokenId };
    this.tenantId = scope.tenantId;
  }

  async start(lastId: string | undefined): Promise<void> {
    const raw = this.raw;
    raw.write('retry: 3000\n\n');
    // Listening from the start: a client gone during the replay below must still be let go
    // (its place among the user's streams, its subscriptions).
    raw.on('close', () => this.close());
    raw.on('error', () => this.close());
    this.cleanups.push(this.hub.subscribeTenant(this.tenantId, (msg) => this.send(msg)));
    this.cleanups.push(
      this.hub.subscribeSystem((event) => {
        if (affects(event, this.actor, this.tenantId)) this.revoke('reason' in event ? event.reason : 'revoked');
      }),
    );
    if (lastId) {
      this.backlog = [];
      const missed = await this.hub.replay(this.tenantId, lastId).catch(() => null);
      const live = this.backlog;
      this.backlog = null;
      if (missed === null) raw.write('event: resync\ndata: {}\n\n');
      for (const msg of [...(missed ?? []), ...live].sort((a, b) => Number(a.id) - Number(b.id))) this.write(msg);
    }
    if (this.closed) return;
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), this.opts.heartbeatMs);
    const recheck = setInterval(() => void this.recheck(), this.opts.recheckMs);
    this.cleanups.push(
      () => clearInterval(heartbeat),
      () => clearInterval(recheck),
    );
  }

  private send(msg: HubMessage<TenantEvent>): void {
    if (this.backlog) this.backlog.push(msg);
    else this.write(msg);
  }

  private write(msg: HubMessage<TenantEvent>): void {
    if (this.closed || this.sent.has(msg.id) || !eventVisibleTo(this.actor, this.scope, msg.event)) return;
    this.sent.add(msg.id);
    if (this.sent.size > SENT_MEMORY) this.sent.delete(this.sent.values().next().value as string);
    this.raw.write(`id: ${msg.id}\nevent: ${msg.event.type}\ndata: ${JSON.stringify(msg.event)}\n\n`);
  }

  /** Still allowed? Then with what the caller may see now; else the stream ends. */
  private async recheck(): Promise<void> {
    try {
      const now = await this.auth.reauthorize(this.principal, this.tenantId, 'events:subscribe', {
        tokenScope: 'read',
      });
      if (!now) return this.revoke('session ended');
      this.actor = now.actor;
      this.scope = now.scope;
    } catch (err) {
      this.log.warn({ err }, 'event stream re-authorization failed; closing it');
      this.close();
    }
  }

  private revoke(reason: string): void {
    if (this.closed) return;
    this.raw.write(`event: revoked\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.cleanups) c();
    this.onClose();
    this.raw.end();
  }
}
