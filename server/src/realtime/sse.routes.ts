// GET /api/tenants/:tenantId/events — Server-Sent Events for one tenant: typed events
// (common/events.ts) as `event: <type>` + JSON data, an id per event for Last-Event-ID resume,
// a heartbeat comment every 15 s, and the stream ends when the caller loses access.

import type { SystemEvent, TenantEvent } from '@common/events';
import { TenantParams } from '@common/schemas/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tenantCtx } from '../http/context';
import type { App } from '../http/route-kit';
import { AppError } from '../lib/app-error';
import type { Actor } from '../policy/policy';
import type { Services } from '../services';
import type { EventHub, HubMessage } from './hub';
import { eventVisibleTo } from './visibility';

export interface SseOptions {
  heartbeatMs: number;
  /** How often the caller's session/membership is re-checked while the stream is open. */
  recheckMs: number;
  /** Open streams one user may hold on this instance, over all tenants (a browser tab holds one);
   * more are refused with 429 rather than closing the oldest, which would set tabs fighting. */
  maxStreamsPerUser: number;
}

const DEFAULTS: SseOptions = { heartbeatMs: 15_000, recheckMs: 60_000, maxStreamsPerUser: 8 };

function affects(event: SystemEvent, actor: Actor, tenantId: string): boolean {
  switch (event.type) {
    case 'revoke.user':
      return event.userId === actor.userId;
    case 'revoke.token':
      return actor.tokenId === event.tokenId;
    case 'revoke.sessions':
      return actor.sessionId !== null && event.sessionIds.includes(actor.sessionId);
    case 'revoke.membership':
      return event.userId === actor.userId && event.tenantId === tenantId;
    case 'revoke.tenant':
      return event.tenantId === tenantId;
    default:
      return false;
  }
}

export interface SseStreams {
  /** Ends every open stream (graceful shutdown: clients reconnect to another instance). */
  closeAll(): void;
  count(): number;
}

export function sseRoutes(app: App, services: Services, hub: EventHub, options: Partial<SseOptions> = {}): SseStreams {
  const opts = { ...DEFAULTS, ...options };
  const openStreams = new Set<FastifyReply>();
  const perUser = new Map<string, number>();

  app.get(
    '/api/tenants/:tenantId/events',
    {
      config: { access: 'events:subscribe' },
      schema: { tags: ['realtime'], params: TenantParams, produces: ['text/event-stream'] },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = tenantCtx(request);
      const { actor, scope } = ctx;
      const tenantId = scope.tenantId;
      const held = perUser.get(actor.userId) ?? 0;
      if (held >= opts.maxStreamsPerUser) {
        throw new AppError(
          'realtime.too_many_streams',
          `You already have ${held} event streams open; close a tab or window first`,
          { headers: { 'retry-after': '30' } },
        );
      }
      perUser.set(actor.userId, held + 1);
      const raw = reply.raw;
      // Security headers set by hooks so far, plus the stream's own.
      const headers: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string;
      reply.hijack();
      raw.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      raw.write('retry: 3000\n\n');
      openStreams.add(reply);

      // Live events wait while a resume replays what was missed, then both are sent in id order
      // without duplicates.
      let backlog: HubMessage<TenantEvent>[] | null = null;
      const sent = new Set<string>();
      const write = (msg: HubMessage<TenantEvent>) => {
        if (sent.has(msg.id) || !eventVisibleTo(actor, scope, msg.event)) return;
        sent.add(msg.id);
        if (sent.size > 1000) sent.delete(sent.values().next().value as string);
        raw.write(`id: ${msg.id}\nevent: ${msg.event.type}\ndata: ${JSON.stringify(msg.event)}\n\n`);
      };
      const send = (msg: HubMessage<TenantEvent>) => {
        if (backlog) backlog.push(msg);
        else write(msg);
      };

      let closed = false;
      const cleanups: (() => void)[] = [];
      const close = () => {
        if (closed) return;
        closed = true;
        for (const c of cleanups) c();
        openStreams.delete(reply);
        const left = (perUser.get(actor.userId) ?? 1) - 1;
        if (left > 0) perUser.set(actor.userId, left);
        else perUser.delete(actor.userId);
        raw.end();
      };
      // Listening from the start: a client gone during the replay below must still be let go
      // (its place among the user's streams, its subscriptions).
      raw.on('close', close);
      raw.on('error', close);
      cleanups.push(hub.subscribeTenant(tenantId, send));
      cleanups.push(
        hub.subscribeSystem((event) => {
          if (!affects(event, actor, tenantId)) return;
          raw.write(
            `event: revoked\ndata: ${JSON.stringify({ reason: 'reason' in event ? event.reason : 'revoked' })}\n\n`,
          );
          close();
        }),
      );

      const lastId = request.headers['last-event-id'];
      if (typeof lastId === 'string' && lastId !== '') {
        backlog = [];
        const missed = await hub.replay(tenantId, lastId).catch(() => null);
        const live = backlog;
        backlog = null;
        if (missed === null) raw.write('event: resync\ndata: {}\n\n');
        for (const msg of [...(missed ?? []), ...live].sort((a, b) => Number(a.id) - Number(b.id))) write(msg);
      }
      if (closed) return;

      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), opts.heartbeatMs);
      cleanups.push(() => clearInterval(heartbeat));
      const recheck = setInterval(() => {
        void (async () => {
          const again = await services.auth.authenticate({
            cookie: request.cookies[Object.keys(request.cookies).find((k) => k.endsWith('nexus_session')) ?? ''],
            authorization: request.headers.authorization,
          });
          const role = again?.memberships.get(tenantId);
          const stillIn = again && (again.globalRole === 'admin' || role === scope.role);
          if (!stillIn) {
            raw.write('event: revoked\ndata: {"reason":"session ended"}\n\n');
            close();
          }
        })().catch(() => close());
      }, opts.recheckMs);
      cleanups.push(() => clearInterval(recheck));
    },
  );

  return {
    closeAll() {
      for (const reply of openStreams) reply.raw.end();
      openStreams.clear();
    },
    count: () => openStreams.size,
  };
}
