// ANY /api/tenants/:tenantId/servers/:serverId/pve/*: the Proxmox API explorer proxy. The method
// decides the permission, so each method is its own route: GET for every unrestricted member
// (explorer:read), POST/PUT/DELETE for tenant admins (explorer:write).
import { ExplorerBody, ExplorerParams, ExplorerResult } from '@common/schemas/explorer';
import type { FastifyRequest } from 'fastify';
import { tenantCtx } from '../../http/context';
import { type App, responses } from '../../http/route-kit';
import type { HttpMethod } from '../../proxmox';
import type { Services } from '../../services';

const URL = '/api/tenants/:tenantId/servers/:serverId/pve/*';
/** Explorer writes are forms of a few fields; anything bigger is not a Proxmox API call. */
const BODY_LIMIT = 64 * 1024;

export function explorerRoutes(app: App, { explorer }: Services): void {
  // The raw request target, not the router's decoded wildcard: refusals must see `%2f` as sent.
  const forward = (request: FastifyRequest, method: HttpMethod, body: ExplorerBody) => {
    const { serverId } = request.params as { serverId: string };
    return explorer.forward(tenantCtx(request), serverId, method, request.raw.url ?? request.url, body);
  };
  const schema = { tags: ['explorer'], params: ExplorerParams, response: responses({ 200: ExplorerResult }) };

  app.get(URL, { config: { access: 'explorer:read' }, schema }, (request) => forward(request, 'GET', undefined));
  app.delete(URL, { config: { access: 'explorer:write' }, schema }, (request) => forward(request, 'DELETE', undefined));
  for (const method of ['POST', 'PUT'] as const) {
    app.route({
      method,
      url: URL,
      bodyLimit: BODY_LIMIT,
      config: { access: 'explorer:write' },
      schema: { ...schema, body: ExplorerBody },
      handler: (request) => forward(request, method, request.body),
    });
  }
}
