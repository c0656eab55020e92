// WebSocket frames by hand (RFC 6455 §5.2), for the test clients that must send what `ws` never
// would (unmasked, fragmented, reserved bits, any opcode) and see every frame the server sends.
import { randomBytes } from 'node:crypto';

export interface FrameOptions {
  fin?: boolean;
  /** Mask the payload, as clients must (default true). */
  mask?: boolean;
  /** RSV1–3 bits (0–7). */
  rsv?: number;
}

/** One frame exactly as described. */
export function encodeFrame(opcode: number, payload: Uint8Array, opts: FrameOptions = {}): Buffer {
  const fin = opts.fin ?? true;
  const mask = opts.mask ?? true;
  const len = payload.length;
  const first = (fin ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode;
  const maskBit = mask ? 0x80 : 0;
  let header: Buffer;
  if (len < 126) header = Buffer.from([first, maskBit | len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (key[i & 3] as number);
  return Buffer.concat([header, key, body]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  /** A copy: it outlives the buffer it came from. */
  payload: Buffer;
}

/** The complete (unmasked, server-sent) frames at the front of `buffer`, and the bytes after them. */
export function takeFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let b = buffer;
  for (;;) {
    if (b.length < 2) break;
    let len = (b[1] as number) & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (b.length < 4) break;
      len = b.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (b.length < 10) break;
      len = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    if (b.length < offset + len) break;
    const first = b[0] as number;
    frames.push({
      fin: (first & 0x80) !== 0,
      opcode: first & 0x0f,
      payload: Buffer.from(b.subarray(offset, offset + len)),
    });
    b = b.subarray(offset + len);
  }
  return { frames, rest: b };
}
