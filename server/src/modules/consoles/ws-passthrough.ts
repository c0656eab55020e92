// Proxmox → browser without message reassembly. `ws` collects every frame's payload into one
// buffer before it emits a message: a 128 KiB frame from Proxmox arrives in 64 KiB socket reads
// (16 KiB ones over TLS) and is copied once more into a fresh 128 KiB buffer, which the profile
// showed as 13 % of the relay's time plus the garbage. RFB is a byte stream, so the relay does
// not need whole messages: the scanner below hands on each read's slice of a binary frame as it
// comes (a view into the read, no copy) and leaves everything else to `ws` as before:
// control frames (ping, pong, close) are given to its receiver whole, and at the first frame it
// does not pass through (text, fragmented, reserved bits, masked, larger than the limit) it
// hands the rest of the stream to `ws`, which then judges and refuses it exactly as it would
// have. `ws` has no public hook for this; `tapBinaryFrames` uses its socket and receiver
// fields, checks they are there, and leaves the socket alone (as before) when they are not.

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Where the scanner's output goes. */
export interface FrameSink {
  /** Payload bytes of binary frames, in order, in pieces of any size (views, not copies);
   * `more`: the frame goes on past this piece (its rest comes with a later read). */
  data(payload: Buffer, more: boolean): void;
  /** One whole control frame, header included (at most 2 + 125 bytes). */
  control(frame: Buffer): void;
  /** From this byte on the stream is not passed through: the first frame the scanner does not
   * take and everything after it. Called for every later chunk too. */
  handOver(rest: Buffer): void;
}

const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const MAX_HEADER = 10; // 2 + 8-byte length; server frames carry no mask

/**
 * Splits a server→client WebSocket byte stream (RFC 6455 §5.2). Passes through unmasked, final,
 * binary frames with no reserved bits up to `maxPayload`, and control frames; anything else
 * ends the pass-through (see `handOver`).
 */
export class FrameScanner {
  /** Payload bytes still to come of the current binary frame. */
  private remaining = 0;
  private readonly header = Buffer.alloc(MAX_HEADER);
  private headerHave = 0;
  /** A control frame being collected (its payload may straddle reads). */
  private control: Buffer | undefined;
  private controlHave = 0;
  private handedOver = false;
  /** After a close frame nothing more is passed on (RFC 6455 §5.5.1). */
  private closed = false;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxPayload: number,
  ) {}

  /** Whether the stream has been handed over (or closed): the scanner no longer looks at it. */
  get passing(): boolean {
    return !this.handedOver && !this.closed;
  }

  push(chunk: Buffer): void {
    if (this.handedOver) {
      this.sink.handOver(chunk);
      return;
    }
    let at = 0;
    const end = chunk.length;
    while (at < end && !this.closed) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, end - at);
        this.remaining -= n;
        this.sink.data(at === 0 && n === end ? chunk : chunk.subarray(at, at + n), this.remaining > 0);
        at += n;
        continue;
      }
      if (this.control) {
        const n = Math.min(this.control.length - this.controlHave, end - at);
        chunk.copy(this.control, this.controlHave, at, at + n);
        this.controlHave += n;
        at += n;
        if (this.controlHave === this.control.length) {
          const frame = this.control;
          this.control = undefined;
          if (((frame[0] as number) & 0x0f) === OPCODE_CLOSE) this.closed = true;
          this.sink.control(frame);
        }
        continue;
      }
      // A frame header, possibly across reads: take bytes until its length is known.
      const start = at;
      const before = this.headerHave;
      while (at < end && this.headerHave < this.headerNeeds()) this.header[this.headerHave++] = chunk[at++] as number;
      if (this.headerHave < this.headerNeeds()) return; // the rest comes with the next read
      const verdict = this.judge();
      if (verdict === 'refuse') {
        // The header bytes from earlier reads, then this read from the header on.
        this.handedOver = true;
        const earlier = this.header.subarray(0, before);
        const rest = chunk.subarray(start);
        this.headerHave = 0;
        this.sink.handOver(before > 0 ? Buffer.concat([earlier, rest]) : rest);
        return;
      }
      const length = this.payloadLength();
      const headerBytes = this.headerHave;
      this.headerHave = 0;
      if (verdict === 'control') {
        this.control = Buffer.allocUnsafe(headerBytes + length);
        this.header.copy(this.control, 0, 0, headerBytes);
        this.controlHave = headerBytes;
        if (length === 0) {
          const frame = this.control;
          this.control = undefined;
          if (((frame[0] as number) & 0x0f) === OPCODE_CLOSE) this.closed = true;
          this.sink.control(frame);
        }
        continue;
      }
      this.remaining = length;
    }
  }

  /** Header bytes needed to know the frame's length: 2, then 4 or 10 by the length code. */
  private headerNeeds(): number {
    if (this.headerHave < 2) return 2;
    const len7 = (this.header[1] as number) & 0x7f;
    return len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
  }

  private payloadLength(): number {
    const len7 = (this.header[1] as number) & 0x7f;
    if (len7 === 126) return this.header.readUInt16BE(2);
    if (len7 === 127) {
      const high = this.header.readUInt32BE(2);
      // Lengths of 2^32 and more are refused by judge() before this is asked.
      return high * 2 ** 32 + this.header.readUInt32BE(6);
    }
    return len7;
  }

  private judge(): 'binary' | 'control' | 'refuse' {
    const b0 = this.header[0] as number;
    const b1 = this.header[1] as number;
    const fin = (b0 & 0x80) !== 0;
    const rsv = b0 & 0x70;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    if (rsv !== 0 || masked || !fin) return 'refuse';
    if ((b1 & 0x7f) === 127 && this.header.readUInt32BE(2) !== 0) return 'refuse';
    if (opcode >= 0x8 && opcode <= 0xa) return (b1 & 0x7f) <= 125 ? 'control' : 'refuse';
    if (opcode !== OPCODE_BINARY) return 'refuse';
    return this.payloadLength() <= this.maxPayload ? 'binary' : 'refuse';
  }
}

