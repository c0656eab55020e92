// The audit feature's texts (ICU messages, ids `audit.*`).

import type { AUDIT_ACTIONS, AuditAction } from '@common/schemas/audit';
import { defineMessage, defineMessages, type MessageDescriptor } from 'react-intl';

export const am = defineMessages({
  verifying: { id: 'audit.verifying', defaultMessage: 'Verifying the chain…' },
  verifyFailed: { id: 'audit.verifyFailed', defaultMessage: 'Chain verification failed to run' },
  intact: { id: 'audit.intact', defaultMessage: 'Hash chain intact' },
  broken: { id: 'audit.broken', defaultMessage: 'Hash chain broken' },
  legacy: { id: 'audit.legacyKey', defaultMessage: 'legacy SHA-256 (before keying)' },
  from: { id: 'audit.filter.from', defaultMessage: 'From' },
  to: { id: 'audit.filter.to', defaultMessage: 'To' },
  actor: { id: 'audit.filter.actor', defaultMessage: 'Actor' },
  actorPlaceholder: { id: 'audit.filter.actorPlaceholder', defaultMessage: 'e-mail' },
  action: { id: 'audit.filter.action', defaultMessage: 'Action' },
  result: { id: 'audit.filter.result', defaultMessage: 'Result' },
  any: { id: 'audit.result.any', defaultMessage: 'Any' },
  success: { id: 'audit.result.success', defaultMessage: 'Success' },
  failure: { id: 'audit.result.failure', defaultMessage: 'Failure' },
  denied: { id: 'audit.result.denied', defaultMessage: 'Denied' },
  filters: { id: 'audit.filters', defaultMessage: 'Audit filters' },
  filter: { id: 'audit.filter', defaultMessage: 'Filter' },
  none: { id: 'audit.empty', defaultMessage: 'No audit events' },
  noneHint: { id: 'audit.emptyHint', defaultMessage: 'Nothing matches these filters.' },
  time: { id: 'audit.column.time', defaultMessage: 'Time' },
  target: { id: 'audit.column.target', defaultMessage: 'Target' },
  details: { id: 'audit.column.details', defaultMessage: 'Details' },
  system: { id: 'audit.system', defaultMessage: 'system' },
  newer: { id: 'audit.newer', defaultMessage: 'Newer' },
  older: { id: 'audit.older', defaultMessage: 'Older' },
  playRecording: { id: 'audit.playRecording', defaultMessage: 'Play the recording' },
  chain: { id: 'audit.chain', defaultMessage: 'Audit chain' },
  chainIntact: { id: 'audit.chainIntact', defaultMessage: 'intact' },
  chainBroken: { id: 'audit.chainBroken', defaultMessage: 'broken' },
  openGlobal: { id: 'audit.openGlobal', defaultMessage: 'Open the global audit log' },
  title: { id: 'audit.title', defaultMessage: 'Audit log' },
  description: { id: 'audit.description', defaultMessage: 'Every change and every refused attempt in this tenant, newest first.' },
  noAccess: { id: 'audit.noAccess', defaultMessage: "Your role cannot read this tenant's audit log." },
});

export const globalAuditPage = defineMessages({
  title: { id: 'audit.global.title', defaultMessage: 'Global audit log' },
  description: { id: 'audit.global.description', defaultMessage: 'Every tenant and every global change; the chain is verified on load.' },
  noAccess: { id: 'audit.global.noAccess', defaultMessage: 'Only global administrators see the global audit log.' },
});

export const chainVerified = defineMessage<{ count: number }>({ id: 'audit.chainVerified', defaultMessage: '{count, plural, one {# event verified.} other {# events verified.}}' });
export const chainBrokenAt = defineMessage<{ seq: string; reason: string }>({ id: 'audit.chainBrokenAt', defaultMessage: 'at #{seq}: {reason}' });

/** The export link's name keeps its visible text ("CSV") whole, in every language. */
export const exportAs = defineMessage<{ format: string }>({ id: 'audit.exportAs', defaultMessage: 'Export {format}' });
export const hmacKey = defineMessage<{ keyId: string }>({ id: 'audit.hmacKey', defaultMessage: 'HMAC key {keyId}' });
export const verified = defineMessage<{ count: number }>({ id: 'audit.verified', defaultMessage: '{count, plural, one {# event verified} other {# events verified}}; none edited or missing.' });
export const firstProblem = defineMessage<{ seq: string; reason: string }>({ id: 'audit.firstProblem', defaultMessage: 'First problem at event #{seq}: {reason}' });
export const fields = defineMessage<{ count: number }>({ id: 'audit.fields', defaultMessage: '{count, plural, one {# field} other {# fields}}' });
export const pageNumber = defineMessage<{ page: number }>({ id: 'audit.page', defaultMessage: 'Page {page}' });

