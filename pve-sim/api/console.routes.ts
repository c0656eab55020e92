// vncproxy, termproxy and vncwebsocket. Both proxies open a one-shot listener on the answering
// host (a port in 5900–5999, one pool for both), bound to a ticket for this caller, ACL path and
// port; vncwebsocket checks that ticket and returns the port, and the upgrade layer
// (console/websocket-upgrade.ts) connects the client to the listener: RFB for vncproxy, termproxy's
// line protocol for termproxy (term/).
import { issueTermTicket, issueVncCredentials } from '../console/vnc-ticket';
import { P, type ParamSchemas } from '../http/param-schema';
import { handlerError, PveError } from '../http/pve-error';
import type { ApiContext, RouteDef } from '../http/route-table';
import type { ConsoleListener, ListenerTarget } from '../model/cluster-state';
import type { GuestType, SimGuest } from '../model/sim-guest';
import type { TerminalTarget } from '../term/terminal-target';
import { loadGuest } from './guest-lookup';

export const VNC_PORT_FIRST = 5900;
export const VNC_PORT_LAST = 5999;

function allocatePort(ctx: ApiContext): number {
  for (let port = VNC_PORT_FIRST; port <= VNC_PORT_LAST; port++) {
    if (!ctx.local.consoles.has(port)) return port;
  }
  throw handlerError(`unable to find free port (${VNC_PORT_FIRST}-${VNC_PORT_LAST})`);
}

interface ProxySpec {
  port: number;
  /** The proxy's worker task: `vncproxy` with the vmid, or `vncshell` without an id. */
  taskType: string;
  taskId: string;
  log: string[];
  target: ListenerTarget;
  /** The task's exit status when the proxy itself fails (run_command's error for termproxy). */
  failureStatus: string;
}

/** Starts the proxy's task and listener; it accepts one connection within the accept window. */
function listen(ctx: ApiContext, spec: ProxySpec): ConsoleListener {
  const { cluster, local, auth } = ctx;
  const task = cluster.tasks.start({
    node: local.name,
    nodeBootTime: local.bootTime,
    type: spec.taskType,
    id: spec.taskId,
    user: auth.authid,
    durationMs: null,
    log: spec.log,
  });
  const listener: ConsoleListener = {
    port: spec.port,
    authid: auth.authid,
    upid: task.upid,
    target: spec.target,
    state: 'listening',
    timer: undefined,
    close(reason, detail) {
      if (listener.state === 'closed') return;
      listener.state = 'closed';
      if (listener.timer) clearTimeout(listener.timer);
      local.consoles.delete(spec.port);
      if (detail !== undefined) task.log.push(detail);
      if (reason === 'timeout' && spec.target.kind === 'term') task.log.push('failed waiting for client: timed out');
      const failed = reason === 'timeout' || reason === 'failed';
      cluster.tasks.finish(task, failed ? spec.failureStatus : 'OK');
    },
  };
  listener.timer = cluster.later(cluster.timing.vncAcceptWindowMs, () => {
    if (listener.state === 'listening') listener.close('timeout');
  });
  local.consoles.set(spec.port, listener);
  cluster.pruneVncTickets();
  return listener;
}

function vncproxy(ctx: ApiContext, type: GuestType) {
  const guest = loadGuest(ctx, type);
  const { cluster, local, auth } = ctx;
  const port = allocatePort(ctx);
  const now = cluster.now();
  const { password, ticket } = issueVncCredentials(cluster.ticketKey, auth.authid, guest.vmid, port, now);
  cluster.vncTickets.set(ticket, { authid: auth.authid, path: `/vms/${guest.vmid}`, port, issuedAt: now });
  const listener = listen(ctx, {
    port,
    taskType: 'vncproxy',
    taskId: String(guest.vmid),
    log: [`starting vnc proxy UPID on port ${port}`],
    target: { kind: 'vnc', guest, password },
    failureStatus: 'connection timed out',
  });
  // Perl hands the port over as a string; clients must parse leniently.
  return { user: auth.authid, ticket, port: String(port), upid: listener.upid, cert: local.certPem, password };
}

