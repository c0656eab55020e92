// RFB message catalogue and the streaming parser for client→server messages. The parser is shared by
// pve-sim's RFB server and Nexus's console relay: it reports every message with its exact bytes so
// a view-only relay can drop input and forward everything else unchanged, and it rejects anything
// it cannot frame with certainty (unknown type, bad flag, oversized payload) — a relay that guessed
// a length would desynchronise and pass garbage to Proxmox.
import { RfbProtocolError } from './byte-queue';
import { decodePixelFormat, encodePixelFormat, type PixelFormat } from './pixel-format';

export const ClientMessageType = {
  SetPixelFormat: 0,
  SetEncodings: 2,
  FramebufferUpdateRequest: 3,
  KeyEvent: 4,
  PointerEvent: 5,
  ClientCutText: 6,
  EnableContinuousUpdates: 150,
  ClientFence: 248,
  Xvp: 250,
  SetDesktopSize: 251,
  Gii: 253,
  Qemu: 255,
} as const;

export const QemuClientSubtype = { ExtendedKeyEvent: 0, Audio: 1 } as const;
export const QemuAudioOperation = { Enable: 0, Disable: 1, SetFormat: 2 } as const;

export const ServerMessageType = {
  FramebufferUpdate: 0,
  SetColourMapEntries: 1,
  Bell: 2,
  ServerCutText: 3,
  EndOfContinuousUpdates: 150,
  ServerFence: 248,
  Xvp: 250,
  Qemu: 255,
} as const;

/** Encodings and pseudo-encodings (signed 32-bit on the wire), as noVNC 1.7 knows them. */
export const Encoding = {
  Raw: 0,
  CopyRect: 1,
  RRE: 2,
  Hextile: 5,
  Zlib: 6,
  Tight: 7,
  ZRLE: 16,
  JPEG: 21,
  H264: 50,
  TightPNG: -260,
  QualityLevel0: -32,
  QualityLevel9: -23,
  DesktopSize: -223,
  LastRect: -224,
  Cursor: -239,
  CompressLevel9: -247,
  CompressLevel0: -256,
  QemuExtendedKeyEvent: -258,
  QemuAudio: -259,
  QemuLedState: -261,
  DesktopName: -307,
  ExtendedDesktopSize: -308,
  Xvp: -309,
  Fence: -312,
  ContinuousUpdates: -313,
  ExtendedMouseButtons: -316,
  VMwareCursor: 0x574d5664,
  ExtendedClipboard: 0xc0a1e5ce | 0,
} as const;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScreenLayout extends Rect {
  id: number;
  flags: number;
}

export type ClientMessage =
  | { type: 'SetPixelFormat'; pixelFormat: PixelFormat }
  | { type: 'SetEncodings'; encodings: number[] }
  | ({ type: 'FramebufferUpdateRequest'; incremental: boolean } & Rect)
  | { type: 'KeyEvent'; down: boolean; keysym: number }
  /** `extended`: the 7-byte ExtendedMouseButtons form; buttonMask then has up to 9 bits. */
  | { type: 'PointerEvent'; buttonMask: number; x: number; y: number; extended: boolean }
  /** Classic clipboard text, Latin-1 per the RFB spec; `data` is the raw payload. */
  | { type: 'ClientCutText'; text: string; data: Uint8Array }
  /** Extended clipboard (negative length): `flags` then a zlib or capability payload in `data`. */
  | { type: 'ExtendedClientCutText'; flags: number; data: Uint8Array }
  | { type: 'QemuExtendedKeyEvent'; down: boolean; keysym: number; keycode: number }
  | { type: 'QemuAudio'; operation: 'enable' | 'disable' }
  | { type: 'QemuAudio'; operation: 'set-format'; sampleFormat: number; channels: number; frequency: number }
  | ({ type: 'EnableContinuousUpdates'; enable: boolean } & Rect)
  | { type: 'ClientFence'; flags: number; payload: Uint8Array }
  | { type: 'Xvp'; version: number; operation: number }
  | { type: 'SetDesktopSize'; width: number; height: number; screens: ScreenLayout[] }
  | { type: 'Gii'; subtype: number; bigEndian: boolean; payload: Uint8Array };

