// A deliberately low-level WebSocket client for pve-sim's tests: it shows exactly what the
// server answers to an upgrade (status, reason, headers, or a dropped connection), records the
// size of every server frame, and can send frames a well-behaved client never would (unmasked,
// fragmented, oversized). As a Duplex it carries RFB for RfbTestClient.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { Duplex } from 'node:stream';

export type UpgradeResult =
  | { kind: 'upgraded'; headers: IncomingHttpHeaders; ws: RawWebSocket }
  | { kind: 'refused'; status: number; reason: string; body: string }
  | { kind: 'dropped'; error: string };

export interface UpgradeOptions {
  token?: string;
  /** Sec-WebSocket-Protocol value; omitted when undefined. */
  protocol?: string;
  extensions?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function rawUpgrade(
  server: { url: string },
  pathAndQuery: string,
  opts: UpgradeOptions = {},
): Promise<UpgradeResult> {
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    ...opts.headers,
  };
  if (opts.token) headers.Authorization = `PVEAPIToken=${opts.token}`;
  if (opts.protocol !== undefined) headers['Sec-WebSocket-Protocol'] = opts.protocol;
  if (opts.extensions !== undefined) headers['Sec-WebSocket-Extensions'] = opts.extensions;
  return new Promise((resolve) => {
    const req = request(new URL(pathAndQuery, server.url), {
      headers,
      rejectUnauthorized: false,
      agent: false,
      timeout: opts.timeoutMs ?? 10_000,
    });
    req.on('upgrade', (res, socket, head) => {
      resolve({ kind: 'upgraded', headers: res.headers, ws: new RawWebSocket(socket, head) });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          kind: 'refused',
          status: res.statusCode ?? 0,
          reason: res.statusMessage ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ kind: 'dropped', error: err.message }));
    req.end();
  });
}

export interface ReceivedFrame {
  fin: boolean;
  opcode: number;
  length: number;
}

export class RawWebSocket extends Duplex {
  readonly frames: ReceivedFrame[] = [];
  closeCode: number | null = null;
  private buffer: Buffer;

  constructor(
    readonly socket: Duplex,
    head: Buffer,
  ) {
    super();
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.push(null);
      this.destroy();
    });
    socket.on('error', () => {});
    if (head.length > 0) this.onData(head);
  }

  /** Sends one frame exactly as described (mask: whether to mask it as clients must). */
  sendFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: boolean } = {}): void {
    const fin = opts.fin ?? true;
    const mask = opts.mask ?? true;
    const len = payload.length;
    const header: number[] = [(fin ? 0x80 : 0) | opcode];
    const maskBit = mask ? 0x80 : 0;
    if (len < 126) header.push(maskBit | len);
    else if (len < 65536) header.push(maskBit | 126, len >> 8, len & 0xff);
    else {
      header.push(maskBit | 127, 0, 0, 0, 0);
      header.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
    }
    let body: Buffer = payload;
    const parts: Buffer[] = [Buffer.from(header)];
    if (mask) {
      const key = randomBytes(4);
      body = Buffer.from(payload.map((b, i) => b ^ (key[i % 4] ?? 0)));
      parts.push(key);
    }
    parts.push(body);
    this.socket.write(Buffer.concat(parts));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendFrame(2, chunk);
    callback();
  }

  override _read(): void {}

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(err);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const first = b[0] ?? 0;
      const second = b[1] ?? 0;
      let len = second & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + len) return;
      const payload = b.subarray(offset, offset + len);
      this.buffer = b.subarray(offset + len);
      const opcode = first & 0x0f;
      this.frames.push({ fin: (first & 0x80) !== 0, opcode, length: len });
      if (opcode === 8) {
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.socket.end();
      } else if (opcode === 1 || opcode === 2 || opcode === 0) {
        this.push(Buffer.from(payload));
      }
    }
  }

  /** Resolves when the connection has closed. */
  whenClosed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed || this.socket.closed) resolve();
      else this.socket.once('close', () => resolve());
    });
  }
}