export const ACTION_MESSAGES: Record<AuditAction, MessageDescriptor> = defineMessages({
  'vm.power': { id: 'audit.action.vm.power', defaultMessage: 'Power action' },
  'vm.snapshot_created': { id: 'audit.action.vm.snapshot_created', defaultMessage: 'Took a snapshot' },
  'vm.snapshot_rolled_back': { id: 'audit.action.vm.snapshot_rolled_back', defaultMessage: 'Rolled back to a snapshot' },
  'vm.snapshot_deleted': { id: 'audit.action.vm.snapshot_deleted', defaultMessage: 'Deleted a snapshot' },
  'vm.bulk_action': { id: 'audit.action.vm.bulk_action', defaultMessage: 'Bulk power action' },
  'vm.backup_started': { id: 'audit.action.vm.backup_started', defaultMessage: 'Started a backup' },
  'console.opened': { id: 'audit.action.console.opened', defaultMessage: 'Opened a console' },
  'console.closed': { id: 'audit.action.console.closed', defaultMessage: 'Console ended' },
  'console.open_failed': { id: 'audit.action.console.open_failed', defaultMessage: 'Console failed to open' },
  'console.resumed': { id: 'audit.action.console.resumed', defaultMessage: 'Console resumed after a dropped connection' },
  'console.ticket_refused': { id: 'audit.action.console.ticket_refused', defaultMessage: 'Console refused' },
  'console.upgrade_refused': { id: 'audit.action.console.upgrade_refused', defaultMessage: 'Console connection refused' },
  'recording.failed': { id: 'audit.action.recording.failed', defaultMessage: 'Could not record a console' },
  'recording.deleted': { id: 'audit.action.recording.deleted', defaultMessage: 'Deleted a console recording' },
  'recording.expired': { id: 'audit.action.recording.expired', defaultMessage: 'Console recordings removed by retention' },
  'share.created': { id: 'audit.action.share.created', defaultMessage: 'Shared a console by link' },
  'share.used': { id: 'audit.action.share.used', defaultMessage: 'Opened a console through a share link' },
  'share.pin_failed': { id: 'audit.action.share.pin_failed', defaultMessage: 'Wrong PIN on a share link' },
  'share.locked': { id: 'audit.action.share.locked', defaultMessage: 'Share link locked (too many wrong PINs)' },
  'share.revoked': { id: 'audit.action.share.revoked', defaultMessage: 'Revoked a share link' },
  'server.created': { id: 'audit.action.server.created', defaultMessage: 'Added a server' },
  'server.updated': { id: 'audit.action.server.updated', defaultMessage: 'Changed a server' },
  'server.deleted': { id: 'audit.action.server.deleted', defaultMessage: 'Removed a server' },
  'server.imported': { id: 'audit.action.server.imported', defaultMessage: 'Imported servers' },
  'server.endpoint_changed': { id: 'audit.action.server.endpoint_changed', defaultMessage: 'Moved a server to a new address' },
  'server.token_replaced': { id: 'audit.action.server.token_replaced', defaultMessage: 'Replaced a server’s API token' },
  'server.tls_mode_changed': { id: 'audit.action.server.tls_mode_changed', defaultMessage: 'Changed TLS verification' },
  'server.tls_repinned': { id: 'audit.action.server.tls_repinned', defaultMessage: 'Trusted a new certificate' },
  'server.tls_trust_changed': { id: 'audit.action.server.tls_trust_changed', defaultMessage: 'Changed certificate trust' },
  'server.tls_mismatch': { id: 'audit.action.server.tls_mismatch', defaultMessage: 'Certificate did not match its pin' },
  'server.insecure_refused': { id: 'audit.action.server.insecure_refused', defaultMessage: 'Refused turning TLS verification off' },
  'server.target_refused': { id: 'audit.action.server.target_refused', defaultMessage: 'Address refused by the egress policy' },
  'server.update_refused': { id: 'audit.action.server.update_refused', defaultMessage: 'Server change refused' },
  'member.added': { id: 'audit.action.member.added', defaultMessage: 'Added a member' },
  'member.invited': { id: 'audit.action.member.invited', defaultMessage: 'Invited someone' },
  'member.role_changed': { id: 'audit.action.member.role_changed', defaultMessage: 'Changed a member’s role' },
  'member.assignments_changed': { id: 'audit.action.member.assignments_changed', defaultMessage: 'Changed a member’s guest access' },
  'member.removed': { id: 'audit.action.member.removed', defaultMessage: 'Removed a member' },
  'member.sso_synced': { id: 'audit.action.member.sso_synced', defaultMessage: 'Membership set by single sign-on' },
  'invitation.revoked': { id: 'audit.action.invitation.revoked', defaultMessage: 'Revoked an invitation' },
  'tenant.created': { id: 'audit.action.tenant.created', defaultMessage: 'Created a tenant' },
  'tenant.settings_updated': { id: 'audit.action.tenant.settings_updated', defaultMessage: 'Changed tenant settings' },
  'tenant.deleted': { id: 'audit.action.tenant.deleted', defaultMessage: 'Deleted a tenant' },
  'auth.login': { id: 'audit.action.auth.login', defaultMessage: 'Signed in' },
  'auth.logout': { id: 'audit.action.auth.logout', defaultMessage: 'Signed out' },
  'auth.sessions_revoked': { id: 'audit.action.auth.sessions_revoked', defaultMessage: 'Signed out other sessions' },
  'auth.sso_login': { id: 'audit.action.auth.sso_login', defaultMessage: 'Signed in with single sign-on' },
  'auth.sso_linked': { id: 'audit.action.auth.sso_linked', defaultMessage: 'Linked an account to single sign-on' },
  'auth.sso_user_created': { id: 'audit.action.auth.sso_user_created', defaultMessage: 'Account created by single sign-on' },
  'auth.login_rate_limited': { id: 'audit.action.auth.login_rate_limited', defaultMessage: 'Sign-in blocked (too many attempts)' },
  'auth.signup': { id: 'audit.action.auth.signup', defaultMessage: 'Signed up' },
  'authz.denied': { id: 'audit.action.authz.denied', defaultMessage: 'Access denied' },
  'user.bootstrap': { id: 'audit.action.user.bootstrap', defaultMessage: 'Created the first admin' },
  'user.created': { id: 'audit.action.user.created', defaultMessage: 'Created a user' },
  'user.invitation_accepted': { id: 'audit.action.user.invitation_accepted', defaultMessage: 'Joined through an invitation' },
  'user.updated': { id: 'audit.action.user.updated', defaultMessage: 'Changed a user' },
  'user.role_changed': { id: 'audit.action.user.role_changed', defaultMessage: 'Changed a user’s global role' },
  'user.disabled': { id: 'audit.action.user.disabled', defaultMessage: 'Disabled a user' },
  'user.enabled': { id: 'audit.action.user.enabled', defaultMessage: 'Enabled a user' },
  'user.profile_updated': { id: 'audit.action.user.profile_updated', defaultMessage: 'Changed their profile' },
  'user.password_changed': { id: 'audit.action.user.password_changed', defaultMessage: 'Changed their password' },
  'user.deleted': { id: 'audit.action.user.deleted', defaultMessage: 'Deleted a user' },
  'mfa.totp_enabled': { id: 'audit.action.mfa.totp_enabled', defaultMessage: 'Set up an authenticator app' },
  'mfa.totp_disabled': { id: 'audit.action.mfa.totp_disabled', defaultMessage: 'Removed their authenticator app' },
  'mfa.recovery_codes_renewed': { id: 'audit.action.mfa.recovery_codes_renewed', defaultMessage: 'Made new recovery codes' },
  'mfa.reset': { id: 'audit.action.mfa.reset', defaultMessage: 'Reset a user’s second factors' },
  'mfa.passkey_added': { id: 'audit.action.mfa.passkey_added', defaultMessage: 'Added a passkey' },
  'mfa.passkey_removed': { id: 'audit.action.mfa.passkey_removed', defaultMessage: 'Removed a passkey' },
  'auth.passkey_login': { id: 'audit.action.auth.passkey_login', defaultMessage: 'Signed in with a passkey' },
  'auth.mfa': { id: 'audit.action.auth.mfa', defaultMessage: 'Second factor at sign-in' },
  'idp.created': { id: 'audit.action.idp.created', defaultMessage: 'Added a sign-in provider' },
  'idp.updated': { id: 'audit.action.idp.updated', defaultMessage: 'Changed a sign-in provider' },
  'idp.deleted': { id: 'audit.action.idp.deleted', defaultMessage: 'Removed a sign-in provider' },
  'token.created': { id: 'audit.action.token.created', defaultMessage: 'Created an API token' },
  'token.revoked': { id: 'audit.action.token.revoked', defaultMessage: 'Revoked an API token' },
  'explorer.write': { id: 'audit.action.explorer.write', defaultMessage: 'Wrote through the API explorer' },
  'explorer.refused': { id: 'audit.action.explorer.refused', defaultMessage: 'API explorer request refused' },
  'audit.chain_keyed': { id: 'audit.action.audit.chain_keyed', defaultMessage: 'Keyed the audit chain' },
  'audit.forwarding_changed': { id: 'audit.action.audit.forwarding_changed', defaultMessage: 'Changed audit forwarding' },
  'channel.created': { id: 'audit.action.channel.created', defaultMessage: 'Added an alert channel' },
  'channel.updated': { id: 'audit.action.channel.updated', defaultMessage: 'Changed an alert channel' },
  'channel.deleted': { id: 'audit.action.channel.deleted', defaultMessage: 'Removed an alert channel' },
  'channel.tested': { id: 'audit.action.channel.tested', defaultMessage: 'Tested an alert channel' },
  'alerts.server_muted': { id: 'audit.action.alerts.server_muted', defaultMessage: 'Muted a server’s alerts' },
  'alerts.server_unmuted': { id: 'audit.action.alerts.server_unmuted', defaultMessage: 'Unmuted a server’s alerts' },
});