/** The ssh prefix pve-manager puts before a command for a guest or shell on another node. */
function sshPrefix(ctx: ApiContext, node: string): string {
  if (node === ctx.local.name) return '';
  const ip = ctx.cluster.nodes.get(node)?.ip ?? node;
  return `/usr/bin/ssh -e none -o BatchMode=yes -o HostKeyAlias=${node} -t root@${ip} -- `;
}

/** The command termproxy runs, as the three termproxy calls assemble it (its run_command error
 * names it when termproxy fails). */
function termCommand(ctx: ApiContext, port: number, path: string, perm: string, target: TerminalTarget): string {
  let inner: string;
  let node: string;
  if (target.kind === 'lxc') {
    const vmid = target.guest.vmid;
    node = target.guest.node;
    // get_console_command with escape -1 in the default console mode (tty).
    inner = `/usr/bin/dtach -A /var/run/dtach/vzctlconsole${vmid} -r winch -z lxc-console -n ${vmid} -e -1`;
  } else if (target.kind === 'serial') {
    node = target.guest.node;
    inner = `/usr/sbin/qm terminal ${target.guest.vmid} -escape 0${target.iface ? ` -iface ${target.iface}` : ''}`;
  } else {
    node = target.node.name;
    inner = target.shell ? '/bin/login -f root' : '/bin/login';
  }
  const proxy = `/usr/bin/termproxy ${port} --path ${path} --perm ${perm} --vncticket-endpoint --verify-port --ticket-fd 9 --`;
  return `${proxy} ${sshPrefix(ctx, node)}${inner}`;
}

/** Starts termproxy for a target and returns the API answer. */
function startTermproxy(
  ctx: ApiContext,
  spec: { target: TerminalTarget; path: string; perm: string; taskType: string; taskId: string },
) {
  const { cluster, auth } = ctx;
  const port = allocatePort(ctx);
  const now = cluster.now();
  const ticket = issueTermTicket(cluster.ticketKey, auth.authid, spec.path, port, now);
  cluster.vncTickets.set(ticket, { authid: auth.authid, path: spec.path, port, issuedAt: now });
  const command = termCommand(ctx, port, spec.path, spec.perm, spec.target);
  const listener = listen(ctx, {
    port,
    taskType: spec.taskType,
    taskId: spec.taskId,
    log: [],
    target: { kind: 'term', terminal: spec.target, ticket, path: spec.path, privilege: spec.perm },
    failureStatus: `command '${command}' failed: exit code 1`,
  });
  // The port went through string interpolation in assemble_vnc_ticket (`$secret_data:$port`),
  // so Perl's JSON encoder writes it as a string, as for vncproxy.
  return { user: auth.authid, ticket, port: String(port), upid: listener.upid };
}

/** POST …/{qemu|lxc}/{vmid}/termproxy. Neither call checks that the guest runs or that the serial
 * port exists: the command on the pty (lxc-console, `qm terminal`) says so after `OK` and exits. */
function guestTermproxy(ctx: ApiContext, type: GuestType) {
  const guest: SimGuest = loadGuest(ctx, type);
  let serial = ctx.params.serial === undefined ? undefined : String(ctx.params.serial);
  // Without `serial`, a VM whose display is a serial port (`vga: serial0`) gets that port.
  serial ??= /^(?:type=)?(serial\d)(?:,|$)/.exec(String(guest.hardware.vga ?? ''))?.[1];
  const target: TerminalTarget = type === 'lxc' ? { kind: 'lxc', guest } : { kind: 'serial', guest, iface: serial };
  return startTermproxy(ctx, {
    target,
    path: `/vms/${guest.vmid}`,
    perm: 'VM.Console',
    taskType: 'vncproxy',
    taskId: String(guest.vmid),
  });
}

/** POST /nodes/{node}/termproxy: get_shell_command gives `root@pam` (a ticket, not a token:
 * a token's authid is `root@pam!name`) a root shell and everyone else /bin/login. */
