// RFB 3.8 handshake (RFC 6143 §7.1–7.3): encoders for each step and incremental readers for both
// directions. Nexus's relay uses ServerHandshakeReader against Proxmox and ClientHandshakeReader
// against the browser; pve-sim uses them for its server, its QEMU bridge and its test client.
import { ByteQueue, RfbProtocolError } from './byte-queue';
import { decodePixelFormat, encodePixelFormat, PIXEL_FORMAT_LENGTH, type PixelFormat } from './pixel-format';

export const RFB_VERSION_LENGTH = 12;
export const VNC_AUTH_CHALLENGE_LENGTH = 16;

export const SecurityType = {
  Invalid: 0,
  None: 1,
  VncAuth: 2,
  RA2: 5,
  RA2ne: 6,
  Tight: 16,
  VeNCrypt: 19,
  XVP: 22,
  ARD: 30,
  MSLogonII: 113,
} as const;

export interface ProtocolVersion {
  major: number;
  minor: number;
}

export const RFB_3_8: Readonly<ProtocolVersion> = Object.freeze({ major: 3, minor: 8 });

export interface ServerInit {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  name: string;
}

export type SecurityTypesResult = { ok: true; types: number[] } | { ok: false; reason: string };
export type SecurityResult = { ok: true } | { ok: false; reason: string };

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Parses the 12-byte `RFB xxx.yyy\n`; throws RfbProtocolError on anything else. */
export function parseProtocolVersion(bytes: Uint8Array): ProtocolVersion {
  const text = String.fromCharCode(...bytes.subarray(0, RFB_VERSION_LENGTH));
  const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(text);
  if (bytes.length !== RFB_VERSION_LENGTH || !match) {
    throw new RfbProtocolError(`malformed protocol version ${JSON.stringify(text)}`);
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function encodeProtocolVersion(version: ProtocolVersion = RFB_3_8): Uint8Array {
  const pad = (n: number): string => String(n).padStart(3, '0');
  return utf8.encode(`RFB ${pad(version.major)}.${pad(version.minor)}\n`);
}

function withReason(head: number[], reason: string): Uint8Array {
  const text = utf8.encode(reason);
  const out = new Uint8Array(head.length + 4 + text.length);
  out.set(head);
  new DataView(out.buffer).setUint32(head.length, text.length);
  out.set(text, head.length + 4);
  return out;
}

/** The server's list of security types (RFB 3.7+). */
export function encodeSecurityTypes(types: readonly number[]): Uint8Array {
  if (types.length === 0 || types.length > 255) throw new RangeError('1 to 255 security types');
  return Uint8Array.of(types.length, ...types);
}

/** A server refusing the connection before security negotiation: zero types and a reason. */
export function encodeSecurityTypesFailure(reason: string): Uint8Array {
  return withReason([0], reason);
}

/** SecurityResult: OK without a reason, failed (1) with one (the RFB 3.8 form). */
export function encodeSecurityResult(failureReason?: string): Uint8Array {
  return failureReason === undefined ? new Uint8Array(4) : withReason([0, 0, 0, 1], failureReason);
}

/** ServerInit; the name is sent as UTF-8, which is what noVNC decodes. */
export function encodeServerInit(init: ServerInit): Uint8Array {
  const name = utf8.encode(init.name);
  const out = new Uint8Array(24 + name.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, init.width);
  view.setUint16(2, init.height);
  encodePixelFormat(init.pixelFormat, out, 4);
  view.setUint32(20, name.length);
  out.set(name, 24);
  return out;
}

export interface HandshakeReaderLimits {
  /** Longest failure reason accepted; default 64 KiB. */
  maxReasonBytes?: number;
  /** Longest desktop name accepted; default 64 KiB. */
  maxNameBytes?: number;
}

abstract class HandshakeReader {
  /** `queue` may be shared with another reader of the same stream (e.g. an async stream reader). */
  constructor(protected readonly queue: ByteQueue = new ByteQueue()) {}

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Bytes buffered beyond what the handshake consumed (e.g. the first messages of the session). */
  takeRemaining(): Uint8Array {
    return this.queue.readAll();
  }

  get bufferedBytes(): number {
    return this.queue.length;
  }

  protected u32At(index: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) v = v * 256 + this.queue.peekByte(index + i);
    return v;
  }

  protected version(): ProtocolVersion | undefined {
    const bytes = this.queue.read(RFB_VERSION_LENGTH);
    return bytes && parseProtocolVersion(bytes);
  }
}

/** Reads, step by step, what an RFB 3.8 server sends during the handshake. Each method returns
 * undefined until enough bytes are buffered (consuming nothing), then consumes that step. */
export class ServerHandshakeReader extends HandshakeReader {
  private readonly maxReasonBytes: number;
  private readonly maxNameBytes: number;

  constructor(limits: HandshakeReaderLimits = {}, queue?: ByteQueue) {
    super(queue);
    this.maxReasonBytes = limits.maxReasonBytes ?? 65536;
    this.maxNameBytes = limits.maxNameBytes ?? 65536;
  }

  protocolVersion(): ProtocolVersion | undefined {
    return this.version();
  }

  securityTypes(): SecurityTypesResult | undefined {
    if (this.queue.length < 1) return undefined;
    const count = this.queue.peekByte(0);
    if (count === 0) {
      const reason = this.reasonAt(1);
      return reason === undefined ? undefined : { ok: false, reason };
    }
    const bytes = this.queue.read(1 + count);
    return bytes && { ok: true, types: Array.from(bytes.subarray(1)) };
  }

  vncAuthChallenge(): Uint8Array | undefined {
    return this.queue.read(VNC_AUTH_CHALLENGE_LENGTH)?.slice();
  }

  /** SecurityResult in the RFB 3.8 form (a failure carries a reason). */
  securityResult(): SecurityResult | undefined {
    if (this.queue.length < 4) return undefined;
    const status = this.u32At(0);
    if (status === 0) {
      this.queue.read(4);
      return { ok: true };
    }
    if (status !== 1 && status !== 2) throw new RfbProtocolError(`unknown SecurityResult ${status}`);
    const reason = this.reasonAt(4);
    return reason === undefined ? undefined : { ok: false, reason };
  }

  /** ServerInit, with `raw` holding its exact bytes for relays that forward it unchanged. */
  serverInit(): (ServerInit & { raw: Uint8Array }) | undefined {
    if (this.queue.length < 24) return undefined;
    const nameLength = this.u32At(20);
    if (nameLength > this.maxNameBytes) throw new RfbProtocolError(`desktop name of ${nameLength} bytes`);
    const raw = this.queue.read(24 + nameLength)?.slice();
    if (!raw) return undefined;
    // `raw` may be a Node Buffer (whose slice() is a view into a shared pool): mind the offset.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return {
      width: view.getUint16(0),
      height: view.getUint16(2),
      pixelFormat: decodePixelFormat(raw, 4),
      name: utf8Decoder.decode(raw.subarray(4 + PIXEL_FORMAT_LENGTH + 4)),
      raw,
    };
  }

  /** A u32-length-prefixed UTF-8 reason starting at `index`; consumes through its end. */
  private reasonAt(index: number): string | undefined {
    if (this.queue.length < index + 4) return undefined;
    const length = this.u32At(index);
    if (length > this.maxReasonBytes) throw new RfbProtocolError(`failure reason of ${length} bytes`);
    const bytes = this.queue.read(index + 4 + length);
    return bytes && utf8Decoder.decode(bytes.subarray(index + 4));
  }
}

/** Reads, step by step, what an RFB client sends during the handshake (server side). */
export class ClientHandshakeReader extends HandshakeReader {
  protocolVersion(): ProtocolVersion | undefined {
    return this.version();
  }

  /** The security type the client chose (one byte). */
  securityType(): number | undefined {
    return this.queue.read(1)?.[0];
  }

  vncAuthResponse(): Uint8Array | undefined {
    return this.queue.read(VNC_AUTH_CHALLENGE_LENGTH)?.slice();
  }

  /** ClientInit: whether the client asks to share the desktop with other clients. */
  clientInit(): { shared: boolean } | undefined {
    const bytes = this.queue.read(1);
    return bytes && { shared: bytes[0] !== 0 };
  }
}
