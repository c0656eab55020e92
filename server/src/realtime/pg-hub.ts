// The event hub across instances: PostgreSQL LISTEN/NOTIFY. Tenant events are also written to
// `realtime_events`, whose id sequence is the SSE event id on every instance; a notification
// carries the event itself when it fits the NOTIFY payload limit (8000 bytes), else only its id.
// A dedicated listening connection reconnects with back-off after a database restart and catches
// up from the table, so subscribers (held in memory here) never notice more than a delay.
import type { SystemEvent, TenantEvent } from '@common/events';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema';
import type { Logger } from '../lib/logger';
import { type EventHub, type HubMessage, SubscribedHub } from './hub';
import { RealtimeEventsRepo } from './realtime-events.repo';

const TENANT_CHANNEL = 'nexus_tenant_events';
const SYSTEM_CHANNEL = 'nexus_system_events';
/** NOTIFY payloads must stay below 8000 bytes; leave room for the envelope. */
export const INLINE_LIMIT = 7000;
const RETENTION_MS = 60 * 60_000;
const CATCH_UP_LIMIT = 5000;

interface TenantNote {
  id: number;
  tenantId: string;
  event?: TenantEvent;
}

export interface PgHubOptions {
  url: string;
  db: Kysely<Database>;
  log: Logger;
  /** Back-off bounds for re-establishing the listening connection. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export class PgHub extends SubscribedHub implements EventHub {
  private readonly events: RealtimeEventsRepo;
  private listener: pg.Client | null = null;
  private closed = false;
  private lastSeenId = 0;
  private reconnectDelay: number;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  /** Resolves once the first LISTEN is in place. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: PgHubOptions) {
    super();
    this.events = new RealtimeEventsRepo(opts.db);
    this.reconnectDelay = opts.reconnectMinMs ?? 250;
    this.ready = this.connect(true);
    this.pruneTimer = setInterval(() => void this.prune(), 5 * 60_000);
    this.pruneTimer.unref();
  }

  /** Whether the listening connection is up (for readiness and tests). */
  get listening(): boolean {
    return this.listener !== null;
  }

  private async connect(first: boolean): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.opts.url, connectionTimeoutMillis: 5000, keepAlive: true });
    try {
      await client.connect();
      client.on('notification', (n) => this.onNotification(n.channel, n.payload ?? ''));
      client.on('error', (err) => this.lost(client, err));
      client.on('end', () => this.lost(client, null));
      await client.query(`LISTEN ${TENANT_CHANNEL}`);
      await client.query(`LISTEN ${SYSTEM_CHANNEL}`);
      if (first) {
        this.lastSeenId = await this.events.newestId();
      }
      this.listener = client;
      this.reconnectDelay = this.opts.reconnectMinMs ?? 250;
      if (!first) {
        this.opts.log.info('event hub: listening again');
        await this.catchUp();
      }
    } catch (err) {
      if (this.listener === client) this.listener = null; // the catch-up after LISTEN failed
      await retire(client);
      if (first) this.opts.log.warn({ err }, 'event hub: cannot listen yet; retrying');
      this.scheduleReconnect();
    }
  }

  private lost(client: pg.Client, err: Error | null): void {
    if (this.listener !== client) return;
    this.listener = null;
    void retire(client);
    if (this.closed) return;
    this.opts.log.warn({ err }, 'event hub: listening connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.opts.reconnectMaxMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect(false);
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Delivers what was published while the listener was away. */
  private async catchUp(): Promise<void> {
    const rows = await this.events.after(this.lastSeenId, CATCH_UP_LIMIT);
    for (const row of rows) this.deliver(row.id, JSON.parse(row.payload) as TenantEvent);
  }

  private onNotification(channel: string, payload: string): void {
    try {
      if (channel === SYSTEM_CHANNEL) {
        this.local.emitSystem(JSON.parse(payload) as SystemEvent);
        return;
      }
      const note = JSON.parse(payload) as TenantNote;
      if (note.event) this.deliver(note.id, note.event);
      else void this.fetchAndDeliver(note.id);
    } catch (err) {
      this.opts.log.warn({ err }, 'event hub: unreadable notification');
    }
  }

  private async fetchAndDeliver(id: number): Promise<void> {
    const payload = await this.events.payloadOf(id);
    if (payload) this.deliver(id, JSON.parse(payload) as TenantEvent);
  }

  private deliver(id: number, event: TenantEvent): void {
    if (id > this.lastSeenId) this.lastSeenId = id;
    this.local.emitTenant({ id: String(id), event });
  }

  async publishTenant(event: TenantEvent): Promise<void> {
    const payload = JSON.stringify(event);
    const id = await this.events.insert(event.tenantId, payload, Date.now());
    const note: TenantNote = { id, tenantId: event.tenantId };
    if (payload.length <= INLINE_LIMIT) note.event = event;
    await this.events.notify(TENANT_CHANNEL, JSON.stringify(note));
  }

  async publishSystem(event: SystemEvent): Promise<void> {
    await this.events.notify(SYSTEM_CHANNEL, JSON.stringify(event));
  }

  async replay(tenantId: string, lastId: string): Promise<HubMessage<TenantEvent>[] | null> {
    const last = Number(lastId);
    if (!Number.isSafeInteger(last) || last < 0) return null;
    const oldest = await this.events.oldestId();
    if (oldest === null || last + 1 < oldest || last > this.lastSeenId) return null;
    const rows = await this.events.after(last, CATCH_UP_LIMIT, tenantId);
    return rows.map((r) => ({ id: String(r.id), event: JSON.parse(r.payload) as TenantEvent }));
  }

  private async prune(): Promise<void> {
    await this.events
      .deleteBefore(Date.now() - RETENTION_MS)
      .catch((err: unknown) => this.opts.log.warn({ err }, 'event hub: pruning failed'));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    const client = this.listener;
    this.listener = null;
    this.local.clear();
    if (client) await retire(client);
  }
}

/** Ends a listening connection we are done with. Its socket may still report an error; with no
 * listener left, pg would emit it unhandled and the process would exit. */
async function retire(client: pg.Client): Promise<void> {
  client.removeAllListeners();
  client.on('error', () => {});
  await client.end().catch(() => {});
}