export type ClientMessageName = ClientMessage['type'];

export interface ParsedClientMessage {
  message: ClientMessage;
  /** The message's exact bytes. Aliases the pushed chunk when the message lay inside one chunk:
   * don't mutate chunks after pushing them. */
  raw: Uint8Array;
  /** Offset of the first byte in the client's byte stream (the message spans offset…offset+raw.length). */
  offset: number;
}

/** Messages that carry the user's input to the guest: a view-only console must drop these. */
export function isInputMessage(message: ClientMessage): boolean {
  switch (message.type) {
    case 'KeyEvent':
    case 'PointerEvent':
    case 'ClientCutText':
    case 'ExtendedClientCutText':
    case 'QemuExtendedKeyEvent':
      return true;
    default:
      return false;
  }
}

/** Input plus messages that act on the guest itself (xvp power operations, resizing its display):
 * everything a view-only session must not pass to Proxmox. */
export function affectsGuest(message: ClientMessage): boolean {
  return isInputMessage(message) || message.type === 'Xvp' || message.type === 'SetDesktopSize';
}

export interface ClientMessageParserOptions {
  /** ClientCutText payload limit in bytes; default 1 MiB, QEMU's own limit. */
  maxCutTextBytes?: number;
  /** SetEncodings entry limit; default 1024 (noVNC sends about 25). */
  maxEncodings?: number;
  /** GII message payload limit; default 4096. */
  maxGiiBytes?: number;
  /** Accept the 7-byte PointerEvent form (marker bit set). Only valid once the server has announced
   * ExtendedMouseButtons (-316); a relay that does not track server messages should instead strip
   * that pseudo-encoding from SetEncodings (see `withoutEncodings`). */
  extendedPointerEvents?: boolean;
}

const MAX_FENCE_PAYLOAD = 64;

/** Streaming parser for client→server messages after the handshake. Feed chunks with `push`; each
 * call returns the messages completed by that chunk. After a RfbProtocolError the parser is dead. */
export class ClientMessageParser {
  extendedPointerEvents: boolean;
  private readonly maxCutTextBytes: number;
  private readonly maxEncodings: number;
  private readonly maxGiiBytes: number;
  private pending: Uint8Array = new Uint8Array(0);
  private pendingLength = 0;
  private streamOffset = 0;
  private failure: RfbProtocolError | undefined;

  constructor(options: ClientMessageParserOptions = {}) {
    this.maxCutTextBytes = options.maxCutTextBytes ?? 1 << 20;
    this.maxEncodings = options.maxEncodings ?? 1024;
    this.maxGiiBytes = options.maxGiiBytes ?? 4096;
    this.extendedPointerEvents = options.extendedPointerEvents ?? false;
  }

