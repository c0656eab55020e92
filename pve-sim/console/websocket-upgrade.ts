// The `vncwebsocket` upgrade as pveproxy performs it: the GET goes through the normal API pipeline
// (auth, permission, ticket check — failures are plain HTTP answers, no upgrade); then the proxy
// connects to the vncproxy or termproxy listener on THIS host and only then answers 101. No
// listener on that port here (wrong host, too late, already used) → the connection is dropped
// without an answer. Behind a vncproxy listener is RFB; behind a termproxy listener its line
// protocol (term/).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AuthId } from '../model/accounts';
import type { ClusterState, ConsoleListener, ListenerTarget, NodeState } from '../model/cluster-state';
import type { SimGuest } from '../model/sim-guest';
import { type RfbSessionHandle, serveRfb } from '../rfb/index';
import { terminalProgram } from '../term/terminal-programs';
import { serveTermproxy } from '../term/termproxy-session';
import { FrameGuard, MAX_FRAME_PAYLOAD } from './frame-guard';
import { wsDuplex } from './ws-duplex';

const WEBSOCKET_PATH = /^\/api2\/json\/nodes\/[^/]+\/((qemu|lxc)\/\d+\/)?vncwebsocket$/;

type TermTarget = Extract<ListenerTarget, { kind: 'term' }>;
type VncTarget = Extract<ListenerTarget, { kind: 'vnc' }>;

export interface UpgradeRefusal {
  status: number;
  message: string;
}

/** Checks the handshake headers; returns the subprotocol to echo (or null), or a refusal. */
export function checkWebSocketHeaders(req: IncomingMessage): { protocol: string | null } | UpgradeRefusal {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (!WEBSOCKET_PATH.test(path)) return { status: 501, message: `websocket upgrade not supported for '${path}'` };
  if (req.headers['sec-websocket-version'] !== '13') {
    return { status: 400, message: `unsupported websocket-version '${req.headers['sec-websocket-version'] ?? ''}'` };
  }
  if (!req.headers['sec-websocket-key']) return { status: 400, message: 'missing websocket-key' };
  const offered = req.headers['sec-websocket-protocol'];
  if (offered === undefined) return { protocol: null };
  // pveproxy echoes the header as offered: exactly `binary` works; a list is echoed verbatim and
  // a browser then rejects the handshake.
  if (!offered.split(',').some((p) => p.trim() === 'binary')) {
    return { status: 400, message: `unsupported websocket-protocol protocol '${offered}'` };
  }
  return { protocol: offered };
}

