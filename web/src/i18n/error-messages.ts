// A message for every API error code (issue 24). The API answers in English with a stable code
// (common/errors.ts); the SPA shows the code's message in the reader's language. In English the
// server's own message stays (it is often more precise: which node, which limit); in every other
// language the code's message does, and a code this table does not know keeps the server's words.
import type { ErrorCode } from '@common/errors';
import { defineMessage, defineMessages, type IntlShape, type MessageDescriptor } from 'react-intl';
import { ApiError, setErrorDescriber } from '@/lib/api-client';
import { currentIntl, currentLocale } from './current-intl';

export const errorMessages: Record<ErrorCode, MessageDescriptor> = defineMessages({
  'http.validation_failed': { id: 'error.http.validation_failed', defaultMessage: 'The request is not valid.' },
  'http.bad_request': { id: 'error.http.bad_request', defaultMessage: 'The request is not valid.' },
  'http.not_found': { id: 'error.http.not_found', defaultMessage: 'Not found.' },
  'http.method_not_allowed': { id: 'error.http.method_not_allowed', defaultMessage: 'This action is not possible here.' },
  'http.request_timeout': { id: 'error.http.request_timeout', defaultMessage: 'The request took too long. Try again.' },
  'http.payload_too_large': { id: 'error.http.payload_too_large', defaultMessage: 'That is too large to send.' },
  'http.uri_too_long': { id: 'error.http.uri_too_long', defaultMessage: 'The address is too long.' },
  'http.unsupported_media_type': { id: 'error.http.unsupported_media_type', defaultMessage: 'Nexus cannot read this kind of content.' },
  'http.internal': { id: 'error.http.internal', defaultMessage: 'Something went wrong in Nexus. Try again; if it persists, tell your administrator.' },
  'http.unavailable': { id: 'error.http.unavailable', defaultMessage: 'Nexus is briefly unavailable. Try again in a moment.' },
  'auth.unauthenticated': { id: 'error.auth.unauthenticated', defaultMessage: 'Sign in to continue.' },
  'auth.invalid_credentials': { id: 'error.auth.invalid_credentials', defaultMessage: 'Wrong e-mail or password.' },
  'auth.rate_limited': { id: 'error.auth.rate_limited', defaultMessage: 'Too many attempts. Wait a minute and try again.' },
  'auth.csrf_failed': { id: 'error.auth.csrf_failed', defaultMessage: 'Your session’s security check failed. Reload the page and try again.' },
  'auth.token_scope': { id: 'error.auth.token_scope', defaultMessage: 'This API token may not do that.' },
  'auth.origin_refused': { id: 'error.auth.origin_refused', defaultMessage: 'This request came from a page Nexus does not trust.' },
  'auth.signup_closed': { id: 'error.auth.signup_closed', defaultMessage: 'Sign-up is closed on this server.' },
  'auth.setup_invalid': { id: 'error.auth.setup_invalid', defaultMessage: 'This Nexus is already set up.' },
  'auth.weak_password': { id: 'error.auth.weak_password', defaultMessage: 'This password is too weak. Choose a longer one that is not widely used.' },
  'policy.forbidden': { id: 'error.policy.forbidden', defaultMessage: 'Your role does not allow this.' },
  'tenant.not_found': { id: 'error.tenant.not_found', defaultMessage: 'This tenant does not exist, or you are not a member of it.' },
  'tenant.inactive': { id: 'error.tenant.inactive', defaultMessage: 'This tenant is deactivated.' },
  'tenant.slug_taken': { id: 'error.tenant.slug_taken', defaultMessage: 'This slug is already taken.' },
  'tenant.limit_reached': { id: 'error.tenant.limit_reached', defaultMessage: 'No more tenants can be created on this Nexus.' },
  'settings.quota_forbidden': { id: 'error.settings.quota_forbidden', defaultMessage: 'Only global admins can change these limits.' },
  'user.not_found': { id: 'error.user.not_found', defaultMessage: 'User not found.' },
  'user.email_taken': { id: 'error.user.email_taken', defaultMessage: 'A user with this e-mail already exists.' },
  'user.disabled': { id: 'error.user.disabled', defaultMessage: 'This account is disabled.' },
  'member.not_found': { id: 'error.member.not_found', defaultMessage: 'Member not found.' },
  'member.exists': { id: 'error.member.exists', defaultMessage: 'This user is already a member.' },
  'member.last_admin': { id: 'error.member.last_admin', defaultMessage: 'A tenant needs at least one admin.' },
  'member.restricted': { id: 'error.member.restricted', defaultMessage: 'This member is restricted to some guests: lift the restriction first.' },
  'user.last_admin': { id: 'error.user.last_admin', defaultMessage: 'The last global admin cannot be removed, demoted or disabled.' },
  'token.not_found': { id: 'error.token.not_found', defaultMessage: 'Token not found.' },
  'invitation.invalid': { id: 'error.invitation.invalid', defaultMessage: 'This invitation is invalid, expired or already used.' },
  'invitation.not_found': { id: 'error.invitation.not_found', defaultMessage: 'Invitation not found (already used, expired or revoked).' },
  'invitation.wrong_account': { id: 'error.invitation.wrong_account', defaultMessage: 'This invitation is for another e-mail address.' },
  'server.not_found': { id: 'error.server.not_found', defaultMessage: 'Server not found.' },
  'server.duplicate': { id: 'error.server.duplicate', defaultMessage: 'A server with this host and port already exists in this tenant.' },
  'server.limit_reached': { id: 'error.server.limit_reached', defaultMessage: 'This tenant has as many servers as it may have.' },
  'server.inactive': { id: 'error.server.inactive', defaultMessage: 'This server is deactivated.' },
  'server.credentials_unreadable': { id: 'error.server.credentials_unreadable', defaultMessage: 'This server’s stored API token cannot be read. Enter it again.' },
  'server.import_invalid': { id: 'error.server.import_invalid', defaultMessage: 'The file could not be imported: check its rows.' },
  'server.token_required': { id: 'error.server.token_required', defaultMessage: 'Enter the API token again: the address changed.' },
  'server.insecure_forbidden': { id: 'error.server.insecure_forbidden', defaultMessage: 'Only global admins may turn off TLS verification.' },
  'server.target_refused': { id: 'error.server.target_refused', defaultMessage: 'This address is not allowed by the operator’s egress policy.' },
  'server.rate_limited': { id: 'error.server.rate_limited', defaultMessage: 'Too many checks in a short time. Try again shortly.' },
  'proxmox.auth_failed': { id: 'error.proxmox.auth_failed', defaultMessage: 'Proxmox refused the API token.' },
  'proxmox.permission_denied': { id: 'error.proxmox.permission_denied', defaultMessage: 'The API token lacks a Proxmox permission for this.' },
  'proxmox.node_offline': { id: 'error.proxmox.node_offline', defaultMessage: 'The Proxmox node is offline.' },
  'proxmox.tls_mismatch': { id: 'error.proxmox.tls_mismatch', defaultMessage: 'The server presented a different TLS certificate than the one pinned.' },
  'proxmox.tls_error': { id: 'error.proxmox.tls_error', defaultMessage: 'The TLS connection to Proxmox failed.' },
  'proxmox.timeout': { id: 'error.proxmox.timeout', defaultMessage: 'Proxmox did not answer in time.' },
  'proxmox.unreachable': { id: 'error.proxmox.unreachable', defaultMessage: 'Proxmox is unreachable.' },
  'proxmox.bad_response': { id: 'error.proxmox.bad_response', defaultMessage: 'Proxmox gave an answer Nexus did not understand.' },
  'proxmox.error': { id: 'error.proxmox.error', defaultMessage: 'Proxmox reported an error.' },
  'vm.not_found': { id: 'error.vm.not_found', defaultMessage: 'Guest not found.' },
  'vm.action_not_applicable': { id: 'error.vm.action_not_applicable', defaultMessage: 'Proxmox refused this action for the guest in its current state.' },
  'vm.not_running': { id: 'error.vm.not_running', defaultMessage: 'The guest is not running.' },
  'vm.snapshot_refused': { id: 'error.vm.snapshot_refused', defaultMessage: 'Proxmox refused the snapshot.' },
  'vm.snapshot_not_found': { id: 'error.vm.snapshot_not_found', defaultMessage: 'This guest has no such snapshot.' },
  'vm.backup_refused': { id: 'error.vm.backup_refused', defaultMessage: 'Proxmox refused the backup.' },
  'server.check_failed': { id: 'error.server.check_failed', defaultMessage: 'The server did not pass the check.' },
  'task.not_found': { id: 'error.task.not_found', defaultMessage: 'Task not found.' },
  'console.disabled': { id: 'error.console.disabled', defaultMessage: 'Your role cannot open consoles in this tenant.' },
  'console.terminal_unavailable': { id: 'error.console.terminal_unavailable', defaultMessage: 'This guest has no text console.' },
  'console.node_shell_disabled': { id: 'error.console.node_shell_disabled', defaultMessage: 'Node shells are off for this tenant.' },
  'console.limit_reached': { id: 'error.console.limit_reached', defaultMessage: 'Too many consoles are open. Close one and try again.' },
  'console.too_many_tickets': { id: 'error.console.too_many_tickets', defaultMessage: 'Too many consoles are being opened. Try again shortly.' },
  'console.rate_limited': { id: 'error.console.rate_limited', defaultMessage: 'Too many consoles opened in the last minute. Try again shortly.' },
  'console.ticket_invalid': { id: 'error.console.ticket_invalid', defaultMessage: 'This console link has expired. Open the console again.' },
  'console.upgrade_required': { id: 'error.console.upgrade_required', defaultMessage: 'Open this address as a WebSocket.' },
  'session.not_found': { id: 'error.session.not_found', defaultMessage: 'No such session.' },
  'idp.not_found': { id: 'error.idp.not_found', defaultMessage: 'No such sign-in provider.' },
  'idp.exists': { id: 'error.idp.exists', defaultMessage: 'A sign-in provider with this id exists.' },
  'idp.read_only': { id: 'error.idp.read_only', defaultMessage: 'This sign-in provider comes from the server’s environment and cannot be changed here.' },
  'passkey.challenge_expired': { id: 'error.passkey.challenge_expired', defaultMessage: 'That took too long. Try again.' },
  'passkey.refused': { id: 'error.passkey.refused', defaultMessage: 'The passkey could not be verified.' },
  'passkey.not_found': { id: 'error.passkey.not_found', defaultMessage: 'No such passkey.' },
  'auth.passkey_invalid': { id: 'error.auth.passkey_invalid', defaultMessage: 'This passkey does not sign in here.' },
  'sso.unknown_provider': { id: 'error.sso.unknown_provider', defaultMessage: 'That sign-in provider is not configured here.' },
  'sso.failed': { id: 'error.sso.failed', defaultMessage: 'Single sign-on did not work. Try again.' },
  'sso.state_invalid': { id: 'error.sso.state_invalid', defaultMessage: 'The sign-in took too long or was started in another browser. Try again.' },
  'sso.account_disabled': { id: 'error.sso.account_disabled', defaultMessage: 'This account is disabled.' },
  'sso.email_missing': { id: 'error.sso.email_missing', defaultMessage: 'Your sign-in provider did not tell Nexus your e-mail address.' },
  'sso.link_refused': { id: 'error.sso.link_refused', defaultMessage: 'An account with your e-mail already exists here; ask an administrator.' },
  'auth.password_login_disabled': { id: 'error.auth.password_login_disabled', defaultMessage: 'Passwords are for administrators here: sign in with your provider.' },
  'mfa.already_enrolled': { id: 'error.mfa.already_enrolled', defaultMessage: 'An authenticator app is already set up; remove it first.' },
  'mfa.not_pending': { id: 'error.mfa.not_pending', defaultMessage: 'Start setting up an authenticator app first.' },
  'mfa.code_invalid': { id: 'error.mfa.code_invalid', defaultMessage: 'That code is not right (check the time on your phone).' },
  'mfa.required': { id: 'error.mfa.required', defaultMessage: 'A second factor is required here.' },
  'auth.mfa_invalid': { id: 'error.auth.mfa_invalid', defaultMessage: 'That code is not right.' },
  'auth.mfa_challenge_expired': { id: 'error.auth.mfa_challenge_expired', defaultMessage: 'Sign in again: the second step timed out.' },
  'auth.mfa_required': { id: 'error.auth.mfa_required', defaultMessage: 'Confirm with your second factor.' },
  'auth.mfa_enrolment_required': { id: 'error.auth.mfa_enrolment_required', defaultMessage: 'Set up a second factor first (on your security page).' },
  'settings.mfa_first': { id: 'error.settings.mfa_first', defaultMessage: 'Set up your own second factor before requiring one from members.' },
  'share.not_found': { id: 'error.share.not_found', defaultMessage: 'This share link is invalid or has expired.' },
  'recording.not_found': { id: 'error.recording.not_found', defaultMessage: 'Recording not found.' },
  'recording.unreadable': { id: 'error.recording.unreadable', defaultMessage: 'This recording cannot be read.' },
  'recording.in_progress': { id: 'error.recording.in_progress', defaultMessage: 'This console is still being recorded.' },
  'share.disabled': { id: 'error.share.disabled', defaultMessage: 'Console sharing is off in this tenant.' },
  'share.mode_not_allowed': { id: 'error.share.mode_not_allowed', defaultMessage: 'This tenant allows view-only links.' },
  'share.pin_required': { id: 'error.share.pin_required', defaultMessage: 'This share link needs its PIN.' },
  'share.pin_invalid': { id: 'error.share.pin_invalid', defaultMessage: 'Wrong PIN ({attemptsLeft, plural, one {# attempt} other {# attempts}} left)' },
  'share.locked': { id: 'error.share.locked', defaultMessage: 'This share link is locked after too many wrong PINs.' },
  'realtime.too_many_streams': { id: 'error.realtime.too_many_streams', defaultMessage: 'Too many live pages are open. Close some tabs.' },
  'explorer.path_refused': { id: 'error.explorer.path_refused', defaultMessage: 'This path is not allowed.' },
  'explorer.endpoint_denied': { id: 'error.explorer.endpoint_denied', defaultMessage: 'This endpoint is not open to the API explorer.' },
  'explorer.not_allowed': { id: 'error.explorer.not_allowed', defaultMessage: 'Your role cannot use the API explorer here.' },
  'explorer.server_unverified': { id: 'error.explorer.server_unverified', defaultMessage: 'This server has not proven to be Proxmox yet.' },
  'audit.not_found': { id: 'error.audit.not_found', defaultMessage: 'Audit event not found.' },
  'channel.not_found': { id: 'error.channel.not_found', defaultMessage: 'No such alert channel.' },
  'channel.secret_required': { id: 'error.channel.secret_required', defaultMessage: 'This channel needs its secret.' },
  'alerts.smtp_unconfigured': { id: 'error.alerts.smtp_unconfigured', defaultMessage: 'E-mail is not set up on this Nexus (SMTP).' },
});