  /** Bytes of an incomplete message held back, waiting for more input. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  push(chunk: Uint8Array): ParsedClientMessage[] {
    if (this.failure) throw this.failure;
    try {
      return this.parse(chunk);
    } catch (err) {
      this.failure = err instanceof RfbProtocolError ? err : new RfbProtocolError(String(err));
      throw this.failure;
    }
  }

  private parse(chunk: Uint8Array): ParsedClientMessage[] {
    const out: ParsedClientMessage[] = [];
    let pos = 0;
    // First complete a message left over from earlier chunks, copying only what it needs.
    while (this.pendingLength > 0) {
      const known = this.frameLength(this.pending, 0, this.pendingLength);
      if (known > 0 && this.pendingLength === known) {
        const raw = this.pending.subarray(0, known);
        this.pending = new Uint8Array(0); // `raw` now owns that buffer
        this.pendingLength = 0;
        out.push(this.emit(raw));
        break;
      }
      if (pos === chunk.length) return out;
      const target = known > 0 ? known : -known;
      const take = Math.min(target - this.pendingLength, chunk.length - pos);
      this.appendPending(chunk.subarray(pos, pos + take), Math.max(known, 0));
      pos += take;
    }
    while (pos < chunk.length) {
      const known = this.frameLength(chunk, pos, chunk.length - pos);
      if (known > 0 && pos + known <= chunk.length) {
        out.push(this.emit(chunk.subarray(pos, pos + known)));
        pos += known;
      } else {
        this.appendPending(chunk.subarray(pos), Math.max(known, 0));
        pos = chunk.length;
      }
    }
    return out;
  }

  private appendPending(bytes: Uint8Array, totalLength: number): void {
    const needed = Math.max(this.pendingLength + bytes.length, totalLength);
    if (this.pending.length < needed) {
      const grown = new Uint8Array(Math.max(needed, 16));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLength);
    this.pendingLength += bytes.length;
  }

  private emit(raw: Uint8Array): ParsedClientMessage {
    const parsed = { message: this.decode(raw), raw, offset: this.streamOffset };
    this.streamOffset += raw.length;
    return parsed;
  }

  /** Total length of the message starting at `b[at]` when `avail` bytes are there: a positive length
   * once it can be known, otherwise minus the number of bytes needed to know it. Throws as soon as
   * the available header bytes prove the message malformed. */
  private frameLength(b: Uint8Array, at: number, avail: number): number {
    const type = b[at] as number;
    const u8 = (i: number): number => b[at + i] as number;
    const u16 = (i: number): number => (u8(i) << 8) | u8(i + 1);
    const s32 = (i: number): number => (u8(i) << 24) | (u8(i + 1) << 16) | (u8(i + 2) << 8) | u8(i + 3);
    switch (type) {
      case ClientMessageType.SetPixelFormat:
        return 20;
      case ClientMessageType.SetEncodings: {
        if (avail < 4) return -4;
        const count = u16(2);
        if (count > this.maxEncodings) throw new RfbProtocolError(`SetEncodings with ${count} encodings`);
        return 4 + 4 * count;
      }
      case ClientMessageType.FramebufferUpdateRequest:
        return 10;
      case ClientMessageType.KeyEvent:
        return 8;
      case ClientMessageType.PointerEvent:
        if (!this.extendedPointerEvents) return 6;
        if (avail < 2) return -2;
        return u8(1) & 0x80 ? 7 : 6;
      case ClientMessageType.ClientCutText: {
        if (avail < 8) return -8;
        const length = s32(4);
        const size = length < 0 ? -length : length;
        if (size > this.maxCutTextBytes) {
          throw new RfbProtocolError(`ClientCutText of ${size} bytes exceeds the ${this.maxCutTextBytes}-byte limit`);
        }
        if (length < 0 && size < 4) throw new RfbProtocolError('extended ClientCutText without flags');
        return 8 + size;
      }
      case ClientMessageType.EnableContinuousUpdates:
        return 10;
      case ClientMessageType.ClientFence: {
        if (avail < 9) return -9;
        const length = u8(8);
        if (length > MAX_FENCE_PAYLOAD) throw new RfbProtocolError(`ClientFence payload of ${length} bytes`);
        return 9 + length;
      }
      case ClientMessageType.Xvp:
        return 4;
      case ClientMessageType.SetDesktopSize: {
        if (avail < 7) return -7;
        const screens = u8(6);
        if (screens === 0) throw new RfbProtocolError('SetDesktopSize without screens');
        return 8 + 16 * screens;
      }
      case ClientMessageType.Gii: {
        if (avail < 4) return -4;
        const bigEndian = (u8(1) & 0x80) !== 0;
        const length = bigEndian ? u16(2) : u8(2) | (u8(3) << 8);
        if (length > this.maxGiiBytes) throw new RfbProtocolError(`GII message of ${length} bytes`);
        return 4 + length;
      }
      case ClientMessageType.Qemu: {
        if (avail < 2) return -2;
        const subtype = u8(1);
        if (subtype === QemuClientSubtype.ExtendedKeyEvent) return 12;
        if (subtype !== QemuClientSubtype.Audio) throw new RfbProtocolError(`unknown QEMU client message ${subtype}`);
        if (avail < 4) return -4;
        const operation = u16(2);
        if (operation === QemuAudioOperation.Enable || operation === QemuAudioOperation.Disable) return 4;
        if (operation === QemuAudioOperation.SetFormat) return 10;
        throw new RfbProtocolError(`unknown QEMU audio operation ${operation}`);
      }
      default:
        throw new RfbProtocolError(`unknown client message type ${type}`);
    }
  }

