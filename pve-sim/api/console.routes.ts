// vncproxy and vncwebsocket. vncproxy opens a one-shot listener on the answering host (a port in
// 5900–5999), bound to a ticket for this caller, guest and port; vncwebsocket checks that ticket
// and returns the port, and the upgrade layer (console/websocket-upgrade.ts) does the rest.
import { issueVncCredentials } from '../console/vnc-ticket';
import { P, type ParamSchemas } from '../http/param-schema';
import { handlerError, PveError } from '../http/pve-error';
import type { ApiContext, RouteDef } from '../http/route-table';
import type { ConsoleListener } from '../model/cluster-state';
import type { GuestType } from '../model/sim-guest';
import { loadGuest } from './guest-lookup';

export const VNC_PORT_FIRST = 5900;
export const VNC_PORT_LAST = 5999;

function allocatePort(ctx: ApiContext): number {
  for (let port = VNC_PORT_FIRST; port <= VNC_PORT_LAST; port++) {
    if (!ctx.local.consoles.has(port)) return port;
  }
  throw handlerError(`unable to find free port (${VNC_PORT_FIRST}-${VNC_PORT_LAST})`);
}

function vncproxy(ctx: ApiContext, type: GuestType) {
  const guest = loadGuest(ctx, type);
  const { cluster, local, auth } = ctx;
  const port = allocatePort(ctx);
  const now = cluster.now();
  const { password, ticket } = issueVncCredentials(cluster.ticketKey, auth.authid, guest.vmid, port, now);
  cluster.vncTickets.set(ticket, { authid: auth.authid, vmid: guest.vmid, port, issuedAt: now });
  const task = cluster.tasks.start({
    node: local.name,
    nodeBootTime: local.bootTime,
    type: 'vncproxy',
    id: String(guest.vmid),
    user: auth.authid,
    durationMs: null,
    log: [`starting vnc proxy UPID on port ${port}`],
  });
  const listener: ConsoleListener = {
    port,
    guest,
    authid: auth.authid,
    password,
    upid: task.upid,
    state: 'listening',
    timer: undefined,
    close(reason) {
      if (listener.state === 'closed') return;
      listener.state = 'closed';
      if (listener.timer) clearTimeout(listener.timer);
      local.consoles.delete(port);
      cluster.tasks.finish(task, reason === 'timeout' ? 'connection timed out' : 'OK');
    },
  };
  // The listener accepts one connection within the accept window, then gives up.
  listener.timer = cluster.later(cluster.timing.vncAcceptWindowMs, () => {
    if (listener.state === 'listening') listener.close('timeout');
  });
  local.consoles.set(port, listener);
  cluster.pruneVncTickets();
  // Perl hands the port over as a string; clients must parse leniently.
  return { user: auth.authid, ticket, port: String(port), upid: task.upid, cert: local.certPem, password };
}

function vncwebsocket(ctx: ApiContext, type: GuestType) {
  const { cluster, params, auth } = ctx;
  const record = cluster.vncTickets.get(String(params.vncticket));
  const age = record ? cluster.now() - record.issuedAt : 0;
  if (
    !record ||
    record.authid !== auth.authid ||
    record.vmid !== params.vmid ||
    record.port !== params.port ||
    age > cluster.timing.vncTicketValidityMs ||
    age < -20_000
  ) {
    throw new PveError(401, 'permission denied - invalid PVEVNC ticket\n');
  }
  loadGuest(ctx, type);
  return { port: String(params.port) };
}

export function consoleRoutes(type: GuestType): RouteDef[] {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const sizeParams: ParamSchemas =
    type === 'lxc'
      ? {
          height: { type: 'integer', optional: 1, minimum: 16, maximum: 2160 },
          width: { type: 'integer', optional: 1, minimum: 16, maximum: 4096 },
        }
      : { 'generate-password': { type: 'boolean', optional: 1, default: 0 } };
  return [
    {
      path: `${base}/vncproxy`,
      methods: {
        POST: {
          name: 'vncproxy',
          params: { node: P.node, vmid: P.vmid, websocket: P.optBool, ...sizeParams },
          permissions: { check: ['/vms/{vmid}', ['VM.Console']] },
          handler: (ctx) => vncproxy(ctx, type),
        },
      },
    },
    {
      path: `${base}/vncwebsocket`,
      unlisted: true,
      methods: {
        GET: {
          name: 'vncwebsocket',
          params: {
            node: P.node,
            port: { type: 'integer', minimum: VNC_PORT_FIRST, maximum: VNC_PORT_LAST },
            vmid: P.vmid,
            vncticket: { type: 'string', maxLength: 512 },
          },
          permissions: { check: ['/vms/{vmid}', ['VM.Console']] },
          handler: (ctx) => vncwebsocket(ctx, type),
        },
      },
    },
  ];
}
