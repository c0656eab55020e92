// Renders every error as `{error: {code, message, details?}, requestId}` (DESIGN.md §6).
// Unexpected errors become a generic 500 with the request id; their message stays in the log.

import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@common/errors';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from '../lib/app-error';
import { newId } from '../lib/ids';

export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode | string,
  message: string,
  details?: unknown,
): FastifyReply {
  const body: { error: { code: string; message: string; details?: unknown }; requestId: string } = {
    error: { code, message },
    requestId: String(reply.request.id),
  };
  if (details !== undefined) body.error.details = details;
  // Bypass response schemas: the envelope is the same for every route.
  return reply.status(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
}

const FASTIFY_CODES: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'http.payload_too_large',
    message: 'Request body is too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'http.unsupported_media_type',
    message: 'Unsupported Content-Type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'http.bad_request',
    message: 'Body cannot be empty when Content-Type is application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'http.bad_request', message: 'Body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'http.bad_request',
    message: 'Invalid Content-Length',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    status: 415,
    code: 'http.unsupported_media_type',
    message: 'Invalid Content-Type',
  },
};

function validationDetails(err: FastifyError): unknown {
  if (hasZodFastifySchemaValidationErrors(err)) {
    return err.validation.map((v) => ({
      in: err.validationContext ?? 'request',
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: v.message,
    }));
  }
  return err.validation?.map((v) => ({ path: v.instancePath, message: v.message }));
}

const DB_UNAVAILABLE_CODES = new Set([
  // PostgreSQL: shutting down, starting up, connection failures
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // the driver's sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  // SQLite: another process holds the write lock past busy_timeout
  'SQLITE_BUSY',
]);

/** The database is down or restarting: a retryable 503, not a bug (500). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && DB_UNAVAILABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)
    ) {
      return true;
    }
    e = e.cause as typeof e;
  }
  return false;
}

const PARSER_ERRORS: Record<string, { status: number; reason: string; code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'http.bad_request',
    message: 'Request head too large',
  },
  // headersTimeout / requestTimeout (http/connection-guard.ts): a slow or half-sent request.
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'http.request_timeout',
    message: 'The request did not arrive in time',
  },
};

/** Fastify's `clientErrorHandler`: what Node's HTTP parser refuses, before Fastify sees a request. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return;
  const e = (err.code ? PARSER_ERRORS[err.code] : undefined) ?? {
    status: 400,
    reason: 'Bad Request',
    code: 'http.bad_request',
    message: 'Malformed request',
  };
  const body = JSON.stringify({ error: { code: e.code, message: e.message }, requestId: newId() });
  socket.end(
    `HTTP/1.1 ${e.status} ${e.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route or hook runs (a URL that
 * does not decode, an over-long path parameter, a failing async constraint). Without it Fastify
 * answers in its own JSON shape, echoing the path.
 */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      void sendError(reply, 400, 'http.bad_request', 'The request URL is malformed');
      return;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      void sendError(reply, 414, 'http.uri_too_long', 'A path segment of the request URL is too long');
      return;
    default:
      request.log.error({ err }, 'framework error');
      void sendError(reply, 500, 'http.internal', `Internal error (request ${request.id})`);
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isAppError(err)) {
      if (err.headers) reply.headers(err.headers);
      if (err.status >= 500) request.log.warn({ code: err.code, err: err.cause ?? err }, 'request failed');
      return sendError(reply, err.status, err.code, err.message, err.details);
    }
    if (err.validation) {
      return sendError(reply, 400, 'http.validation_failed', 'The request is not valid', validationDetails(err));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return sendError(reply, 500, 'http.internal', `Internal error (request ${request.id})`);
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return sendError(reply, known.status, known.code, known.message);
    if (err.statusCode === 429) {
      return sendError(reply, 429, 'auth.rate_limited', 'Too many requests, try again later');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (bad URL encoding, …): the message is generic and safe.
      return sendError(reply, err.statusCode, 'http.bad_request', 'The request could not be processed');
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable');
      reply.header('retry-after', '2');
      return sendError(reply, 503, 'http.unavailable', 'The database is unavailable; try again shortly');
    }
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, 500, 'http.internal', `Internal error (request ${request.id})`);
  });
}
