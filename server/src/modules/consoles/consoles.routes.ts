// Console routes: ask for a ticket, see who is on a console, and the WebSocket upgrade. The
// upgrade's URL holds no tenant, so it is `authenticated` and authorizes through the ticket
// (ticket → tenant and guest → policy) in preHandler, before any 101 is sent.

import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import {
  ConsoleGuestParams,
  ConsoleTicket,
  ConsoleTicketParams,
  ConsoleViewers,
  NodeShellParams,
  TerminalQuery,
} from '@common/schemas/consoles';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authed, type RequestContext, tenantCtx } from '../../http/context';
import { type App, noStore, route } from '../../http/route-kit';
import { websocketHandshakeProblem } from '../../http/websocket-handshake';
import { AppError } from '../../lib/app-error';
import type { Services } from '../../services';
import type { ClaimedConsole, UpgradeHeaders } from './console-tickets';
import type { ConsolesService } from './consoles.service';
import type { HandedSocket } from './relay-pool';

/** What the ticket routes say of themselves in the OpenAPI document. */
const SUMMARY = {
  console: 'A single-use console ticket (valid 30 s) for the WebSocket at wsPath',
  nodeShell:
    "A single-use ticket for a shell on a Proxmox node (tenant admins, tenant setting nodeShell); an API token's shell is Proxmox's login prompt",
  terminal:
    'A single-use text console ticket (termproxy: a container, or a VM serial port with ?serial=serialN) for the WebSocket at wsPath',
};

export function consolesRoutes(app: App, { consoles }: Services): void {
  // Tickets are secrets: answered 201 and never cached.
  const ticket = (reply: FastifyReply, issued: ConsoleTicket) => noStore(reply, issued, 201);
  const answersTicket = { 201: ConsoleTicket };

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/console',
    route('vm:console', 'consoles', { summary: SUMMARY.console, params: ConsoleGuestParams }, answersTicket),
    async (request, reply) =>
      ticket(reply, await consoles.issue(tenantCtx(request), request.params.serverId, request.params.vmid)),
  );

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/nodes/:node/terminal',
    route('node:shell', 'consoles', { summary: SUMMARY.nodeShell, params: NodeShellParams }, answersTicket),
    async (request, reply) =>
      ticket(reply, await consoles.issueNodeShell(tenantCtx(request), request.params.serverId, request.params.node)),
  );

  app.post(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/terminal',
    route(
      'vm:console',
      'consoles',
      { summary: SUMMARY.terminal, params: ConsoleGuestParams, querystring: TerminalQuery },
      answersTicket,
    ),
    async (request, reply) => {
      const { serverId, vmid } = request.params;
      return ticket(reply, await consoles.issueTerminal(tenantCtx(request), serverId, vmid, request.query.serial));
    },
  );

  app.get(
    '/api/tenants/:tenantId/servers/:serverId/vms/:vmid/consoles',
    route(
      'vm:console',
      'consoles',
      { summary: 'Who is on this guest’s console now', params: ConsoleGuestParams },
      { 200: ConsoleViewers },
    ),
    async (request) => ({
      consoles: await consoles.viewers(tenantCtx(request), request.params.serverId, request.params.vmid),
    }),
  );

  consoleUpgradeRoute(app, consoles, {
    url: '/api/consoles/:ticket/ws',
    access: 'authenticated',
    claim: (request, ticket, handshake) => consoles.claim(authed(request), ticket, handshake),
    context: (request) => authed(request),
  });
}

/**
 * A console WebSocket: every check (the ticket, Origin, subprotocol, what ws would refuse) before
 * any 101, then the relay. Members' consoles and share links' use it with their own claim.
 */
export function consoleUpgradeRoute(
  app: App,
  consoles: Pick<ConsolesService, 'abandon' | 'run' | 'relaysInWorkers'>,
  route: {
    url: string;
    access: 'authenticated' | 'public';
    claim(request: FastifyRequest, ticket: string, handshake: UpgradeHeaders): Promise<ClaimedConsole>;
    /** Whose console it is in the books (a member, or a share link's recipient). */
    context(request: FastifyRequest, claimed: ClaimedConsole): Pick<RequestContext, 'audit'>;
  },
): void {
  const claims = new WeakMap<FastifyRequest, ClaimedConsole>();
  app.get(
    route.url,
    {
      websocket: true,
      config: { access: route.access },
      schema: { params: ConsoleTicketParams },
      preHandler: async (request, reply) => {
        if (!request.ws) throw new AppError('console.upgrade_required', 'Open this URL as a WebSocket');
        // What ws would refuse after this hook is refused now, before the ticket is spent.
        const problem = websocketHandshakeProblem(request.headers);
        if (problem) throw new AppError('http.bad_request', problem);
        const header = (name: string) => {
          const v = request.headers[name];
          return Array.isArray(v) ? v.join(',') : v;
        };
        const claimed = await route.claim(request, request.params.ticket, {
          origin: header('origin'),
          protocols: header('sec-websocket-protocol'),
        });
        const handed = consoles.relaysInWorkers ? handOver(request) : null;
        if (handed) {
          // A relay worker answers the handshake; this process writes nothing more to it.
          reply.hijack();
          consoles.run(route.context(request, claimed), claimed, handed);
          return;
        }
        claims.set(request, claimed);
        // A browser that hangs up before the 101 leaves ws nothing to upgrade (no handler runs):
        // the claimed console is closed in the books instead of holding a slot until it goes stale.
        const socket = request.raw.socket;
        const abandon = () => {
          if (claims.delete(request)) {
            consoles.abandon(route.context(request, claimed), claimed, 'connection lost before the console opened');
          }
        };
        if (socket.destroyed) abandon();
        else socket.once('close', abandon);
      },
    },
    (socket, request) => {
      const claimed = claims.get(request);
      if (!claimed) {
        socket.close(1011, 'console not claimed');
        return;
      }
      claims.delete(request);
      consoles.run(route.context(request, claimed), claimed, socket);
    },
  );
}

/** The browser's socket, taken from this process for a relay worker to answer the handshake on;
 * null when it cannot travel (TLS ends in this process, or it is gone). A WebSocket client sends
 * nothing before the 101, so no byte of the console is read here. */
function handOver(request: FastifyRequest): HandedSocket | null {
  const socket = request.raw.socket;
  if (!(socket instanceof Socket) || socket instanceof TLSSocket || socket.destroyed) return null;
  // The upgrade's guard (it destroys the socket on error) stays behind; the worker sets its own.
  socket.removeAllListeners('error');
  socket.on('error', () => {});
  return { socket, upgrade: { url: request.url, headers: request.headers } };
}