/** The parts of a `ws` WebSocket the tap uses (not public API; checked before use). */
interface WsInternals {
  _socket?: Socket;
  _receiver?: { write(chunk: Buffer): boolean };
}

/**
 * Call once the WebSocket is open (before its first read): binary frames then go to `onData` as
 * they arrive instead of as 'message' events; control frames and anything not passed through
 * still go through `ws`. Returns false (nothing changed) when `ws` is not laid out as expected.
 */
export function tapBinaryFrames(
  ws: WebSocket,
  maxPayload: number,
  onData: (payload: Buffer, more: boolean) => void,
): boolean {
  const internals = ws as unknown as WsInternals;
  const socket = internals._socket;
  const receiver = internals._receiver;
  if (!socket || !receiver || typeof receiver.write !== 'function') return false;
  const listeners = socket.listeners('data') as ((chunk: Buffer) => void)[];
  if (listeners.length !== 1) return false;
  const wsOnData = listeners[0] as (chunk: Buffer) => void;
  const scanner = new FrameScanner(
    {
      data: onData,
      // As `ws` itself does with a read: a full receiver pauses the socket until it drains.
      control: (frame) => {
        if (!receiver.write(frame)) socket.pause();
      },
      handOver: (rest) => {
        socket.removeListener('data', onSocketData);
        socket.removeListener('close', onSocketClose);
        socket.on('data', wsOnData);
        wsOnData.call(socket, rest);
      },
    },
    maxPayload,
  );
  const onSocketData = (chunk: Buffer) => scanner.push(chunk);
  // `ws` reads what a paused socket still holds when it closes and gives it to its receiver;
  // the scanner must see it first (it may be the middle of a frame).
  const onSocketClose = () => {
    if (scanner.passing && socket.readableLength > 0) {
      const rest = socket.read(socket.readableLength) as Buffer | null;
      if (rest) scanner.push(rest);
    }
  };
  socket.removeListener('data', wsOnData);
  socket.on('data', onSocketData);
  socket.prependListener('close', onSocketClose);
  return true;
}

/** The TCP (or TLS) socket under a `ws` WebSocket, when `ws` is laid out as expected. */
export function socketOf(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as WsInternals)._socket;
  return socket && typeof socket.cork === 'function' ? socket : undefined;
}

/**
 * Writes the pieces of one Proxmox frame to the browser with one system call. A frame that
 * arrives in several reads (eight 16 KiB pieces over TLS, two or three 64 KiB ones without) is
 * forwarded piece by piece as it comes; the browser's socket is corked from a piece with more
 * to come until the piece that ends the frame, or, when the rest is late, until the turn of the
 * event loop ends. A frame that arrives whole, such as a keystroke's echo, is never held.
 */
export class FrameCork {
  private corked = false;

  constructor(private readonly socket: Socket | undefined) {}

  /** Call before writing a piece; `more` as the scanner said. */
  beforeWrite(more: boolean): void {
    const socket = this.socket;
    if (!more || this.corked || !socket) return;
    this.corked = true;
    socket.cork();
    releaseAtTurnEnd(this);
  }

  /** Call after writing a piece: the frame's last piece sends what was held. */
  afterWrite(more: boolean): void {
    if (!more) this.release();
  }

  release(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket?.uncork();
  }
}

/** Corks still held when a turn of the event loop ends (one shared setImmediate per turn). */
let holding: FrameCork[] = [];

function releaseAtTurnEnd(cork: FrameCork): void {
  if (holding.length === 0) setImmediate(releaseHeld);
  holding.push(cork);
}

function releaseHeld(): void {
  const held = holding;
  holding = [];
  for (const cork of held) cork.release();
}
