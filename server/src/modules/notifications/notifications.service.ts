// The notification center: notable tenant events become rows, as each tenant's notification
// settings choose. Rows are written by the instance that publishes the event (never by
// subscribers), so with several instances each notification exists once.

import type { NotificationSubject, TenantEvent } from '@common/events';
import { type NOTIFICATION_KINDS, SERVER_ALERT_KINDS, SERVER_NOTIFICATION_KINDS } from '@common/schemas/notifications';
import type { TenantSettings } from '@common/schemas/tenants';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { TenantContext } from '../../http/context';
import type { Clock } from '../../lib/clock';
import { newId } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import type { EventHub, HubMessage } from '../../realtime/hub';
import { notificationVisibleTo } from '../../realtime/visibility';
import type { TenantSettingsReader } from '../tenants/settings-reader';
import type { UserDirectory } from '../users/user-directory';
import { type NotificationRow, NotificationsRepo } from './notifications.repo';

type Kind = (typeof NOTIFICATION_KINDS)[number];

const alertKind = (status: string): Kind | null =>
  Object.hasOwn(SERVER_ALERT_KINDS, status) ? SERVER_ALERT_KINDS[status as keyof typeof SERVER_ALERT_KINDS] : null;

/** Which event becomes which notification, under which setting. */
function classify(event: TenantEvent): {
  kind: Kind;
  setting: keyof TenantSettings['notifications'];
  actor: string | null;
  payload: Record<string, unknown>;
} | null {
  switch (event.type) {
    case 'server.status_changed': {
      // Every status that needs a human (down, certificate changed, token revoked, address not
      // allowed), and the way back from one; `degraded` (slow) and first contact do not.
      const alert = alertKind(event.to);
      if (alert) {
        return {
          kind: alert,
          setting: 'serverOffline',
          actor: null,
          payload: { serverId: event.serverId, name: event.name, error: event.error, status: event.to },
        };
      }
      if (alertKind(event.from) && event.to === 'online') {
        return {
          kind: 'server.online',
          setting: 'serverOffline',
          actor: null,
          payload: { serverId: event.serverId, name: event.name },
        };
      }
      return null;
    }
    case 'vm.action':
      return {
        kind: 'vm.action',
        setting: 'vmActions',
        actor: event.actorUserId,
        payload: { serverId: event.serverId, vmid: event.vmid, action: event.action, upid: event.upid },
      };
    case 'member.changed':
      return {
        kind: 'member.changed',
        setting: 'memberChanges',
        actor: null,
        payload: { userId: event.userId, role: event.role },
      };
    default:
      return null;
  }
}

export class NotificationsService {
  readonly repo = new NotificationsRepo();
  private lastAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: TenantSettingsReader,
    private readonly users: Pick<UserDirectory, 'label'>,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Records a notification for an event the caller is about to publish; returns its id or null. */
  async record(event: TenantEvent): Promise<{ id: string; kind: Kind; about: NotificationSubject } | null> {
    const c = classify(event);
    if (!c) return null;
    const settings = await this.settings.get(event.tenantId);
    if (!settings.notifications[c.setting]) return null;
    if (await this.repeatsLast(event.tenantId, c.kind, c.payload.serverId)) return null;
    // Names as they were when it happened, so the list reads well even after people leave.
    const names = (userId: unknown) => (typeof userId === 'string' ? this.users.label(userId) : null);
    if (c.actor) c.payload.actorName = await names(c.actor);
    if (c.kind === 'member.changed') c.payload.memberName = await names(c.payload.userId);
    const id = newId();
    // Strictly increasing times keep the list in publishing order within an instance.
    this.lastAt = Math.max(this.clock.now(), this.lastAt + 1);
    await this.repo.insert(this.db, {
      id,
      tenant_id: event.tenantId,
      kind: c.kind,
      payload: JSON.stringify(c.payload),
      actor_user_id: c.actor,
      created_at: this.lastAt,
    });
    const { serverId, vmid, userId } = c.payload;
    const about: NotificationSubject = {
      ...(typeof serverId === 'string' ? { serverId } : {}),
      ...(typeof vmid === 'number' ? { vmid } : {}),
      ...(typeof userId === 'string' ? { userId } : {}),
    };
    return { id, kind: c.kind, about };
  }

