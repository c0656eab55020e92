// Limits below HTTP, against clients that hold sockets instead of sending requests: how long a
// request may take to arrive, how long a connection may sit idle, and how many connections one
// address may hold. Without them a client trickling headers or half a body kept its sockets
// forever, and ~20,000 of them exhausted the process's file descriptors.
//
// Long-lived streams are not cut: a console WebSocket leaves Node's HTTP handling at the upgrade
// (ws also turns the socket's idle timeout off), and an event stream's request is complete once
// its headers arrived; its heartbeat (15 s) keeps the socket busier than `idleTimeoutMs`.
import type { Server, Socket } from 'node:net';
import { newId } from '../lib/ids';

export interface HttpLimits {
  /** From connect (or the end of the previous request) until the request head is complete. */
  headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived. Answered with 408. */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above (its default, 30 s, would double them). */
  checkIntervalMs: number;
  /** A kept-alive connection with no request in flight is closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all (a response the client stopped reading) is destroyed. */
  idleTimeoutMs: number;
  /** Open connections per peer address; 0: no cap. */
  maxConnectionsPerIp: number;
}

export const DEFAULT_HTTP_LIMITS: Omit<HttpLimits, 'maxConnectionsPerIp'> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 25_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 20_000,
  // Generous: a request may legitimately wait this long for Proxmox (timeouts up to 120 s).
  idleTimeoutMs: 300_000,
};

/** Fastify's server options for these limits. */
export function serverTimeouts(limits: HttpLimits) {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
  };
}

/** An IPv4 peer on a dual-stack listener shows as ::ffff:a.b.c.d; count it as a.b.c.d. */
const addressOf = (socket: Socket): string | undefined => socket.remoteAddress?.replace(/^::ffff:/, '');

/**
 * Caps the open connections per peer address on `server`. A connection over the cap gets a 503
 * in the error envelope and is closed before Node's HTTP parser ever sees it: the listeners that
 * were on 'connection' (Node's HTTP handling) run only for connections within the cap.
 */
export function capConnectionsPerAddress(server: Server, max: number, onRefused: (address: string) => void): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const address = addressOf(socket);
    if (address === undefined) {
      socket.destroy();
      return;
    }
    const count = open.get(address) ?? 0;
    if (count >= max) {
      refuse(socket);
      onRefused(address);
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
    for (const handler of handlers) handler.call(server, socket);
  });
}

function refuse(socket: Socket): void {
  const body = JSON.stringify({
    error: { code: 'http.unavailable', message: 'Too many connections from your address' },
    requestId: newId(),
  });
  socket.on('error', () => {});
  // Read and drop whatever the client sends, so the answer is not reset away; never wait long.
  socket.resume();
  socket.setTimeout(2_000, () => socket.destroy());
  socket.end(
    'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 5\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