export const GROUP_MESSAGES: Record<keyof typeof AUDIT_ACTIONS, MessageDescriptor> = defineMessages({
  vm: { id: 'audit.group.vm', defaultMessage: 'Guests' },
  console: { id: 'audit.group.console', defaultMessage: 'Consoles' },
  recording: { id: 'audit.group.recording', defaultMessage: 'Recordings' },
  share: { id: 'audit.group.share', defaultMessage: 'Share links' },
  server: { id: 'audit.group.server', defaultMessage: 'Servers' },
  member: { id: 'audit.group.member', defaultMessage: 'Members' },
  tenant: { id: 'audit.group.tenant', defaultMessage: 'Tenants' },
  auth: { id: 'audit.group.auth', defaultMessage: 'Sign-in' },
  user: { id: 'audit.group.user', defaultMessage: 'Users' },
  token: { id: 'audit.group.token', defaultMessage: 'API tokens' },
  idp: { id: 'audit.group.idp', defaultMessage: 'Sign-in providers' },
  mfa: { id: 'audit.group.mfa', defaultMessage: 'Second factors' },
  explorer: { id: 'audit.group.explorer', defaultMessage: 'API explorer' },
  alerts: { id: 'audit.group.alerts', defaultMessage: 'Alerts' },
  audit: { id: 'audit.group.audit', defaultMessage: 'Audit log' },
});

