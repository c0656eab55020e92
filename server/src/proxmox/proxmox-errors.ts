// Proxmox failures as AppErrors with stable codes (common/errors.ts). The reason phrase PVE puts
// in its status line travels only as data in the envelope, never into one of our headers, and
// like any text from upstream it reaches the caller only cleaned and capped (UPSTREAM_TEXT_MAX):
// whatever answers on a registered address, Nexus is not a reader of its error pages.
import type { ErrorCode } from '@common/errors';
import { AppError, isAppError } from '../lib/app-error';

export type ProxmoxErrorCode = Extract<ErrorCode, `proxmox.${string}`>;

export function proxmoxError(code: ProxmoxErrorCode, message: string, details?: unknown, cause?: unknown): AppError {
  return new AppError(code, message, { details, cause });
}

/** Longest piece of upstream error text (reason phrase, body message, parameter error) passed on. */
export const UPSTREAM_TEXT_MAX = 200;

/** A printable, bounded, single-line version of text controlled by the Proxmox server. */
export function cleanText(text: string | undefined | null, max = 300): string {
  if (!text) return '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * PVE's per-parameter `errors` ({"vmid": "value must be …"}) as data for the caller: at most 50
 * parameters, names and messages cleaned and capped, anything else dropped.
 */
function boundedErrors(raw: unknown): Record<string, string> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw).slice(0, 50)) {
    if (typeof value === 'string') out[cleanText(key, 64)] = cleanText(value, UPSTREAM_TEXT_MAX);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Maps a non-2xx answer to an error code: 401 auth, 403 permission, 595/596 node offline. */
export function statusError(status: number, reason: string, body: unknown): AppError {
  const bodyMessage =
    body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : '';
  const text = cleanText(reason, UPSTREAM_TEXT_MAX) || cleanText(bodyMessage, UPSTREAM_TEXT_MAX);
  const errors = boundedErrors(body && typeof body === 'object' ? (body as { errors?: unknown }).errors : undefined);
  const details = { status, reason: text, ...(errors ? { errors } : {}) };
  if (status === 401) {
    return proxmoxError('proxmox.auth_failed', 'Proxmox rejected the API token (wrong, expired or deleted)', details);
  }
  if (status === 403) {
    return proxmoxError(
      'proxmox.permission_denied',
      `The API token lacks a permission on Proxmox${text ? `: ${text}` : ''}`,
      details,
    );
  }
  if (status === 595 || status === 596) {
    return proxmoxError(
      'proxmox.node_offline',
      'The Proxmox node that holds this resource cannot be reached from the node Nexus talks to',
      details,
    );
  }
  if (status >= 300 && status < 400) {
    return proxmoxError(
      'proxmox.bad_response',
      `Proxmox answered with a redirect (${status}); redirects are not followed`,
      details,
    );
  }
  return proxmoxError('proxmox.error', text ? `Proxmox error: ${text}` : `Proxmox answered ${status}`, details);
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ECONNABORTED: 'connection aborted',
};

/** Any error from the transport, as a Proxmox AppError (AppErrors pass through). */
export function transportError(err: unknown, where: string): AppError {
  if (isAppError(err)) return err;
  const e = err as { code?: string; message?: string; name?: string } | null;
  const code = e?.code ?? '';
  if (e?.name === 'TimeoutError') {
    return proxmoxError('proxmox.timeout', `No answer from ${where} before the deadline`, undefined, err);
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return proxmoxError(
      'proxmox.tls_error',
      `The TLS certificate of ${where} was refused (${code})`,
      { reason: code },
      err,
    );
  }
  const what = UNREACHABLE[code] ?? (e?.message === 'socket hang up' ? 'connection closed' : 'connection failed');
  return proxmoxError('proxmox.unreachable', `Cannot reach ${where}: ${what}`, { reason: code || what }, err);
}
