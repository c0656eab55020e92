// The event hub: tenants' realtime events and instance-to-instance system events. The memory
// hub serves one process; the PostgreSQL hub (LISTEN/NOTIFY) implements the same interface.
import { EventEmitter } from 'node:events';
import type { SystemEvent, TenantEvent } from '@common/events';

export interface HubMessage<T> {
  /** Monotonic per hub, used as the SSE event id for Last-Event-ID resume. */
  id: string;
  event: T;
}

export interface EventHub {
  publishTenant(event: TenantEvent): Promise<void>;
  publishSystem(event: SystemEvent): Promise<void>;
  subscribeTenant(tenantId: string, fn: (msg: HubMessage<TenantEvent>) => void): () => void;
  subscribeSystem(fn: (event: SystemEvent) => void): () => void;
  /** Events after `lastId` still in the replay buffer, or null when that id is too old. */
  replay(tenantId: string, lastId: string): Promise<HubMessage<TenantEvent>[] | null>;
  close(): Promise<void>;
}

const REPLAY_SIZE = 500;

/** This process's subscribers; every hub delivers to them, however events reach it. */
export class LocalSubscribers {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  tenant(tenantId: string, fn: (msg: HubMessage<TenantEvent>) => void): () => void {
    const name = `tenant:${tenantId}`;
    this.emitter.on(name, fn);
    return () => this.emitter.off(name, fn);
  }

  system(fn: (event: SystemEvent) => void): () => void {
    this.emitter.on('system', fn);
    return () => this.emitter.off('system', fn);
  }

  emitTenant(msg: HubMessage<TenantEvent>): void {
    this.emitter.emit(`tenant:${msg.event.tenantId}`, msg);
  }

  emitSystem(event: SystemEvent): void {
    this.emitter.emit('system', event);
  }

  clear(): void {
    this.emitter.removeAllListeners();
  }
}

/** What every hub does alike: subscribers of this instance, fed by the hub's own delivery. */
export abstract class SubscribedHub {
  protected readonly local = new LocalSubscribers();

  subscribeTenant(tenantId: string, fn: (msg: HubMessage<TenantEvent>) => void): () => void {
    return this.local.tenant(tenantId, fn);
  }

  subscribeSystem(fn: (event: SystemEvent) => void): () => void {
    return this.local.system(fn);
  }
}

export class MemoryHub extends SubscribedHub implements EventHub {
  private seq = 0;
  private readonly buffers = new Map<string, HubMessage<TenantEvent>[]>();

  async publishTenant(event: TenantEvent): Promise<void> {
    this.deliverTenant(event);
  }

  /** Also used by the PostgreSQL hub when a notification arrives. */
  deliverTenant(event: TenantEvent): void {
    const msg: HubMessage<TenantEvent> = { id: String(++this.seq), event };
    let buf = this.buffers.get(event.tenantId);
    if (!buf) {
      buf = [];
      this.buffers.set(event.tenantId, buf);
    }
    buf.push(msg);
    if (buf.length > REPLAY_SIZE) buf.splice(0, buf.length - REPLAY_SIZE);
    this.local.emitTenant(msg);
  }

  async publishSystem(event: SystemEvent): Promise<void> {
    this.deliverSystem(event);
  }

  deliverSystem(event: SystemEvent): void {
    this.local.emitSystem(event);
  }

  async replay(tenantId: string, lastId: string): Promise<HubMessage<TenantEvent>[] | null> {
    const last = Number(lastId);
    if (!Number.isSafeInteger(last)) return null;
    const buf = this.buffers.get(tenantId) ?? [];
    const first = buf[0];
    if (last > this.seq) return null;
    if (first && Number(first.id) > last + 1) return null;
    return buf.filter((m) => Number(m.id) > last);
  }

  async close(): Promise<void> {
    this.local.clear();
  }
}
