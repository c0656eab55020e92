// The one API client: JSON in and out, the CSRF header on state-changing requests, the error
// envelope turned into ApiError, and a 401 handed to the session handler (back to /login?next=…).
import { ErrorEnvelope } from '@common/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/** Field errors of a validation failure, keyed by the dotted path (`branding.primaryColor`). */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!isApiError(e) || !Array.isArray(e.details)) return {};
  const out: Record<string, string> = {};
  for (const d of e.details as unknown[]) {
    if (d && typeof d === 'object') {
      const path = (d as { path?: unknown }).path;
      const message = (d as { message?: unknown }).message;
      const key = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path.replace(/^\//, '') : '';
      if (key && typeof message === 'string' && !(key in out)) out[key] = message;
    }
  }
  return out;
}

let csrfToken: string | null = null;
let onUnauthorized: ((path: string) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called by the providers: what to do when the session is gone (401 on a request). */
let unauthorizedSuspended = false;

/** While signing out, a 401 is expected and must not be reported as an ended session. */
export function suspendUnauthorizedHandler(suspended: boolean): void {
  unauthorizedSuspended = suspended;
}

export function setUnauthorizedHandler(handler: ((path: string) => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Raw text body (CSV import) sent with this content type instead of JSON. */
  rawBody?: { text: string; contentType: string };
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
  /** Login and the session probe handle 401 themselves instead of redirecting. */
  allowUnauthorized?: boolean;
  /** Return the response text instead of parsing JSON. */
  text?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (opts.rawBody) {
    headers['content-type'] = opts.rawBody.contentType;
    body = opts.rawBody.text;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network.unreachable', 'Nexus is unreachable. Check your connection.');
  }

  const text = await res.text();
  if (!res.ok) {
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const envelope = ErrorEnvelope.safeParse(parsed);
    const err = envelope.success
      ? new ApiError(
          res.status,
          envelope.data.error.code,
          envelope.data.error.message,
          envelope.data.error.details,
          envelope.data.requestId,
        )
      : new ApiError(res.status, 'http.unexpected', `Request failed (${res.status})`);
    if (res.status === 401 && !opts.allowUnauthorized && !unauthorizedSuspended) onUnauthorized?.(path);
    throw err;
  }
  if (opts.text) return text as T;
  return (text ? JSON.parse(text) : undefined) as T;
}

let describeError: ((e: unknown) => string) | null = null;

/** The app's language installs how errors read (web/src/i18n/error-messages.ts). */
export function setErrorDescriber(describe: ((e: unknown) => string) | null): void {
  describeError = describe;
}

/** Human message for any error thrown by a query or mutation, in the app's language. */
export function errorMessage(e: unknown): string {
  if (describeError) return describeError(e);
  if (e instanceof Error) return e.message;
  return 'Something went wrong';
}