const unreachable = defineMessage({ id: 'error.network.unreachable', defaultMessage: 'Nexus is unreachable. Check your connection.' });
const unexpected = defineMessage<{ status: number }>({ id: 'error.http.unexpected', defaultMessage: 'Request failed ({status})' });
const unknown = defineMessage({ id: 'error.unknown', defaultMessage: 'Something went wrong' });

/** The codes whose message has values, and their names (from the error's details). */
const VALUES: Partial<Record<ErrorCode, string[]>> = { 'share.pin_invalid': ['attemptsLeft'] };

function valuesOf(details: unknown): Record<string, string | number> {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return {};
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(details)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorMessages, code);

/** What the reader is told about an error, in `intl`'s language (`serverWords`: English, where the
 * API's own message is shown as it is). */
export function describeError(e: unknown, intl: IntlShape, serverWords: boolean): string {
  if (e instanceof ApiError) {
    if (e.code === 'network.unreachable') return intl.formatMessage(unreachable);
    if (e.code === 'http.unexpected') return intl.formatMessage(unexpected, { status: e.status });
    if (serverWords || !isErrorCode(e.code)) return e.message;
    // An error's details are its message's values; without them, the server's words rather than a
    // sentence with a hole.
    const values = valuesOf(e.details);
    if (!(VALUES[e.code] ?? []).every((name) => name in values)) return e.message;
    return intl.formatMessage(errorMessages[e.code], values);
  }
  if (e instanceof Error && e.message) return e.message;
  return intl.formatMessage(unknown);
}

/** Makes `errorMessage()` (toasts, alerts, anywhere outside React) speak the current language
 * (current-intl.ts); English keeps the API's own words. */
export function installErrorLanguage(): void {
  setErrorDescriber((e) => describeError(e, currentIntl(), currentLocale() === 'en'));
}
