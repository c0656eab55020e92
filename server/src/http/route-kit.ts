// Shared bits for route modules: the typed app, error responses for the OpenAPI document.

import { ErrorEnvelope } from '@common/errors';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Adds the error envelope as the documented 4xx/5xx response of a route. */
export function responses<T extends Record<number, unknown>>(
  ok: T,
): T & { '4xx': typeof ErrorEnvelope; '5xx': typeof ErrorEnvelope } {
  return { ...ok, '4xx': ErrorEnvelope, '5xx': ErrorEnvelope };
}

/** Sends what carries a secret or a single-use value (a ticket, a code, a link shown once) with
 * `Cache-Control: no-store`, so no browser or proxy keeps it. */
export function noStore<T>(reply: FastifyReply, body: T, status = 200): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').send(body);
}
