// GET /api/tenants/:tenantId/events — Server-Sent Events for one tenant: typed events
// (common/events.ts) as `event: <type>` + JSON data, an id per event for Last-Event-ID resume,
// a heartbeat comment every 15 s, and the stream ends when the caller loses access
// (realtime/event-stream.ts).

import { TenantParams } from '@common/schemas/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tenantCtx } from '../http/context';
import type { App } from '../http/route-kit';
import type { EventStreams } from './event-stream';

export function sseRoutes(app: App, streams: EventStreams): void {
  app.get(
    '/api/tenants/:tenantId/events',
    {
      config: { access: 'events:subscribe' },
      schema: { tags: ['realtime'], params: TenantParams, produces: ['text/event-stream'] },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { actor, scope } = tenantCtx(request);
      streams.admit(actor.userId);
      // Security headers set by hooks so far, plus the stream's own.
      const headers: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string;
      reply.hijack();
      reply.raw.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      const lastId = request.headers['last-event-id'];
      await streams.start(reply.raw, actor, scope, typeof lastId === 'string' && lastId !== '' ? lastId : undefined);
    },
  );
}
