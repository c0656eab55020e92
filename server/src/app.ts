// createApp(config, deps): the whole HTTP application without listen(). main.ts and the tests
// both build it here, so what the tests exercise is what runs.
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config/config';
import type { Db } from './db/database';
import { installAccessControl, installRouteInventory, type RouteRecord } from './http/access';
import {
  capConnectionsPerAddress,
  DEFAULT_HTTP_LIMITS,
  type HttpLimits,
  serverTimeouts,
} from './http/connection-guard';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandling } from './http/error-handler';
import { originHint } from './http/origin-hint';
import type { App } from './http/route-kit';
import { metricsRoute, type SystemState, systemRoutes } from './http/system.routes';
import { WEBSOCKET_SERVER_OPTIONS } from './http/websocket-handshake';
import { AppError } from './lib/app-error';
import { type Clock, systemClock } from './lib/clock';
import { newId } from './lib/ids';
import { createLogger, type Logger } from './lib/logger';
import { createMetrics } from './lib/metrics';
import { alertsRoutes } from './modules/alerts/alerts.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { accountSecurityRoutes } from './modules/auth/account-security.routes';
import { authRoutes, sessionCookieName } from './modules/auth/auth.routes';
import { passkeysRoutes } from './modules/auth/passkeys.routes';
import { identityProviderRoutes, ssoRoutes } from './modules/auth/sso/sso.routes';
import type { ConsoleUpstream } from './modules/consoles/console-upstream';
import { consolesRoutes } from './modules/consoles/consoles.routes';
import { explorerRoutes } from './modules/explorer/explorer.routes';
import { inventoryRoutes } from './modules/inventory/inventory.routes';
import type { InventoryOptions } from './modules/inventory/inventory.service';
import { membersRoutes } from './modules/members/members.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { recordingsRoutes } from './modules/recordings/recordings.routes';
import type { ServersModuleOptions } from './modules/servers/servers.module';
import { serversRoutes } from './modules/servers/servers.routes';
import { sharesRoutes } from './modules/shares/shares.routes';
import { tenantsRoutes } from './modules/tenants/tenants.routes';
import { usersRoutes } from './modules/users/users.routes';
import { EventStreams, type SseOptions } from './realtime/event-stream';
import { type EventHub, MemoryHub } from './realtime/hub';
import { PgHub } from './realtime/pg-hub';
import { sseRoutes } from './realtime/sse.routes';
import { createServices, type Services } from './services';

export interface AppDeps {
  database: Db;
  logger?: Logger;
  clock?: Clock;
  hub?: EventHub;
  /** Event-stream timings (tests shorten them). */
  sse?: Partial<SseOptions>;
  /** Built web app to serve at /, or null for API only. */
  webDir?: string | null;
  instanceId?: string;
  /** Servers module substitutes: master keyring, Proxmox client, health scheduler timings. */
  servers?: ServersModuleOptions;
  /** Inventory timings: list cache TTL/staleness, task polling (tests shorten them). */
  inventory?: Partial<InventoryOptions>;
  /** Socket timeouts and the per-address connection cap (tests shorten and lower them). */
  http?: Partial<HttpLimits>;
  /** Tests and benchmarks observe (or replace) what consoles do with Proxmox by wrapping it. */
  consoleUpstream?: (real: ConsoleUpstream) => ConsoleUpstream;
}

