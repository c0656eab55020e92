// Texts of the shared components (ICU messages, ids `common.*`).
import { defineMessage, defineMessages, type MessageDescriptor } from 'react-intl';

export const cm = defineMessages({
  actions: { id: 'common.actions', defaultMessage: 'Actions' },
  noAccess: { id: 'common.noAccess', defaultMessage: 'No access' },
  theme: { id: 'common.theme', defaultMessage: 'Theme' },
  themeLight: { id: 'common.theme.light', defaultMessage: 'Light' },
  themeDark: { id: 'common.theme.dark', defaultMessage: 'Dark' },
  themeSystem: { id: 'common.theme.system', defaultMessage: 'System' },
  confirm: { id: 'common.confirm', defaultMessage: 'Confirm' },
  pleaseConfirm: { id: 'common.pleaseConfirm', defaultMessage: 'Please confirm' },
  cancel: { id: 'common.cancel', defaultMessage: 'Cancel' },
  notifications: { id: 'common.notifications', defaultMessage: 'Notifications' },
  dismiss: { id: 'common.dismiss', defaultMessage: 'Dismiss' },
  loading: { id: 'common.loading', defaultMessage: 'Loading' },
});

export const themeIs = defineMessage<{ theme: string }>({ id: 'common.themeIs', defaultMessage: 'Theme: {theme}' });

export const statusLabels: Record<string, MessageDescriptor> = defineMessages({
  online: { id: 'status.online', defaultMessage: 'Online' },
  degraded: { id: 'status.degraded', defaultMessage: 'Degraded' },
  offline: { id: 'status.offline', defaultMessage: 'Offline' },
  auth_error: { id: 'status.authError', defaultMessage: 'Auth error' },
  tls_error: { id: 'status.tlsError', defaultMessage: 'TLS error' },
  refused: { id: 'status.refused', defaultMessage: 'Refused by policy' },
  unknown: { id: 'status.unknown', defaultMessage: 'Unknown' },
  running: { id: 'status.running', defaultMessage: 'Running' },
  stopped: { id: 'status.stopped', defaultMessage: 'Stopped' },
  paused: { id: 'status.paused', defaultMessage: 'Paused' },
  suspended: { id: 'status.suspended', defaultMessage: 'Suspended' },
});

export const deleteText = defineMessages({
  title: { id: 'common.deleteName', defaultMessage: 'Delete {name}?' },
  done: { id: 'common.deleted', defaultMessage: 'Deleted {name}' },
  failed: { id: 'common.deleteFailed', defaultMessage: 'Delete failed' },
});
