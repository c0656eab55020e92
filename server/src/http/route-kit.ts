// Shared bits for route modules: the typed app, error responses for the OpenAPI document.

import { ErrorEnvelope } from '@common/errors';
import type {
  FastifyBaseLogger,
  FastifyInstance,
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
