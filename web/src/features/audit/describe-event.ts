// An audit event in words: what happened (the verb, with a power action's own verb) to what (the
// names recorded when it happened: guest, server, member, tenant), and the action catalogue as
// the filter's choices. Ids stay in the expandable details.
import { AUDIT_ACTIONS, type AuditAction } from '@common/schemas/audit';
import type { AuditEntry } from './api/get-audit';

export const ACTION_LABELS: Record<AuditAction, string> = {
  'vm.power': 'Power action',
  'vm.snapshot_created': 'Took a snapshot',
  'vm.snapshot_rolled_back': 'Rolled back to a snapshot',
  'vm.snapshot_deleted': 'Deleted a snapshot',
  'vm.bulk_action': 'Bulk power action',
  'vm.backup_started': 'Started a backup',
  'console.opened': 'Opened a console',
  'console.closed': 'Console ended',
  'console.open_failed': 'Console failed to open',
  'console.resumed': 'Console resumed after a dropped connection',
  'console.ticket_refused': 'Console refused',
  'console.upgrade_refused': 'Console connection refused',
  'share.created': 'Shared a console by link',
  'share.used': 'Opened a console through a share link',
  'share.pin_failed': 'Wrong PIN on a share link',
  'share.locked': 'Share link locked (too many wrong PINs)',
  'share.revoked': 'Revoked a share link',
  'server.created': 'Added a server',
  'server.updated': 'Changed a server',
  'server.deleted': 'Removed a server',
  'server.imported': 'Imported servers',
  'server.endpoint_changed': 'Moved a server to a new address',
  'server.token_replaced': 'Replaced a server’s API token',
  'server.tls_mode_changed': 'Changed TLS verification',
  'server.tls_repinned': 'Trusted a new certificate',
  'server.tls_trust_changed': 'Changed certificate trust',
  'server.tls_mismatch': 'Certificate did not match its pin',
  'server.insecure_refused': 'Refused turning TLS verification off',
  'server.target_refused': 'Address refused by the egress policy',
  'server.update_refused': 'Server change refused',
  'member.added': 'Added a member',
  'member.invited': 'Invited someone',
  'member.role_changed': 'Changed a member’s role',
  'member.assignments_changed': 'Changed a member’s guest access',
  'member.removed': 'Removed a member',
  'member.sso_synced': 'Membership set by single sign-on',
  'invitation.revoked': 'Revoked an invitation',
  'tenant.created': 'Created a tenant',
  'tenant.settings_updated': 'Changed tenant settings',
  'tenant.deleted': 'Deleted a tenant',
  'auth.login': 'Signed in',
  'auth.logout': 'Signed out',
  'auth.sessions_revoked': 'Signed out other sessions',
  'auth.sso_login': 'Signed in with single sign-on',
  'auth.sso_linked': 'Linked an account to single sign-on',
  'auth.sso_user_created': 'Account created by single sign-on',
  'auth.login_rate_limited': 'Sign-in blocked (too many attempts)',
  'auth.signup': 'Signed up',
  'authz.denied': 'Access denied',
  'user.bootstrap': 'Created the first admin',
  'user.created': 'Created a user',
  'user.invitation_accepted': 'Joined through an invitation',
  'user.updated': 'Changed a user',
  'user.role_changed': 'Changed a user’s global role',
  'user.disabled': 'Disabled a user',
  'user.enabled': 'Enabled a user',
  'user.profile_updated': 'Changed their profile',
  'user.password_changed': 'Changed their password',
  'user.deleted': 'Deleted a user',
  'mfa.totp_enabled': 'Set up an authenticator app',
  'mfa.totp_disabled': 'Removed their authenticator app',
  'mfa.recovery_codes_renewed': 'Made new recovery codes',
  'mfa.reset': 'Reset a user’s second factors',
  'mfa.passkey_added': 'Added a passkey',
  'mfa.passkey_removed': 'Removed a passkey',
  'auth.passkey_login': 'Signed in with a passkey',
  'auth.mfa': 'Second factor at sign-in',
  'idp.created': 'Added a sign-in provider',
  'idp.updated': 'Changed a sign-in provider',
  'idp.deleted': 'Removed a sign-in provider',
  'token.created': 'Created an API token',
  'token.revoked': 'Revoked an API token',
  'explorer.write': 'Wrote through the API explorer',
  'explorer.refused': 'API explorer request refused',
  'audit.chain_keyed': 'Keyed the audit chain',
  'audit.forwarding_changed': 'Changed audit forwarding',
  'channel.created': 'Added an alert channel',
  'channel.updated': 'Changed an alert channel',
  'channel.deleted': 'Removed an alert channel',
  'channel.tested': 'Tested an alert channel',
  'alerts.server_muted': 'Muted a server’s alerts',
  'alerts.server_unmuted': 'Unmuted a server’s alerts',
};

const GROUP_LABELS: Record<keyof typeof AUDIT_ACTIONS, string> = {
  vm: 'Guests',
  console: 'Consoles',
  share: 'Share links',
  server: 'Servers',
  member: 'Members',
  tenant: 'Tenants',
  auth: 'Sign-in',
  user: 'Users',
  token: 'API tokens',
  idp: 'Sign-in providers',
  mfa: 'Second factors',
  explorer: 'API explorer',
  alerts: 'Alerts',
  audit: 'Audit log',
};

/** The action filter's choices: any, a whole group (a prefix), or one action. */
export const ACTION_CHOICES: { value: string; label: string }[] = [
  { value: '', label: 'Any action' },
  ...Object.entries(AUDIT_ACTIONS).flatMap(([group, actions]) => [
    ...(actions.length > 1
      ? [{ value: `${group}.`, label: `${GROUP_LABELS[group as keyof typeof AUDIT_ACTIONS]}: all` }]
      : []),
    ...actions.map((a) => ({
      value: a,
      label: `${GROUP_LABELS[group as keyof typeof AUDIT_ACTIONS]}: ${ACTION_LABELS[a]}`,
    })),
  ]),
];

const POWER_VERBS: Record<string, string> = {
  start: 'Started',
  stop: 'Stopped',
  shutdown: 'Shut down',
  reboot: 'Rebooted',
  reset: 'Reset',
  suspend: 'Suspended',
  resume: 'Resumed',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What happened, as a short sentence's verb part. */
export function actionText(e: Pick<AuditEntry, 'action' | 'details'>): string {
  if (e.action === 'vm.power') {
    const verb = str(e.details?.action);
    return verb ? (POWER_VERBS[verb] ?? `Power action "${verb}"`) : 'Power action';
  }
  return ACTION_LABELS[e.action as AuditAction] ?? e.action;
}

/** What it happened to, by the names recorded then (ids only where no name was recorded). */
export function targetText(e: Pick<AuditEntry, 'targetType' | 'targetId' | 'details'>): string {
  const d = e.details ?? {};
  const vmid = typeof d.vmid === 'number' ? d.vmid : null;
  const server = str(d.serverName);
  if (vmid !== null) {
    const guest = str(d.guestName);
    const name = guest ? `${guest} (${vmid})` : `guest ${vmid}`;
    return server ? `${name} on ${server}` : name;
  }
  const name = str(d.name) ?? server ?? str(d.email) ?? str(d.tenantName);
  if (name) return e.targetType === 'server' || e.targetType === 'tenant' ? `${e.targetType} ${name}` : name;
  if (!e.targetType) return '–';
  return `${e.targetType} ${e.targetId?.slice(0, 8) ?? ''}`.trim();
}
