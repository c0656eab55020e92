// /api/tenants/:tenantId/vms and …/servers/:serverId/{vms,nodes,tasks}: the guest inventory across
// servers, power actions, resource history, node figures and task status (DESIGN.md §6).

import type { TenantPermission } from '@common/permissions';
import { ServerParams } from '@common/schemas/servers';
import { TenantParams } from '@common/schemas/shared';
import {
  ActionParams,
  BulkActionBody,
  BulkActionParams,
  BulkActionResult,
  CreateSnapshotBody,
  GuestBackups,
  GuestDetail,
  GuestHardware,
  GuestInterfaces,
  GuestList,
  GuestParams,
  GuestTasks,
  NoBody,
  RrdData,
  RrdQuery,
  ServerNodes,
  ServerStorages,
  SnapshotList,
  SnapshotParams,
  TaskLog,
  TaskParams,
  TaskStatus,
  VmActionResult,
  VmListQuery,
} from '@common/schemas/vms';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type TenantContext, tenantCtx } from '../../http/context';
import { type App, responses, route } from '../../http/route-kit';
import type { Services } from '../../services';
import type { PreparedBody } from './inventory.presenter';

/** Sends a prepared list: gzip when the client takes it and it is worth it, else plain JSON. */
async function sendPrepared(request: FastifyRequest, reply: FastifyReply, body: PreparedBody) {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  const accepts = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (accepts && body.json.length > 8 * 1024) return reply.header('content-encoding', 'gzip').send(await body.gzip());
  return reply.send(body.json);
}

export function inventoryRoutes(
  app: App,
  { inventory, guestList, snapshots, bulkActions, guestDetails, backups }: Services,
): void {
  // The list is sent pre-serialized (see GuestListService.listBody); the schema documents it.
  app.get(
    '/api/tenants/:tenantId/vms',
    route('vm:read', 'vms', { params: TenantParams, querystring: VmListQuery }, { 200: GuestList }),
    async (request, reply) => sendPrepared(request, reply, await guestList.listBody(tenantCtx(request), request.query)),
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/vms',
    route('vm:read', 'vms', { params: ServerParams, querystring: VmListQuery }, { 200: GuestList }),
    async (request, reply) =>
      sendPrepared(
        request,
        reply,
        await guestList.listBody(tenantCtx(request), request.query, request.params.serverId),
      ),
  );

  // Per guest, the policy decides inside (a restricted member's other guests are refused there).
  app.post(
    '/api/tenants/:tenantId/vms/actions/:action',
    route('vm:power', 'vms', { params: BulkActionParams, body: BulkActionBody }, { 200: BulkActionResult }),
    async (request) => bulkActions.run(tenantCtx(request), request.params.action, request.body.guests),
  );

  /** A route on one guest that takes no input but its address (a POST takes no body either). */
  function guestRoute<T extends z.ZodType>(
    method: 'GET' | 'POST',
    part: string,
    access: TenantPermission,
    response: T,
    handler: (ctx: TenantContext, guest: { serverId: string; vmid: number }) => Promise<z.infer<T>>,
  ): void {
    app.route({
      method,
      url: `/api/tenants/:tenantId/servers/:serverId/vms/:vmid/${part}`,
      config: { access },
      schema: {
        tags: ['vms'],
        params: GuestParams,
        ...(method === 'POST' ? { body: NoBody } : {}),
        // Widened here (the helper is generic); Fastify still serializes and checks the answer.
        response: responses({ 200: response as z.ZodType }),
      },
      handler: async (request) => handler(tenantCtx(request), request.params),
    });
  }

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid',
    route('vm:read', 'vms', { params: GuestParams }, { 200: GuestDetail }),
    async (request) => inventory.guest(tenantCtx(request), request.params.serverId, request.params.vmid),
  );

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/actions/:action',
    route('vm:power', 'vms', { params: ActionParams, body: NoBody }, { 200: VmActionResult }),
    async (request) => {
      const { serverId, vmid, action } = request.params;
      return inventory.action(tenantCtx(request), serverId, vmid, action);
    },
  );

  guestRoute('GET', 'hardware', 'vm:read', GuestHardware, (ctx, g) => guestDetails.hardware(ctx, g.serverId, g.vmid));

  guestRoute('GET', 'interfaces', 'vm:read', GuestInterfaces, (ctx, g) =>
    guestDetails.interfaces(ctx, g.serverId, g.vmid),
  );

  guestRoute('GET', 'tasks', 'vm:read', GuestTasks, (ctx, g) => guestDetails.tasks(ctx, g.serverId, g.vmid));

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/tasks/:upid/log',
    route('vm:read', 'vms', { params: TaskParams }, { 200: TaskLog }),
    async (request) => guestDetails.taskLog(tenantCtx(request), request.params.serverId, request.params.upid),
  );

  guestRoute('GET', 'backups', 'vm:read', GuestBackups, (ctx, g) => backups.list(ctx, g.serverId, g.vmid));

  guestRoute('POST', 'backups', 'vm:backup', VmActionResult, (ctx, g) => backups.backupNow(ctx, g.serverId, g.vmid));

  guestRoute('GET', 'snapshots', 'vm:read', SnapshotList, (ctx, g) => snapshots.list(ctx, g.serverId, g.vmid));

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots',
    route('vm:snapshot', 'vms', { params: GuestParams, body: CreateSnapshotBody }, { 200: VmActionResult }),
    async (request) => snapshots.create(tenantCtx(request), request.params.serverId, request.params.vmid, request.body),
  );

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots/:name/rollback',
    route('vm:snapshot', 'vms', { params: SnapshotParams, body: NoBody }, { 200: VmActionResult }),
    async (request) => {
      const { serverId, vmid, name } = request.params;
      return snapshots.rollback(tenantCtx(request), serverId, vmid, name);
    },
  );

  app.delete(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/snapshots/:name',
    route('vm:snapshot', 'vms', { params: SnapshotParams }, { 200: VmActionResult }),
    async (request) => {
      const { serverId, vmid, name } = request.params;
      return snapshots.delete(tenantCtx(request), serverId, vmid, name);
    },
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/rrddata',
    route('vm:read', 'vms', { params: GuestParams, querystring: RrdQuery }, { 200: RrdData }),
    async (request) => inventory.rrd(tenantCtx(request), request.params.serverId, request.params.vmid, request.query),
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/nodes',
    route('server:read', 'vms', { params: ServerParams }, { 200: ServerNodes }),
    async (request) => inventory.nodes(tenantCtx(request), request.params.serverId),
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/storage',
    route('server:manage', 'vms', { params: ServerParams }, { 200: ServerStorages }),
    async (request) => inventory.storages(tenantCtx(request), request.params.serverId),
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/tasks/:upid',
    route('vm:read', 'vms', { params: TaskParams }, { 200: TaskStatus }),
    async (request) => inventory.task(tenantCtx(request), request.params.serverId, request.params.upid),
  );
}