  /** Decodes one complete message (its length already checked by frameLength). */
  private decode(raw: Uint8Array): ClientMessage {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const flag = (at: number, what: string): boolean => {
      const v = view.getUint8(at);
      if (v > 1) throw new RfbProtocolError(`${what} flag is ${v}, not 0 or 1`);
      return v === 1;
    };
    const rect = (at: number): Rect => ({
      x: view.getUint16(at),
      y: view.getUint16(at + 2),
      width: view.getUint16(at + 4),
      height: view.getUint16(at + 6),
    });
    switch (raw[0]) {
      case ClientMessageType.SetPixelFormat:
        return { type: 'SetPixelFormat', pixelFormat: decodePixelFormat(raw, 4) };
      case ClientMessageType.SetEncodings: {
        const encodings: number[] = [];
        for (let at = 4; at < raw.length; at += 4) encodings.push(view.getInt32(at));
        return { type: 'SetEncodings', encodings };
      }
      case ClientMessageType.FramebufferUpdateRequest:
        return { type: 'FramebufferUpdateRequest', incremental: flag(1, 'incremental'), ...rect(2) };
      case ClientMessageType.KeyEvent:
        return { type: 'KeyEvent', down: flag(1, 'down'), keysym: view.getUint32(4) };
      case ClientMessageType.PointerEvent: {
        const low = view.getUint8(1);
        const extended = raw.length === 7;
        if (extended && view.getUint8(6) & 0xfc) throw new RfbProtocolError('reserved pointer button bits set');
        const buttonMask = extended ? (low & 0x7f) | (view.getUint8(6) << 7) : low;
        return { type: 'PointerEvent', buttonMask, x: view.getUint16(2), y: view.getUint16(4), extended };
      }
      case ClientMessageType.ClientCutText: {
        if (view.getInt32(4) >= 0) {
          const data = raw.subarray(8);
          return { type: 'ClientCutText', text: latin1Decode(data), data };
        }
        return { type: 'ExtendedClientCutText', flags: view.getUint32(8), data: raw.subarray(12) };
      }
      case ClientMessageType.EnableContinuousUpdates:
        return { type: 'EnableContinuousUpdates', enable: flag(1, 'enable'), ...rect(2) };
      case ClientMessageType.ClientFence:
        return { type: 'ClientFence', flags: view.getUint32(4), payload: raw.subarray(9) };
      case ClientMessageType.Xvp:
        return { type: 'Xvp', version: view.getUint8(2), operation: view.getUint8(3) };
      case ClientMessageType.SetDesktopSize: {
        const screens: ScreenLayout[] = [];
        for (let at = 8; at < raw.length; at += 16) {
          screens.push({ id: view.getUint32(at), ...rect(at + 4), flags: view.getUint32(at + 12) });
        }
        return { type: 'SetDesktopSize', width: view.getUint16(2), height: view.getUint16(4), screens };
      }
      case ClientMessageType.Gii: {
        const header = view.getUint8(1);
        return {
          type: 'Gii',
          subtype: header & 0x7f,
          bigEndian: (header & 0x80) !== 0,
          payload: raw.subarray(4),
        };
      }
      case ClientMessageType.Qemu: {
        if (raw[1] === QemuClientSubtype.ExtendedKeyEvent) {
          const down = view.getUint16(2);
          if (down > 1) throw new RfbProtocolError(`QEMU key event down flag is ${down}, not 0 or 1`);
          return {
            type: 'QemuExtendedKeyEvent',
            down: down === 1,
            keysym: view.getUint32(4),
            keycode: view.getUint32(8),
          };
        }
        const operation = view.getUint16(2);
        if (operation === QemuAudioOperation.SetFormat) {
          return {
            type: 'QemuAudio',
            operation: 'set-format',
            sampleFormat: view.getUint8(4),
            channels: view.getUint8(5),
            frequency: view.getUint32(6),
          };
        }
        return {
          type: 'QemuAudio',
          operation: operation === QemuAudioOperation.Enable ? 'enable' : 'disable',
        };
      }
      default:
        throw new RfbProtocolError(`unknown client message type ${raw[0]}`);
    }
  }
}

