import { z } from 'zod';
import { model, QueryInt } from './shared';

export const AuditEvent = model('AuditEvent', {
  id: z.string(),
  seq: z.number(),
  tenantId: z.string().nullable(),
  actorUserId: z.string().nullable(),
  actor: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: z.enum(['success', 'failure', 'denied']),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});

export const AuditQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  actor: z.string().max(254).optional(),
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_.]+$/, 'resource.verb, or a prefix ending in "."')
    .optional(),
  result: z.enum(['success', 'failure', 'denied']).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: QueryInt(1, 500, 50),
});

export const AuditPage = z.object({ events: z.array(AuditEvent), nextCursor: z.string().nullable() });
export const AuditVerify = z.object({
  ok: z.boolean(),
  checked: z.number(),
  brokenAt: z.object({ seq: z.number(), id: z.string().nullable(), reason: z.string() }).optional(),
  /** Which key each stretch of the chain uses: none (legacy SHA-256, before keying) or an HMAC key id. */
  segments: z.array(
    z.object({
      fromSeq: z.number(),
      toSeq: z.number(),
      algorithm: z.enum(['sha256', 'hmac-sha256']),
      keyId: z.string().nullable(),
    }),
  ),
  /** The verified last row (null unless ok): record it elsewhere to anchor the chain. */
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
});

/**
 * Every action the server writes to the audit log (a test reads the server's source to keep this
 * complete), grouped by what it is about; the SPA names each in words and offers them as filters.
 */
export const AUDIT_ACTIONS = {
  vm: [
    'vm.power',
    'vm.snapshot_created',
    'vm.snapshot_rolled_back',
    'vm.snapshot_deleted',
    'vm.backup_started',
    'vm.bulk_action',
  ],
  console: [
    'console.opened',
    'console.closed',
    'console.open_failed',
    'console.resumed',
    'console.ticket_refused',
    'console.upgrade_refused',
  ],
  recording: ['recording.failed', 'recording.deleted', 'recording.expired'],
  share: ['share.created', 'share.used', 'share.pin_failed', 'share.locked', 'share.revoked'],
  server: [
    'server.created',
    'server.updated',
    'server.deleted',
    'server.imported',
    'server.endpoint_changed',
    'server.token_replaced',
    'server.tls_mode_changed',
    'server.tls_repinned',
    'server.tls_trust_changed',
    'server.tls_mismatch',
    'server.insecure_refused',
    'server.target_refused',
    'server.update_refused',
  ],
  member: [
    'member.added',
    'member.invited',
    'member.role_changed',
    'member.assignments_changed',
    'member.removed',
    'member.sso_synced',
    'invitation.revoked',
  ],
  tenant: ['tenant.created', 'tenant.settings_updated', 'tenant.deleted'],
  auth: [
    'auth.login',
    'auth.sso_login',
    'auth.sso_linked',
    'auth.sso_user_created',
    'auth.logout',
    'auth.sessions_revoked',
    'auth.login_rate_limited',
    'auth.signup',
    'authz.denied',
  ],
  user: [
    'user.bootstrap',
    'user.created',
    'user.invitation_accepted',
    'user.updated',
    'user.role_changed',
    'user.disabled',
    'user.enabled',
    'user.profile_updated',
    'user.password_changed',
    'user.deleted',
  ],
  token: ['token.created', 'token.revoked'],
  idp: ['idp.created', 'idp.updated', 'idp.deleted'],
  mfa: [
    'mfa.totp_enabled',
    'mfa.totp_disabled',
    'mfa.recovery_codes_renewed',
    'mfa.passkey_added',
    'mfa.passkey_removed',
    'mfa.reset',
    'auth.mfa',
    'auth.passkey_login',
  ],
  explorer: ['explorer.write', 'explorer.refused'],
  alerts: [
    'channel.created',
    'channel.updated',
    'channel.deleted',
    'channel.tested',
    'alerts.server_muted',
    'alerts.server_unmuted',
  ],
  audit: ['audit.chain_keyed', 'audit.forwarding_changed'],
} as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS][number];
