// A deliberately low-level WebSocket client for pve-sim's tests: it shows exactly what the
// server answers to an upgrade (status, reason, headers, or a dropped connection), records the
// size of every server frame, and can send frames a well-behaved client never would (unmasked,
// fragmented, oversized). As a Duplex it carries RFB for RfbTestClient.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { Duplex } from 'node:stream';
import { encodeFrame, type FrameOptions, takeFrames } from './ws-frames';

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
  sendFrame(opcode: number, payload: Buffer, opts: FrameOptions = {}): void {
    this.socket.write(encodeFrame(opcode, payload, opts));
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
    const { frames, rest } = takeFrames(Buffer.concat([this.buffer, chunk]));
    this.buffer = rest;
    for (const { fin, opcode, payload } of frames) {
      this.frames.push({ fin, opcode, length: payload.length });
      if (opcode === 8) {
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.socket.end();
      } else if (opcode === 1 || opcode === 2 || opcode === 0) {
        this.push(payload);
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