/** RFB clipboard text is ISO 8859-1. */
export function latin1Decode(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

/** ISO 8859-1 bytes of `text`; characters outside Latin-1 become '?'. */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[i] = code < 256 ? code : 0x3f;
  }
  return out;
}

/** Encodes one client message to its wire form (the inverse of the parser). */
export function encodeClientMessage(message: ClientMessage): Uint8Array {
  const writer = (length: number): [Uint8Array, DataView] => {
    const bytes = new Uint8Array(length);
    return [bytes, new DataView(bytes.buffer)];
  };
  const putRect = (view: DataView, at: number, r: Rect): void => {
    view.setUint16(at, r.x);
    view.setUint16(at + 2, r.y);
    view.setUint16(at + 4, r.width);
    view.setUint16(at + 6, r.height);
  };
  switch (message.type) {
    case 'SetPixelFormat': {
      const [bytes] = writer(20);
      bytes[0] = ClientMessageType.SetPixelFormat;
      encodePixelFormat(message.pixelFormat, bytes, 4);
      return bytes;
    }
    case 'SetEncodings': {
      const [bytes, view] = writer(4 + 4 * message.encodings.length);
      bytes[0] = ClientMessageType.SetEncodings;
      view.setUint16(2, message.encodings.length);
      message.encodings.forEach((e, i) => {
        view.setInt32(4 + 4 * i, e);
      });
      return bytes;
    }
    case 'FramebufferUpdateRequest': {
      const [bytes, view] = writer(10);
      bytes[0] = ClientMessageType.FramebufferUpdateRequest;
      bytes[1] = message.incremental ? 1 : 0;
      putRect(view, 2, message);
      return bytes;
    }
    case 'KeyEvent': {
      const [bytes, view] = writer(8);
      bytes[0] = ClientMessageType.KeyEvent;
      bytes[1] = message.down ? 1 : 0;
      view.setUint32(4, message.keysym);
      return bytes;
    }
    case 'PointerEvent': {
      const [bytes, view] = writer(message.extended ? 7 : 6);
      bytes[0] = ClientMessageType.PointerEvent;
      bytes[1] = message.extended ? (message.buttonMask & 0x7f) | 0x80 : message.buttonMask;
      view.setUint16(2, message.x);
      view.setUint16(4, message.y);
      if (message.extended) bytes[6] = (message.buttonMask >> 7) & 0x03;
      return bytes;
    }
    case 'ClientCutText': {
      const [bytes, view] = writer(8 + message.data.length);
      bytes[0] = ClientMessageType.ClientCutText;
      view.setUint32(4, message.data.length);
      bytes.set(message.data, 8);
      return bytes;
    }
    case 'ExtendedClientCutText': {
      const [bytes, view] = writer(12 + message.data.length);
      bytes[0] = ClientMessageType.ClientCutText;
      view.setInt32(4, -(4 + message.data.length));
      view.setUint32(8, message.flags);
      bytes.set(message.data, 12);
      return bytes;
    }
    case 'QemuExtendedKeyEvent': {
      const [bytes, view] = writer(12);
      bytes[0] = ClientMessageType.Qemu;
      bytes[1] = QemuClientSubtype.ExtendedKeyEvent;
      view.setUint16(2, message.down ? 1 : 0);
      view.setUint32(4, message.keysym);
      view.setUint32(8, message.keycode);
      return bytes;
    }
    case 'QemuAudio': {
      const [bytes, view] = writer(message.operation === 'set-format' ? 10 : 4);
      bytes[0] = ClientMessageType.Qemu;
      bytes[1] = QemuClientSubtype.Audio;
      if (message.operation === 'set-format') {
        view.setUint16(2, QemuAudioOperation.SetFormat);
        bytes[4] = message.sampleFormat;
        bytes[5] = message.channels;
        view.setUint32(6, message.frequency);
      } else {
        view.setUint16(2, message.operation === 'enable' ? QemuAudioOperation.Enable : QemuAudioOperation.Disable);
      }
      return bytes;
    }
    case 'EnableContinuousUpdates': {
      const [bytes, view] = writer(10);
      bytes[0] = ClientMessageType.EnableContinuousUpdates;
      bytes[1] = message.enable ? 1 : 0;
      putRect(view, 2, message);
      return bytes;
    }
    case 'ClientFence': {
      const [bytes, view] = writer(9 + message.payload.length);
      bytes[0] = ClientMessageType.ClientFence;
      view.setUint32(4, message.flags);
      bytes[8] = message.payload.length;
      bytes.set(message.payload, 9);
      return bytes;
    }
    case 'Xvp':
      return Uint8Array.of(ClientMessageType.Xvp, 0, message.version, message.operation);
    case 'SetDesktopSize': {
      const [bytes, view] = writer(8 + 16 * message.screens.length);
      bytes[0] = ClientMessageType.SetDesktopSize;
      view.setUint16(2, message.width);
      view.setUint16(4, message.height);
      bytes[6] = message.screens.length;
      message.screens.forEach((s, i) => {
        const at = 8 + 16 * i;
        view.setUint32(at, s.id);
        putRect(view, at + 4, s);
        view.setUint32(at + 12, s.flags);
      });
      return bytes;
    }
    case 'Gii': {
      const [bytes, view] = writer(4 + message.payload.length);
      bytes[0] = ClientMessageType.Gii;
      bytes[1] = (message.subtype & 0x7f) | (message.bigEndian ? 0x80 : 0);
      view.setUint16(2, message.payload.length, !message.bigEndian);
      bytes.set(message.payload, 4);
      return bytes;
    }
  }
}

