// Stable error codes of the API envelope `{error: {code, message, details?}, requestId}`.
// Clients switch on `code`; the message is for humans and may change.
import { z } from 'zod';

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Codes with their HTTP status. Areas: http, auth, policy, tenant, user, server, vm, console, … */
export const ERROR_STATUS = {
  'http.validation_failed': 400,
  'http.bad_request': 400,
  'http.not_found': 404,
  'http.method_not_allowed': 405,
  'http.payload_too_large': 413,
  'http.unsupported_media_type': 415,
  'http.internal': 500,
  'http.unavailable': 503,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.rate_limited': 429,
  'auth.csrf_failed': 403,
  'auth.origin_refused': 403,
  'auth.signup_closed': 403,
  'auth.setup_invalid': 400,
  'auth.weak_password': 400,
  'policy.forbidden': 403,
  'tenant.not_found': 404,
  'tenant.inactive': 403,
  'tenant.slug_taken': 409,
  'tenant.limit_reached': 409,
  'user.not_found': 404,
  'user.email_taken': 409,
  'user.disabled': 403,
  'member.not_found': 404,
  'member.exists': 409,
  'member.last_admin': 409,
  'user.last_admin': 409,
  'token.not_found': 404,
  'invitation.invalid': 400,
  'server.not_found': 404,
  'server.duplicate': 409,
  'server.limit_reached': 409,
  'server.inactive': 409,
  'server.credentials_unreadable': 500,
  'server.import_invalid': 400,
  'server.token_required': 400,
  'server.insecure_forbidden': 403,
  'server.target_refused': 403,
  'server.rate_limited': 429,
  'proxmox.auth_failed': 502,
  'proxmox.permission_denied': 502,
  'proxmox.node_offline': 502,
  'proxmox.tls_mismatch': 502,
  'proxmox.tls_error': 502,
  'proxmox.timeout': 504,
  'proxmox.unreachable': 502,
  'proxmox.bad_response': 502,
  'proxmox.error': 502,
  'vm.not_found': 404,
  'vm.action_not_applicable': 409,
  'task.not_found': 404,
  'console.disabled': 403,
  'console.limit_reached': 429,
  'console.ticket_invalid': 404,
  'console.upgrade_required': 426,
  'explorer.path_refused': 400,
  'explorer.endpoint_denied': 403,
  'explorer.not_allowed': 403,
  'explorer.server_unverified': 409,
  'audit.not_found': 404,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
