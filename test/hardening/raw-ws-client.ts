// A WebSocket client written by hand over a plain TCP socket, for the abuse tests: it sends the
// upgrade request byte for byte (thousands of headers, broken Sec-WebSocket-* values) and frames
// a well-behaved client never would (unmasked, fragmented, oversized, reserved bits and opcodes).
// `ws` cannot be made to do either. It answers pings and records the close code and reason.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { encodeFrame, type FrameOptions, takeFrames } from '../../pve-sim/test-support/ws-frames';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Set when the server switched protocols. */
  ws?: RawWs;
  /** The body of a refusal (as far as it came before the server closed). */
  body: string;
}

/** A header list in order; duplicates allowed. */
export type HeaderList = [string, string][];

export function upgradeHeaders(host: string, extra: HeaderList = []): HeaderList {
  return [
    ['Host', host],
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Version', '13'],
    ['Sec-WebSocket-Key', randomBytes(16).toString('base64')],
    ...extra,
  ];
}

/** Sends `GET path` with exactly these headers; resolves with the status line's code and, after
 * a 101, the connection as a RawWs. Never rejects: a dropped connection is status 0. */
export function rawRequest(url: string, path: string, headers: HeaderList, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let buffer = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string> } | undefined;
    let done = false;
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = (ws?: RawWs) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      const body = head ? buffer.toString('utf8') : '';
      if (!ws) socket.destroy();
      resolve({ status: head?.status ?? 0, headers: head?.headers ?? {}, ws, body });
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!head) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
        const parsed: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const at = line.indexOf(':');
          if (at > 0) parsed[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
        }
        head = { status, headers: parsed };
        buffer = buffer.subarray(end + 4);
        if (status === 101) {
          finish(new RawWs(socket, buffer));
          return;
        }
      }
      const length = Number(head.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(length) && buffer.length >= length) finish();
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    socket.on('close', () => finish());
    socket.on('connect', () => {
      const text = `GET ${path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
      socket.write(text);
    });
  });
}

export interface Closed {
  code: number;
  reason: string;
}

export class RawWs {
  /** Every connection made, so a test can check that none stays open. */
  static readonly all = new Set<RawWs>();
  /** Resolves once the connection is gone: the server's close code and reason, or 1006. */
  readonly closed: Promise<Closed>;
  readonly messages: Buffer[] = [];
  closeFrame: Closed | null = null;
  private buffer: Buffer;
  private resolveClosed!: (c: Closed) => void;
  private readonly listeners = new Set<(data: Buffer) => void>();

  constructor(
    readonly socket: Socket,
    head: Buffer,
  ) {
    this.buffer = Buffer.alloc(0);
    RawWs.all.add(this);
    socket.once('close', () => RawWs.all.delete(this));
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.resolveClosed(this.closeFrame ?? { code: 1006, reason: '' }));
    if (head.length > 0) this.onData(head);
  }

  /** One frame exactly as described; masked unless told otherwise, as clients must. */
  frame(opcode: number, payload: Uint8Array = Buffer.alloc(0), opts: FrameOptions = {}): Buffer {
    return encodeFrame(opcode, payload, opts);
  }

  send(opcode: number, payload?: Uint8Array, opts?: FrameOptions): void {
    if (!this.socket.destroyed) this.socket.write(this.frame(opcode, payload, opts));
  }

  /** Bytes as they are (several frames at once, half a frame). */
  raw(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  binary(payload: Uint8Array): void {
    this.send(2, payload);
  }

  /** A proper closing handshake from our side. */
  close(code = 1000, reason = ''): void {
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    this.send(8, body);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** RFB over this connection, for RfbTestClient: writes become binary frames. */
  stream(): Duplex {
    const duplex = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, cb) => {
        this.binary(chunk);
        cb();
      },
      destroy: (err, cb) => {
        this.destroy();
        cb(err);
      },
    });
    // What came with the 101 (Nexus's ProtocolVersion, often) was received before this stream.
    for (const early of this.messages.splice(0)) duplex.push(early);
    this.listeners.add((data) => duplex.push(data));
    void this.closed.then(() => duplex.push(null));
    duplex.on('error', () => {});
    return duplex;
  }

  /** Resolves with the concatenated binary payloads once at least `n` bytes came. */
  async read(n: number, timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (Buffer.concat(this.messages).length < n) {
      if (Date.now() > deadline) throw new Error(`wanted ${n} bytes, got ${Buffer.concat(this.messages).length}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const all = Buffer.concat(this.messages);
    this.messages.length = 0;
    if (all.length > n) this.messages.push(all.subarray(n));
    return all.subarray(0, n);
  }

  private onData(chunk: Buffer): void {
    const { frames, rest } = takeFrames(Buffer.concat([this.buffer, chunk]));
    this.buffer = rest;
    for (const { opcode, payload } of frames) {
      if (opcode === 8) {
        this.closeFrame = {
          code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005,
          reason: payload.subarray(2).toString('utf8'),
        };
        // Answer the closing handshake, then let the server close the TCP connection.
        if (!this.socket.destroyed) this.socket.write(this.frame(8, payload.subarray(0, 2)));
      } else if (opcode === 9) {
        this.send(10, payload);
      } else if (opcode === 2 || opcode === 0) {
        this.messages.push(payload);
        for (const l of this.listeners) l(payload);
      }
    }
  }
}
