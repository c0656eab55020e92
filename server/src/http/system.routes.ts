// Liveness, readiness, the OpenAPI document, and the web app's static files with SPA fallback.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config/config';
import type { Db } from '../db/database';
import { AppError } from '../lib/app-error';
import { safeEqual } from '../lib/ids';
import type { Metrics } from '../lib/metrics';
import { sendError } from './error-handler';
import { type App, responses } from './route-kit';

export interface SystemState {
  draining: boolean;
}

export function systemRoutes(app: App, database: Db, state: SystemState, webDir: string | null): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: { tags: ['system'], response: responses({ 200: z.object({ status: z.literal('ok') }) }) },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        tags: ['system'],
        response: responses({ 200: z.object({ status: z.literal('ready'), database: z.literal('ok') }) }),
      },
    },
    async (_request, reply) => {
      if (state.draining) return sendError(reply, 503, 'http.unavailable', 'Shutting down');
      if (!(await database.ping())) return sendError(reply, 503, 'http.unavailable', 'Database unreachable');
      return { status: 'ready' as const, database: 'ok' as const };
    },
  );

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const indexFile = webDir ? path.join(webDir, 'index.html') : null;
  const hasWeb = indexFile !== null && fs.existsSync(indexFile);

  if (hasWeb && webDir) {
    // Hashed file names never change content: cache them for a year.
    app.get(
      '/assets/*',
      { config: { access: 'public' }, schema: { hide: true }, logLevel: 'warn' },
      async (request: FastifyRequest<{ Params: { '*': string } }>, reply) =>
        reply.sendFile(path.join('assets', request.params['*']), webDir, { maxAge: '365d', immutable: true }),
    );
  }

  app.setNotFoundHandler(async (request, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url === '/api' || url.startsWith('/api/') || !hasWeb || !webDir) {
      return sendError(reply, 404, 'http.not_found', `No route for ${request.method} ${url.slice(0, 200)}`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendError(reply, 404, 'http.not_found', 'Not found');
    }
    // Top-level files of the build (favicon, robots.txt) are served as they are.
    const name = url.slice(1);
    if (/^[\w.-]+\.(svg|png|ico|txt|webmanifest|json)$/.test(name) && fs.existsSync(path.join(webDir, name))) {
      return reply.sendFile(name, webDir, { maxAge: '1h' });
    }
    // Deep links of the SPA: always the current index.html, never cached.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', webDir, { maxAge: 0, cacheControl: false });
  });
}

/** Prometheus scrape endpoint; with NEXUS_METRICS_TOKEN set it needs `Authorization: Bearer <token>`. */
export function metricsRoute(
  app: App,
  metrics: Metrics,
  config: Pick<Config, 'metricsToken'>,
  refresh: () => void,
): void {
  app.get(
    '/metrics',
    { config: { access: 'public' }, logLevel: 'warn', schema: { hide: true } },
    async (request, reply) => {
      if (config.metricsToken) {
        const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
        if (!safeEqual(given, config.metricsToken))
          throw new AppError('auth.unauthenticated', 'Metrics need the scrape token');
      }
      refresh();
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
}