export class ConsoleUpgrader {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_PAYLOAD,
    perMessageDeflate: false,
    clientTracking: true,
    handleProtocols: (_protocols, req) => req.headers['sec-websocket-protocol'] ?? false,
  });

  constructor(
    private readonly cluster: ClusterState,
    private readonly local: NodeState,
  ) {}

  /** Called after the API pipeline accepted the request and returned `port`. */
  connect(req: IncomingMessage, socket: Duplex, head: Buffer, port: number): void {
    const listener = this.local.consoles.get(port);
    if (listener?.state !== 'listening') {
      // tcp_connect to localhost:port failed: pveproxy just closes the client connection.
      socket.destroy();
      return;
    }
    listener.state = 'connected';
    if (listener.timer) clearTimeout(listener.timer);

    const guard = new FrameGuard();
    const watch = (chunk: Buffer) => {
      if (guard.push(chunk)) socket.destroy();
    };
    socket.on('data', watch);
    if (head.length > 0) watch(head);

    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const target = listener.target;
      if (target.kind === 'vnc') this.serveVnc(listener, target, ws);
      else this.serveTerm(listener, target, ws);
    });
  }

  private serveVnc(listener: ConsoleListener, target: VncTarget, ws: WebSocket): void {
    const guest = target.guest;
    const node = this.cluster.nodes.get(guest.node);
    let idle: NodeJS.Timeout | undefined;
    let session: RfbSessionHandle | undefined;
    // A QEMU console ends after a while without traffic either way.
    const touch = () => {
      if (guest.type !== 'qemu') return;
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => session?.close(), this.cluster.timing.consoleIdleMs);
    };
    const stream = wsDuplex(ws, touch);
    stream.on('error', () => {});
    // The proxy command (`qm vncproxy`, lxc-console) fails at once for a stopped guest or an
    // unreachable node: the websocket opens and closes.
    if (!guest.running || !node?.online) {
      stream.destroy();
      listener.close('done');
      return;
    }
    session = serveRfb(stream, {
      name: guest.name ?? `${guest.label} ${guest.vmid}`,
      vmid: guest.vmid,
      password: target.password,
      passwordDeadlineMs: this.cluster.timing.vncPasswordWindowMs,
      recorder: guest.recorder,
      ...(guest.bridge ? { bridge: guest.bridge } : {}),
    });
    touch();
    // The guest's VNC server goes away when it stops or migrates: the console ends with it.
    const handle = session;
    guest.consoleSessions.add(handle);
    void session.closed.then(() => {
      guest.consoleSessions.delete(handle);
      if (idle) clearTimeout(idle);
      listener.close('done');
    });
  }

  private serveTerm(listener: ConsoleListener, target: TermTarget, ws: WebSocket): void {
    const terminal = target.terminal;
    const guest: SimGuest | undefined = terminal.kind === 'node' ? undefined : terminal.guest;
    const recorder = terminal.kind === 'node' ? terminal.node.terminal : terminal.guest.terminal;
    // termproxy prints the peer, pveproxy connecting from an ephemeral port on localhost.
    const peerPort = 32768 + Math.floor(Math.random() * 28000);
    this.cluster.tasks.get(listener.upid)?.log.push(`client connection: 127.0.0.1:${peerPort}`);
    const stream = wsDuplex(ws);
    stream.on('error', () => {});
    const session = serveTermproxy({
      stream,
      recorder,
      authWindowMs: this.cluster.timing.termAuthWindowMs,
      authenticate: (authid, ticket) => this.termAuthenticate(listener, target, authid, ticket),
      program: (io) => terminalProgram(terminal, this.cluster, this.local, io),
      onEnd: (failure) => listener.close(failure === null ? 'done' : 'failed', failure ?? undefined),
    });
    // The pty's command (lxc-console, socat on the serial socket) ends with the guest.
    if (guest) {
      const handle = { close: () => session.close() };
      guest.consoleSessions.add(handle);
      void session.closed.then(() => guest.consoleSessions.delete(handle));
    }
  }

  /** termproxy's checks of the `<authid>:<ticket>` line: the ticket must be the one pinned for
   * this instance (--ticket-fd), then the vncticket endpoint verifies it for authid, path and
   * port and checks the privilege on the path (so a right revoked since the API call counts). */
  private termAuthenticate(listener: ConsoleListener, target: TermTarget, authid: string, ticket: string): boolean {
    if (ticket !== target.ticket) return false;
    const record = this.cluster.vncTickets.get(ticket);
    const age = record ? this.cluster.now() - record.issuedAt : 0;
    if (
      !record ||
      record.authid !== authid ||
      record.path !== target.path ||
      record.port !== listener.port ||
      age > this.cluster.timing.vncTicketValidityMs ||
      age < -20_000
    ) {
      return false;
    }
    const bang = authid.indexOf('!');
    const who: AuthId =
      bang < 0
        ? { authid, userid: authid, token: null }
        : { authid, userid: authid.slice(0, bang), token: authid.slice(bang + 1) };
    const vmid = /^\/vms\/(\d+)$/.exec(target.path)?.[1];
    const pool = vmid ? this.cluster.guests.get(Number(vmid))?.pool : undefined;
    return this.cluster.accounts.permissions(who, target.path, pool).has(target.privilege);
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
