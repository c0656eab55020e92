// Who may see which realtime event and notification: the same rules as the lists (DESIGN.md §5).
// Members restricted to guests see only what concerns those guests and the servers hosting them.
import type { NotificationSubject, TenantEvent } from '@common/events';
import { type Actor, authorize, canSeeGuest, type TenantScope } from '../policy/policy';

export function eventVisibleTo(actor: Actor, scope: TenantScope, event: TenantEvent): boolean {
  switch (event.type) {
    case 'member.changed':
      return authorize(actor, 'member:read', { kind: 'tenant', scope }).allowed || event.userId === actor.userId;
    case 'tenant.updated':
      return true;
    case 'notification.created':
      // Without a subject (published by an older instance) a restricted member is not told.
      return notificationVisibleTo(actor, scope, event.kind, event.about ?? {});
    default:
      break;
  }
  if (!scope.assignments) return true;
  // A task of no guest (vmid null) is a server's, which a restricted member does not manage.
  if ('vmid' in event) return typeof event.vmid === 'number' && canSeeGuest(scope, event.serverId, event.vmid);
  return authorize(actor, 'server:read', { kind: 'server', scope, serverId: event.serverId }).allowed;
}

/** Whether a notification (of `kind`, about `subject`) is the caller's to see. */
export function notificationVisibleTo(
  actor: Actor,
  scope: TenantScope,
  kind: string,
  subject: { [K in keyof NotificationSubject]?: unknown },
): boolean {
  if (kind === 'member.changed') {
    return authorize(actor, 'member:read', { kind: 'tenant', scope }).allowed || subject.userId === actor.userId;
  }
  if (!scope.assignments) return true;
  const serverId = typeof subject.serverId === 'string' ? subject.serverId : '';
  if (typeof subject.vmid === 'number') return canSeeGuest(scope, serverId, subject.vmid);
  return authorize(actor, 'server:read', { kind: 'server', scope, serverId }).allowed;
}
