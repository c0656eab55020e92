// Shared bits for route modules: the typed app, error responses for the OpenAPI document.

import { ErrorEnvelope } from '@common/errors';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifySchema,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Access } from './access';

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

/** What a route takes (path parameters, query, body) and says of itself in the OpenAPI document. */
type RouteInput = Pick<FastifySchema, 'params' | 'querystring' | 'body' | 'summary' | 'description' | 'hide'>;

/** A route's options in one expression: who may call it (`config.access`, http/access.ts), its
 * OpenAPI group and inputs, and its answers by status (the error envelope added). */
export function route<const I extends RouteInput, const R extends Record<number, unknown>>(
  access: Access,
  tag: string,
  input: I,
  answers: R,
) {
  return { config: { access }, schema: { tags: [tag], ...input, response: responses(answers) } };
}

/** The answer of a route that only does something: `{ ok: true }` once `work` is done. */
export async function done(work: Promise<unknown>): Promise<{ ok: true }> {
  await work;
  return { ok: true };
}
