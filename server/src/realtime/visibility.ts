// Who may see which realtime event: the same rules as the lists (DESIGN.md §5). Members
// restricted to guests see only events about those guests and the servers hosting them.
import type { TenantEvent } from '@common/events';
import { type Actor, authorize, canSeeGuest, type TenantScope } from '../policy/policy';

export function eventVisibleTo(actor: Actor, scope: TenantScope, event: TenantEvent): boolean {
  const target = { kind: 'tenant' as const, scope };
  switch (event.type) {
    case 'member.changed':
      return authorize(actor, 'member:read', target).allowed || event.userId === actor.userId;
    case 'tenant.updated':
      return true;
    case 'notification.created':
      return true; // the notification itself is filtered when listed
    default:
      break;
  }
  if (!scope.assignments) return true;
  if ('vmid' in event && typeof event.vmid === 'number') return canSeeGuest(scope, event.serverId, event.vmid);
  if ('serverId' in event) {
    return authorize(actor, 'server:read', { kind: 'server', scope, serverId: event.serverId }).allowed;
  }
  return false;
}