function nodeTermproxy(ctx: ApiContext) {
  const name = String(ctx.params.node);
  const node = ctx.cluster.nodes.get(name);
  if (!node) {
    throw handlerError(
      `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`,
    );
  }
  return startTermproxy(ctx, {
    target: { kind: 'node', node, shell: ctx.auth.authid === 'root@pam' },
    path: `/nodes/${name}`,
    perm: 'Sys.Console',
    taskType: 'vncshell',
    taskId: '',
  });
}

/** verify_vnc_ticket: the ticket must be one issued for this authid, path and port, at most
 * ~40 s old (and not from more than 20 s in the future). */
function checkTicket(ctx: ApiContext, path: string) {
  const { cluster, params, auth } = ctx;
  const record = cluster.vncTickets.get(String(params.vncticket));
  const age = record ? cluster.now() - record.issuedAt : 0;
  if (
    !record ||
    record.authid !== auth.authid ||
    record.path !== path ||
    record.port !== params.port ||
    age > cluster.timing.vncTicketValidityMs ||
    age < -20_000
  ) {
    throw new PveError(401, 'permission denied - invalid PVEVNC ticket\n');
  }
  return { port: String(params.port) };
}

function vncwebsocket(ctx: ApiContext, type: GuestType) {
  const answer = checkTicket(ctx, `/vms/${ctx.params.vmid}`);
  loadGuest(ctx, type);
  return answer;
}

const websocketParams = {
  node: P.node,
  port: { type: 'integer', minimum: VNC_PORT_FIRST, maximum: VNC_PORT_LAST },
  vncticket: { type: 'string', maxLength: 512 },
} as const;

export function consoleRoutes(type: GuestType): RouteDef[] {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const sizeParams: ParamSchemas =
    type === 'lxc'
      ? {
          height: { type: 'integer', optional: 1, minimum: 16, maximum: 2160 },
          width: { type: 'integer', optional: 1, minimum: 16, maximum: 4096 },
        }
      : { 'generate-password': { type: 'boolean', optional: 1, default: 0 } };
  const serialParam: ParamSchemas =
    type === 'qemu'
      ? { serial: { type: 'string', optional: 1, enum: ['serial0', 'serial1', 'serial2', 'serial3'] } }
      : {};
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
      path: `${base}/termproxy`,
      methods: {
        POST: {
          name: 'termproxy',
          params: { node: P.node, vmid: P.vmid, ...serialParam },
          permissions: { check: ['/vms/{vmid}', ['VM.Console']] },
          handler: (ctx) => guestTermproxy(ctx, type),
        },
      },
    },
    {
      path: `${base}/vncwebsocket`,
      unlisted: true,
      methods: {
        GET: {
          name: 'vncwebsocket',
          params: { ...websocketParams, vmid: P.vmid },
          permissions: { check: ['/vms/{vmid}', ['VM.Console']] },
          handler: (ctx) => vncwebsocket(ctx, type),
        },
      },
    },
  ];
}

export const nodeConsoleRoutes: RouteDef[] = [
  {
    path: '/nodes/{node}/termproxy',
    methods: {
      POST: {
        name: 'termproxy',
        params: {
          node: P.node,
          cmd: { type: 'string', optional: 1, enum: ['ceph_install', 'login', 'upgrade'], default: 'login' },
          'cmd-opts': { type: 'string', optional: 1, default: '', requires: 'cmd' },
        },
        permissions: { check: ['/nodes/{node}', ['Sys.Console']] },
        handler: nodeTermproxy,
      },
    },
  },
  {
    path: '/nodes/{node}/vncwebsocket',
    unlisted: true,
    methods: {
      GET: {
        name: 'vncwebsocket',
        params: websocketParams,
        permissions: { check: ['/nodes/{node}', ['Sys.Console']] },
        handler: (ctx) => checkTicket(ctx, `/nodes/${ctx.params.node}`),
      },
    },
  },
];
