// A relay worker: a child process of Nexus that runs console relays, so one instance relays on
// every core (a Node process copies bytes on one). The service hands it a browser's socket right
// after the upgrade passed every check (ticket, Origin, permission) and before the 101, which the
// worker answers with the same `ws` options as the app; the relay then runs here exactly as it
// does in the service's process (console-relay.ts, terminal-relay.ts), asking the service over
// IPC for what needs the database or Proxmox's API and reporting what the books need
// (relay-protocol.ts). Proxmox's side is dialled here with the server's settings and the egress
// policy. Started by relay-pool.ts; ends with its parent.
import type { Socket } from 'node:net';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { WebSocket, WebSocketServer } from 'ws';
import { WEBSOCKET_SERVER_OPTIONS } from '../../http/websocket-handshake';
import { checkedAddresses, DEFAULT_EGRESS, type EgressGuard, fixedLookup, systemResolver } from '../../lib/egress';
import { createProxmoxClient, type ProxmoxClient } from '../../proxmox/index';
import {
  type CloseReason,
  ConsoleRelay,
  ConsoleUpstreamError,
  neverOpened,
  type RelayHooks,
  type UpstreamGrant,
} from './console-relay';
import { closeReasonFor, openConsoleSocket } from './console-upstream';
import type { FromWorker, RelayStats, ToWorker, UpgradeRequest, UpstreamSpec } from './relay-protocol';
import { TerminalRelay } from './terminal-relay';

type Relay = ConsoleRelay | TerminalRelay;

interface Entry {
  relay: Relay | undefined;
  /** A close that came while the handshake was under way. */
  pendingClose?: CloseReason;
  grant?: (answer: Extract<ToWorker, { t: 'grant' }>['grant']) => void;
  explained?: (close: CloseReason | null) => void;
}

const STATS_INTERVAL_MS = 2_000;

const send = (message: FromWorker): void => {
  if (process.connected) process.send?.(message);
};

const wss = new WebSocketServer({ noServer: true, clientTracking: false, ...WEBSOCKET_SERVER_OPTIONS });
const entries = new Map<string, Entry>();
let proxmox: ProxmoxClient = createProxmoxClient();
/** The operator's egress policy, for the one dial that does not go through the Proxmox client. */
let egress: EgressGuard = DEFAULT_EGRESS;

/** `ws` answers the handshake from the request line and headers the service passed on. */
function upgrade(socket: Socket, request: UpgradeRequest, then: (ws: WebSocket) => void): void {
  const req = { method: 'GET', url: request.url, headers: request.headers, socket };
  wss.handleUpgrade(req as never, socket, Buffer.alloc(0), then);
}

function connectTo(spec: UpstreamSpec): UpstreamGrant['connect'] {
  if (spec.kind === 'proxmox') {
    const conn = proxmox.forServer(spec.target);
    return (attach, signal) => openConsoleSocket(conn, spec.path, spec.query, attach, signal);
  }
  // A test or benchmark stand-in for vncwebsocket (never produced from a registered server); it
  // still passes the egress policy, like every dial.
  return async (attach, signal) => {
    const unreachable = () =>
      new ConsoleUpstreamError({ code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox unreachable' });
    const url = new URL(spec.url);
    const port = Number(url.port) || (url.protocol === 'wss:' ? 443 : 80);
    const addresses = await checkedAddresses(url.hostname.replace(/^\[|\]$/g, ''), port, egress).catch(
      (err: unknown) => {
        throw new ConsoleUpstreamError(closeReasonFor(err));
      },
    );
    return new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(spec.url, ['binary'], {
        perMessageDeflate: false,
        allowSynchronousEvents: true,
        lookup: fixedLookup(addresses),
      });
      attach(ws);
      signal.addEventListener('abort', () => ws.terminate(), { once: true });
      ws.once('open', () => resolve(ws));
      ws.once('error', () => reject(unreachable()));
    });
  };
}

function hooksFor(id: string, entry: Entry): RelayHooks {
  return {
    openUpstream: () =>
      new Promise<UpstreamGrant>((resolve, reject) => {
        entry.grant = (answer) => {
          entry.grant = undefined;
          if ('failed' in answer) reject(new ConsoleUpstreamError(answer.failed));
          else resolve({ password: answer.password, connect: connectTo(answer.spec) });
        };
        send({ t: 'grant', id });
      }),
    onEstablished: (info) => send({ t: 'established', id, info }),
    onDetached: () => send({ t: 'detached', id }),
    onReattached: ({ detachedMs }) => send({ t: 'reattached', id, detachedMs }),
    explainUpstreamClose: (abnormal) =>
      new Promise<CloseReason | null>((resolve) => {
        entry.explained = (close) => {
          entry.explained = undefined;
          resolve(close);
        };
        send({ t: 'explain', id, abnormal });
      }),
    onClosed: (result) => {
      entries.delete(id);
      send({ t: 'closed', id, result });
    },
  };
}

/** A browser that left before its relay started: closed in the books as a failed open. */
function lostBeforeStart(id: string): void {
  const entry = entries.get(id);
  if (!entry || entry.relay) return;
  entries.delete(id);
  send({ t: 'closed', id, result: neverOpened('connection lost before the console opened') });
}

function onMessage(message: ToWorker, handle: unknown): void {
  switch (message.t) {
    case 'init':
      proxmox = createProxmoxClient({ allowedTargets: message.init.allowedTargets ?? null });
      egress = { lists: [message.init.allowedTargets ?? null], resolve: systemResolver };
      return;
    case 'open': {
      const socket = handle as Socket;
      const entry: Entry = { relay: undefined };
      entries.set(message.id, entry);
      socket.once('close', () => lostBeforeStart(message.id));
      upgrade(socket, message.upgrade, (ws) => {
        const Relay = message.kind === 'vnc' ? ConsoleRelay : TerminalRelay;
        entry.relay = new Relay(ws, hooksFor(message.id, entry), message.options);
        entry.relay.start();
        if (entry.pendingClose) entry.relay.close(entry.pendingClose);
      });
      return;
    }
    case 'reattach': {
      const socket = handle as Socket;
      const relay = entries.get(message.id)?.relay;
      upgrade(socket, message.upgrade, (ws) => {
        // Ended meanwhile: the page asks for a fresh ticket, which opens a new console.
        if (!(relay instanceof ConsoleRelay) || !relay.reattach(ws)) ws.close(CONSOLE_CLOSE.stalled, 'console ended');
      });
      return;
    }
    case 'grant':
      entries.get(message.id)?.grant?.(message.grant);
      return;
    case 'explained':
      entries.get(message.id)?.explained?.(message.close);
      return;
    case 'close': {
      const entry = entries.get(message.id);
      if (entry?.relay) entry.relay.close(message.reason);
      else if (entry) entry.pendingClose = message.reason;
      return;
    }
  }
}

process.on('message', (message: ToWorker, handle: unknown) => onMessage(message, handle));
// Without the service nothing here can keep its books: the consoles end with it. A stop signal
// to the whole group (Ctrl+C, systemd) is the service's to act on: it closes every console with
// a reason, then lets its workers go.
process.on('disconnect', () => process.exit(0));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
setInterval(() => {
  if (entries.size === 0) return;
  const stats: [string, RelayStats][] = [];
  for (const [id, entry] of entries) if (entry.relay) stats.push([id, entry.relay.stats]);
  send({ t: 'stats', stats });
}, STATS_INTERVAL_MS).unref();
send({ t: 'ready' });
