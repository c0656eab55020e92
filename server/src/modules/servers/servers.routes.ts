// /api/tenants/:tenantId/servers: registration, probe, connectivity test, CSV import/export and
// metrics of a tenant's Proxmox servers. Reads need server:read, writes server:manage. Probe
// and test dial out on request, so together they are limited per tenant (after authorization,
// so outsiders cannot spend a tenant's allowance).

import {
  CreateServerBody,
  ImportJsonBody,
  ImportQuery,
  ImportResult,
  MAX_IMPORT_BYTES,
  MetricsQuery,
  ProbeBody,
  ProbeResult,
  Server,
  ServerMetrics,
  ServerParams,
  ServerTestResult,
  UpdateServerBody,
} from '@common/schemas/servers';
import { Ok, TenantParams } from '@common/schemas/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { tenantCtx } from '../../http/context';
import { type App, done, responses, route } from '../../http/route-kit';
import { AppError } from '../../lib/app-error';
import type { Services } from '../../services';

const TRUE = new Set(['1', 'true']);

/** Probes and connectivity tests per tenant per minute (per instance). */
export const PROBE_TEST_PER_MINUTE = 30;

export function serversRoutes(app: App, { servers, serverDiagnostics, serverImport }: Services): void {
  // `text/csv` bodies arrive as a string (the import route); JSON stays the default elsewhere.
  const dialLimit = app.createRateLimit({
    max: PROBE_TEST_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => `dial:${(request.params as { tenantId: string }).tenantId}`,
  });
  const limitDials = async (request: FastifyRequest) => {
    const r = await dialLimit(request);
    if (!r.isAllowed && r.isExceeded) {
      throw new AppError(
        'server.rate_limited',
        `At most ${PROBE_TEST_PER_MINUTE} probes and connectivity tests per minute in a tenant; try again in ${r.ttlInSeconds} s`,
        { headers: { 'retry-after': String(r.ttlInSeconds) } },
      );
    }
  };

  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/api/tenants/:tenantId/servers',
    route('server:read', 'servers', { params: TenantParams }, { 200: z.object({ servers: z.array(Server) }) }),
    async (request) => ({ servers: await servers.list(tenantCtx(request)) }),
  );

  app.post(
    '/api/tenants/:tenantId/servers',
    route('server:manage', 'servers', { params: TenantParams, body: CreateServerBody }, { 201: Server }),
    async (request, reply) => reply.status(201).send(await servers.create(tenantCtx(request), request.body)),
  );

  app.get(
    '/api/tenants/:tenantId/servers/export.csv',
    {
      config: { access: 'server:read' },
      schema: { tags: ['servers'], params: TenantParams },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="servers.csv"')
        .send(await serverImport.exportCsv(tenantCtx(request))),
  );

  app.post(
    '/api/tenants/:tenantId/servers/probe',
    {
      config: { access: 'server:manage' },
      schema: { tags: ['servers'], params: TenantParams, body: ProbeBody, response: responses({ 200: ProbeResult }) },
      preHandler: limitDials,
    },
    async (request) => serverDiagnostics.probe(tenantCtx(request), request.body.host, request.body.port),
  );

  app.post(
    '/api/tenants/:tenantId/servers/import',
    {
      config: { access: 'server:manage' },
      // JSON wraps the CSV in a string, so the JSON form may be somewhat larger than the CSV limit.
      bodyLimit: 2 * MAX_IMPORT_BYTES,
      schema: {
        tags: ['servers'],
        description:
          'Body: text/csv (dry run with ?dryRun=1) or JSON {csv, dryRun}. Errors are [{line, message}], the header being line 1.',
        params: TenantParams,
        querystring: ImportQuery,
        body: z.union([z.string().max(MAX_IMPORT_BYTES), ImportJsonBody]),
        response: responses({ 200: ImportResult }),
      },
    },
    async (request) => {
      const body = request.body;
      const csv = typeof body === 'string' ? body : body.csv;
      const dryRun =
        typeof body === 'object' && body.dryRun !== undefined ? body.dryRun : TRUE.has(request.query.dryRun ?? '');
      return serverImport.importCsv(tenantCtx(request), csv, dryRun);
    },
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId',
    route('server:read', 'servers', { params: ServerParams }, { 200: Server }),
    async (request) => servers.get(tenantCtx(request), request.params.serverId),
  );

  app.patch(
    '/api/tenants/:tenantId/servers/:serverId',
    route('server:manage', 'servers', { params: ServerParams, body: UpdateServerBody }, { 200: Server }),
    async (request) => servers.update(tenantCtx(request), request.params.serverId, request.body),
  );

  app.delete(
    '/api/tenants/:tenantId/servers/:serverId',
    route('server:manage', 'servers', { params: ServerParams }, { 200: Ok }),
    async (request) => done(servers.remove(tenantCtx(request), request.params.serverId)),
  );

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/test',
    {
      config: { access: 'server:manage' },
      schema: { tags: ['servers'], params: ServerParams, response: responses({ 200: ServerTestResult }) },
      preHandler: limitDials,
    },
    async (request) => serverDiagnostics.test(tenantCtx(request), request.params.serverId),
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/metrics',
    route('server:read', 'servers', { params: ServerParams, querystring: MetricsQuery }, { 200: ServerMetrics }),
    async (request) =>
      servers.metrics(tenantCtx(request), request.params.serverId, request.query.hours, request.query.kind),
  );
}