  /**
   * A server's alert is not repeated while nothing changed for a human: a kind already raised
   * since the server was last back is not raised again (tls_error → offline → tls_error is one
   * certificate alert and one offline alert); back online closes them, once.
   */
  private async repeatsLast(tenantId: string, kind: Kind, serverId: unknown): Promise<boolean> {
    if (typeof serverId !== 'string' || !(SERVER_NOTIFICATION_KINDS as readonly string[]).includes(kind)) return false;
    const recent = await this.repo.recentOfKinds(this.db, tenantId, SERVER_NOTIFICATION_KINDS, 200);
    const ofServer = recent.filter((r) => (JSON.parse(r.payload) as { serverId?: unknown }).serverId === serverId);
    // The alerts since the server was last back (newest first, up to that recovery).
    const back = ofServer.findIndex((r) => r.kind === 'server.online');
    const open = back === -1 ? ofServer : ofServer.slice(0, back);
    if (kind === 'server.online') return open.length === 0;
    return open.some((r) => r.kind === kind);
  }

  private visible(ctx: TenantContext, row: NotificationRow): boolean {
    let payload: Record<string, unknown> = {};
    try {
      payload = JSON.parse(row.payload) as Record<string, unknown>;
    } catch {
      return false;
    }
    return notificationVisibleTo(ctx.actor, ctx.scope, row.kind, payload);
  }

  async list(ctx: TenantContext, q: { cursor?: string | undefined; unread?: boolean; limit: number }) {
    const rows = await this.repo.list(this.db, ctx.scope.tenantId, ctx.actor.userId, {
      ...(q.cursor ? { before: Date.parse(q.cursor) } : {}),
      unread: q.unread ?? false,
      limit: q.limit + 1,
    });
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const notifications = page
      .filter((r) => this.visible(ctx, r))
      .map((r) => ({
        id: r.id,
        kind: r.kind as Kind,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        actorUserId: r.actor_user_id,
        createdAt: new Date(r.created_at).toISOString(),
        read: r.read_at !== null,
      }));
    const last = page.at(-1);
    return {
      notifications,
      unreadCount: await this.unreadCount(ctx),
      nextCursor: more && last ? new Date(last.created_at).toISOString() : null,
    };
  }

  async unreadCount(ctx: TenantContext): Promise<number> {
    const rows = await this.repo.list(this.db, ctx.scope.tenantId, ctx.actor.userId, { unread: true, limit: 1000 });
    return rows.filter((r) => this.visible(ctx, r)).length;
  }

  async markRead(ctx: TenantContext, ids: string[] | 'all') {
    await this.repo.markRead(this.db, ctx.scope.tenantId, ctx.actor.userId, ids, this.clock.now());
    return { ok: true as const, unreadCount: await this.unreadCount(ctx) };
  }

  async prune(retentionDays: number): Promise<void> {
    await this.repo.pruneOlderThan(this.db, this.clock.now() - retentionDays * 86_400_000).catch((err: unknown) => {
      this.log.warn({ err }, 'notification pruning failed');
    });
  }
}

/**
 * Wraps a hub so that publishing a notable event also records its notification (and announces
 * it), in the publishing instance only.
 */
export class NotifyingHub implements EventHub {
  constructor(
    private readonly inner: EventHub,
    private readonly service: NotificationsService,
    private readonly log: Logger,
  ) {}

  async publishTenant(event: TenantEvent): Promise<void> {
    await this.inner.publishTenant(event);
    try {
      const n = await this.service.record(event);
      if (n) {
        await this.inner.publishTenant({
          type: 'notification.created',
          tenantId: event.tenantId,
          at: new Date().toISOString(),
          notificationId: n.id,
          kind: n.kind,
          about: n.about,
        });
      }
    } catch (err) {
      this.log.warn({ err }, 'could not record a notification');
    }
  }

  publishSystem = (...args: Parameters<EventHub['publishSystem']>) => this.inner.publishSystem(...args);
  subscribeTenant = (tenantId: string, fn: (msg: HubMessage<TenantEvent>) => void) =>
    this.inner.subscribeTenant(tenantId, fn);
  subscribeSystem = (...args: Parameters<EventHub['subscribeSystem']>) => this.inner.subscribeSystem(...args);
  replay = (tenantId: string, lastId: string) => this.inner.replay(tenantId, lastId);
  close = () => this.inner.close();
}
