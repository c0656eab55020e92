// HTTP/1.1 by hand over a TCP socket, for requests fetch() would never send: broken URLs and
// framing, headers or bodies trickled byte by byte, sockets bound to a chosen loopback address.
import { connect, type Socket } from 'node:net';

export interface RawHttpResponse {
  /** 0 when the connection ended without a status line. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connect until the server's answer was complete or the socket closed. */
  elapsedMs: number;
}

/** A socket to the app, optionally from a given loopback address (127.0.0.2, …). */
export function openSocket(url: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: hostname, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Parses the first response on `socket` (status, headers, Content-Length body); resolves when it
 * is complete or the socket ends. Never rejects. */
export function readResponse(socket: Socket, timeoutMs = 10_000): Promise<RawHttpResponse> {
  const start = Date.now();
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      const text = buffer.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end >= 0 ? text.slice(0, end).split('\r\n') : [];
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0),
        headers,
        body: end >= 0 ? buffer.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1')).toString('utf8') : '',
        elapsedMs: Date.now() - start,
      });
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const text = buffer.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1];
      if (length !== undefined && buffer.length - (end + 4) >= Number(length)) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', onData);
    socket.once('close', finish);
    socket.once('error', finish);
  });
}

/** Sends `bytes` on a fresh socket and reads the answer. */
export async function rawHttp(
  url: string,
  bytes: string | Buffer,
  opts: { localAddress?: string; timeoutMs?: number } = {},
): Promise<RawHttpResponse> {
  const socket = await openSocket(url, opts.localAddress);
  const answer = readResponse(socket, opts.timeoutMs);
  socket.write(bytes);
  const res = await answer;
  socket.destroy();
  return res;
}

/** Resolves with how long after the call the socket closed (or `limitMs` if it did not). Reads
 * and drops what still arrives: a paused socket never sees the server's end. */
export function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(0);
    socket.resume();
    const timer = setTimeout(() => resolve(limitMs), limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}