/** A SetEncodings message with some encodings removed — for relays that must keep the server from
 * switching on extensions that would change client message framing (ExtendedMouseButtons). */
export function withoutEncodings(
  message: Extract<ClientMessage, { type: 'SetEncodings' }>,
  remove: readonly number[],
): Uint8Array {
  return encodeClientMessage({
    type: 'SetEncodings',
    encodings: message.encodings.filter((e) => !remove.includes(e)),
  });
}

// Server→client building blocks (pve-sim's server; tests).

/** FramebufferUpdate header announcing `rectangles` rectangles. */
export function encodeFramebufferUpdateHeader(rectangles: number): Uint8Array {
  return Uint8Array.of(ServerMessageType.FramebufferUpdate, 0, (rectangles >> 8) & 255, rectangles & 255);
}

/** One rectangle header (12 bytes) written into `out` at `offset`. */
export function writeRectHeader(out: Uint8Array, offset: number, r: Rect, encoding: number): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, 12);
  view.setUint16(0, r.x);
  view.setUint16(2, r.y);
  view.setUint16(4, r.width);
  view.setUint16(6, r.height);
  view.setInt32(8, encoding);
}

/** ServerCutText with Latin-1 text. */
export function encodeServerCutText(text: string): Uint8Array {
  const data = latin1Encode(text);
  const out = new Uint8Array(8 + data.length);
  out[0] = ServerMessageType.ServerCutText;
  new DataView(out.buffer).setUint32(4, data.length);
  out.set(data, 8);
  return out;
}