export const auditWords = defineMessages({
  anyAction: { id: 'audit.anyAction', defaultMessage: 'Any action' },
  power: { id: 'audit.power', defaultMessage: 'Power action' },
  guest: { id: 'audit.target.guest', defaultMessage: 'guest {vmid}' },
  guestNamed: { id: 'audit.target.guestNamed', defaultMessage: '{name} ({vmid})' },
  onServer: { id: 'audit.target.onServer', defaultMessage: '{guest} on {server}' },
  server: { id: 'audit.target.server', defaultMessage: 'server {name}' },
  tenant: { id: 'audit.target.tenant', defaultMessage: 'tenant {name}' },
});

export const groupAll = defineMessage<{ group: string }>({ id: 'audit.groupAll', defaultMessage: '{group}: all' });

export const groupAction = defineMessage<{ group: string; action: string }>({ id: 'audit.groupAction', defaultMessage: '{group}: {action}' });

export const powerOther = defineMessage<{ verb: string }>({ id: 'audit.powerOther', defaultMessage: 'Power action "{verb}"' });

export const POWER_VERBS: Record<string, MessageDescriptor> = defineMessages({
  start: { id: 'audit.power.start', defaultMessage: 'Started' },
  stop: { id: 'audit.power.stop', defaultMessage: 'Stopped' },
  shutdown: { id: 'audit.power.shutdown', defaultMessage: 'Shut down' },
  reboot: { id: 'audit.power.reboot', defaultMessage: 'Rebooted' },
  reset: { id: 'audit.power.reset', defaultMessage: 'Reset' },
  suspend: { id: 'audit.power.suspend', defaultMessage: 'Suspended' },
  resume: { id: 'audit.power.resume', defaultMessage: 'Resumed' },
});
