// The one error type handlers, services and adapters throw, whatever layer they are in; the HTTP
// error renderer (http/error-handler.ts) turns it into the envelope.
import { ERROR_STATUS, type ErrorCode } from '@common/errors';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: unknown; status?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? ERROR_STATUS[code];
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** "Not yours" and "not there" must be indistinguishable: one message per kind of object. */
export function notFound(code: ErrorCode & `${string}.not_found`): AppError {
  const what = code.split('.')[0] ?? 'resource';
  return new AppError(code, `${what[0]?.toUpperCase()}${what.slice(1)} not found`);
}

export function forbidden(message = 'You do not have permission to do this'): AppError {
  return new AppError('policy.forbidden', message);
}

export function badRequest(message: string, details?: unknown): AppError {
  return new AppError('http.bad_request', message, { details });
}
