// The notification center's texts (ICU messages, ids `notifications.*`).
import { defineMessage, defineMessages } from 'react-intl';

export const nm = defineMessages({
  aServer: { id: 'notifications.aServer', defaultMessage: 'A server' },
  someone: { id: 'notifications.someone', defaultMessage: 'Someone' },
  anAction: { id: 'notifications.anAction', defaultMessage: 'an action' },
  aMember: { id: 'notifications.aMember', defaultMessage: 'a member' },
  title: { id: 'notifications.title', defaultMessage: 'Notifications' },
  markAllRead: { id: 'notifications.markAllRead', defaultMessage: 'Mark all read' },
  unavailable: { id: 'notifications.unavailable', defaultMessage: 'Notifications are not available on this server yet.' },
  nothingNew: { id: 'notifications.nothingNew', defaultMessage: 'Nothing new.' },
  unread: { id: 'notifications.unreadMark', defaultMessage: 'unread' },
  markRead: { id: 'notifications.markRead', defaultMessage: 'Mark read' },
});

export const withUnread = defineMessage<{ count: number }>({ id: 'notifications.withUnread', defaultMessage: 'Notifications ({count} unread)' });
export const said = defineMessages({
  offline: { id: 'notifications.offline', defaultMessage: '{server} went offline' },
  offlineWhy: { id: 'notifications.offlineWhy', defaultMessage: '{server} went offline: {error}' },
  tlsError: { id: 'notifications.tlsError', defaultMessage: "{server} presented a different TLS certificate: check it and trust it again in the server's settings" },
  authError: { id: 'notifications.authError', defaultMessage: "{server} refused the API token: it was revoked or lacks permissions; replace it in the server's settings" },
  refused: { id: 'notifications.refused', defaultMessage: '{server} is at an address this tenant may not reach (egress policy)' },
  online: { id: 'notifications.online', defaultMessage: '{server} is back online' },
  guest: { id: 'notifications.guest', defaultMessage: 'guest {vmid}' },
  action: { id: 'notifications.action', defaultMessage: '{actor} ran {action} on {guest}' },
  nowRole: { id: 'notifications.nowRole', defaultMessage: '{who} is now {role}' },
  removed: { id: 'notifications.removed', defaultMessage: '{who} was removed' },
});