export interface NexusApp {
  app: App;
  services: Services;
  routes: RouteRecord[];
  state: SystemState;
  hub: EventHub;
  streams: EventStreams;
  log: Logger;
  instanceId: string;
  /** Background work (scheduler, housekeeping): started by main and by tests that want it. */
  startBackground(): void;
  close(): Promise<void>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** One line per request — method, scrubbed URL, status, time — instead of Fastify's two. */
class OneLineLogController extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(_err: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    request.log.info(
      { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  }
}

export async function createApp(config: Config, deps: AppDeps): Promise<NexusApp> {
  const log = deps.logger ?? createLogger(config.logLevel);
  const clock = deps.clock ?? systemClock;
  // One process: in-memory events. PostgreSQL: LISTEN/NOTIFY so every instance sees them.
  const baseHub: EventHub =
    deps.hub ??
    (config.database.kind === 'postgres'
      ? new PgHub({ url: config.database.url, db: deps.database.db, log })
      : new MemoryHub());
  const instanceId = deps.instanceId ?? newId();
  const state: SystemState = { draining: false };
  const routes: RouteRecord[] = [];
  const httpLimits: HttpLimits = {
    ...DEFAULT_HTTP_LIMITS,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    ...deps.http,
  };

  const fastify = Fastify({
    // Slow or half-sent requests get 408 or are closed; idle connections do not linger.
    ...serverTimeouts(httpLimits),
    loggerInstance: log as unknown as FastifyBaseLogger,
    genReqId: () => newId(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // One log line per request ("request completed", with the request and status), not two.
    logController: new OneLineLogController(),
    // Requests Node's parser refuses (oversized head, bad framing, too slow) still get the envelope.
    clientErrorHandler,
    // The router's own refusals (undecodable URL, over-long parameter) in the envelope too.
    frameworkErrors: frameworkErrorHandler,
    routerOptions: { maxParamLength: 500, ignoreDuplicateSlashes: false },
  });
  const app = fastify.withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createMetrics();
  let lastRefusalLog = 0;
  capConnectionsPerAddress(fastify.server, httpLimits.maxConnectionsPerIp, (address) => {
    metrics.connectionsRefused.inc();
    // One line a minute at most: under attack, a line per refusal would flood the log.
    if (Date.now() - lastRefusalLog > 60_000) {
      lastRefusalLog = Date.now();
      log.warn({ address, max: httpLimits.maxConnectionsPerIp }, 'refusing connections over the per-address cap');
    }
  });
  const services = createServices(config, {
    database: deps.database,
    hub: baseHub,
    clock,
    log,
    metrics,
    instanceId,
    servers: deps.servers,
    inventory: deps.inventory,
    ...(deps.consoleUpstream ? { consoleUpstream: deps.consoleUpstream } : {}),
  });
  // Publishing a notable event also records its notification (on this instance only).
  const hub = services.hub;
  const cookieName = sessionCookieName(config);

  installErrorHandling(app);
  installRouteInventory(app, routes);
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Radix and noVNC set inline style attributes; scripts stay strictly 'self'.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
  // Per-route limiters only (app.createRateLimit); nothing is limited unless a route asks.
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyStatic, { root: deps.webDir ?? process.cwd(), serve: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Nexus API',
        version: '0.1.0',
        description: 'Multi-tenant connection broker for Proxmox VE. Errors use the envelope `ErrorEnvelope`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieName },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: ['/api/openapi.json', '/assets/*'] }),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifyWebsocket, { options: WEBSOCKET_SERVER_OPTIONS });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = [request.routeOptions.url ?? 'unmatched', request.method, String(reply.statusCode)] as const;
    metrics.httpDuration.labels(...labels).observe(reply.elapsedTime / 1000);
    metrics.httpRequests.labels(...labels).inc();
  });

  // A refused Origin is mostly a newcomer's configuration (another port or host name): the
  // answer and the log (once per origin) say which setting admits it.
  const warnedOrigins = new Set<string>();
  const originRefused = (origin: string) => {
    const hint = originHint(origin, config.allowedOrigins);
    if (!warnedOrigins.has(origin) && warnedOrigins.size < 100) {
      warnedOrigins.add(origin);
      log.warn({ origin, allowed: config.allowedOrigins }, hint);
    }
    return new AppError('auth.origin_refused', hint, { details: { origin, allowed: config.allowedOrigins } });
  };

  installAccessControl(app, {
    authenticate: (request) =>
      services.auth.authenticate({
        cookie: request.cookies[cookieName],
        authorization: request.headers.authorization,
      }),
    checkCsrf: (request, actor) => {
      const origin = request.headers.origin;
      if (origin !== undefined && !config.allowedOrigins.includes(origin)) throw originRefused(origin);
      const header = request.headers['x-csrf-token'];
      if (!services.auth.checkCsrf(actor, typeof header === 'string' ? header : undefined)) {
        throw new AppError('auth.csrf_failed', 'Missing or invalid X-CSRF-Token header');
      }
    },
    loadScope: (actor, tenantId) => services.tenants.loadScope(actor, tenantId),
    onDenied: async (request, decision, access) => {
      if (SAFE_METHODS.has(request.method) || !request.actor || decision.status === 401) return;
      await services.audit.recordAlone(
        {
          userId: request.actor.userId,
          label: request.actor.email,
          ip: request.ip,
          userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
        },
        {
          tenantId: request.scope?.exists ? request.scope.tenantId : null,
          action: 'authz.denied',
          result: 'denied',
          details: {
            method: request.method,
            route: request.routeOptions.url,
            permission: access,
            status: decision.status,
            code: decision.code,
          },
        },
      );
    },
  });

  systemRoutes(app, deps.database, state, deps.webDir ?? null);
  authRoutes(app, services, config);
  accountSecurityRoutes(app, services);
  ssoRoutes(app, services, config);
  identityProviderRoutes(app, services);
  passkeysRoutes(app, services, config);
  usersRoutes(app, services);
  tenantsRoutes(app, services);
  membersRoutes(app, services);
  serversRoutes(app, services);
  auditRoutes(app, services);
  consolesRoutes(app, services);
  sharesRoutes(app, services);
  recordingsRoutes(app, services);
  inventoryRoutes(app, services);
  explorerRoutes(app, services);
  notificationsRoutes(app, services);
  alertsRoutes(app, services);
  const streams = new EventStreams(hub, services.auth, log, deps.sse);
  sseRoutes(app, streams);
  metricsRoute(app, metrics, config, () => {
    metrics.sseClients.set(streams.count());
    metrics.activeConsoles.set(services.consoles.liveCount);
  });

  await app.ready();
  if (baseHub instanceof PgHub) await baseHub.ready;
  // A chain that still ends in rows from before keying gets its first keyed row now.
  await services.audit.seal();

  const timers: NodeJS.Timeout[] = [];
  return {
    app,
    services,
    routes,
    state,
    hub,
    streams,
    log,
    instanceId,
    startBackground() {
      services.serversModule.start();
      services.alerts.start();
      services.auditForwarder.start();
      services.recordings.start().catch((err) => log.warn({ err }, 'recordings did not start'));
      const housekeeping = setInterval(() => {
        services.auth.housekeeping().catch((err) => log.warn({ err }, 'housekeeping failed'));
        services.consoles.housekeeping().catch((err) => log.warn({ err }, 'console housekeeping failed'));
        services.shares.housekeeping().catch((err) => log.warn({ err }, 'share housekeeping failed'));
        void services.notifications.prune(config.metricsRetentionDays);
      }, 60_000);
      housekeeping.unref();
      timers.push(housekeeping);
    },
    async close() {
      state.draining = true;
      streams.closeAll();
      for (const t of timers) clearInterval(t);
      services.inventory.close();
      services.guestList.close();
      services.guestLocator.close();
      await services.alerts.stop();
      await services.auditForwarder.stop();
      await services.serversModule.stop();
      await services.consoles.shutdown();
      await services.recordings.stop();
      await app.close();
      await hub.close();
    },
  };
}
