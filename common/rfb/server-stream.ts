// Message boundaries in the server→client RFB stream, found without copying or decoding pixels:
// the console relay feeds it every byte Proxmox sends after ServerInit, so that it knows where one
// message ends and the next begins (a re-attached browser must start at a boundary), the current
// framebuffer size and pixel format (its ServerInit), and which messages carry zlib data (their
// compressor's state lives on in Proxmox, so a fresh client cannot decode them). Payloads are
// counted and skipped; only headers (at most a palette or a screen list) are buffered.
//
// Written here rather than taken from noVNC: noVNC's decoders decode (they need a canvas and keep
// the pixels), and a relay needs lengths only.
import { RfbProtocolError } from './byte-queue';
import { decodePixelFormat, type PixelFormat } from './pixel-format';
import { Encoding, ServerMessageType } from './rfb-messages';

/** Encodings whose data passes through a zlib stream that lives as long as the connection. */
export const ZLIB_ENCODINGS: ReadonlySet<number> = new Set<number>([
  Encoding.Zlib,
  Encoding.Tight,
  Encoding.ZRLE,
  Encoding.TightPNG,
]);

/** Encodings that paint pixels (CopyRect moves them). */
const PAINTING: ReadonlySet<number> = new Set<number>([
  Encoding.Raw,
  Encoding.RRE,
  Encoding.Hextile,
  ...ZLIB_ENCODINGS,
]);

/** Encodings the scanner can frame; a relay offers Proxmox nothing else (SetEncodings). */
export const FRAMED_ENCODINGS: ReadonlySet<number> = new Set<number>([
  ...PAINTING,
  Encoding.CopyRect,
  Encoding.DesktopSize,
  Encoding.LastRect,
  Encoding.Cursor,
  Encoding.QemuExtendedKeyEvent,
  Encoding.QemuAudio,
  Encoding.QemuLedState,
  Encoding.DesktopName,
  Encoding.ExtendedDesktopSize,
  Encoding.Xvp,
  Encoding.Fence,
  Encoding.ContinuousUpdates,
  Encoding.ExtendedClipboard,
  // Not ExtendedMouseButtons: its 7-byte pointer events change the client's framing, which the
  // relay's parser cannot follow (the scanner still frames the server's acknowledgement).
]);

/** Whether a SetEncodings entry is a framed encoding or a level (quality, compression) hint. */
export function isFramedEncoding(encoding: number): boolean {
  const level =
    (encoding >= Encoding.QualityLevel0 && encoding <= Encoding.QualityLevel9) ||
    (encoding >= Encoding.CompressLevel0 && encoding <= Encoding.CompressLevel9);
  return level || FRAMED_ENCODINGS.has(encoding);
}

/** What one whole server message was. */
export interface ScannedMessage {
  type: number;
  /** A rectangle of it used a connection-long zlib stream (Tight basic, zlib, ZRLE). */
  zlib: boolean;
  /** Pixel rectangles in an encoding without such a stream (Raw, RRE, Hextile; not CopyRect,
   * which a server sends beside any encoding). */
  plainPixels: boolean;
  /** Pixels its rectangles paint (not CopyRect): a message painting the whole screen is a
   * whole picture (a recording's keyframe is confirmed by one). */
  area: number;
}

/** Largest payload one message may announce (cut text, audio, a zlib block). */
const MAX_PAYLOAD = 64 * 1024 * 1024;

const QEMU_AUDIO = 1;
const QEMU_AUDIO_DATA = 2;
const HEXTILE_RAW = 1;
const HEXTILE_BACKGROUND = 2;
const HEXTILE_FOREGROUND = 4;
const HEXTILE_ANY_SUBRECTS = 8;
const HEXTILE_SUBRECTS_COLOURED = 16;
const TIGHT_FILL = 8;
const TIGHT_JPEG = 9;
const TIGHT_PNG = 10;
const TIGHT_FILTER_PALETTE = 1;
const TIGHT_FILTER_GRADIENT = 2;
const VMWARE_LED_STATE = 0x574d5668;
const VMWARE_PIXEL_FORMAT = 0x574d5669;

/** What the scanner waits for: `need` header bytes, then `then` reads them. */
type Step = (header: DataView) => void;

export class ServerStreamScanner {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  private header = new Uint8Array(64);
  /** The header as the steps read it (from offset 0; each reads only what it asked for). */
  private headerView = new DataView(this.header.buffer);
  private have = 0;
  private need = 1;
  private step: Step;
  private skip = 0;
  /** Runs when a skipped payload is through. */
  private afterSkip: (() => void) | undefined;
  private inMessage = false;
  private message: ScannedMessage = { type: 0, zlib: false, plainPixels: false, area: 0 };
  private rectsLeft = 0;
  private rect = { x: 0, y: 0, width: 0, height: 0 };
  private tiles = { left: 0, column: 0, row: 0, columns: 0 };
  private tightRowBytes = 0;
  private compactLength = 0;
  private compactShift = 0;
  private onEnd: ((end: number, message: ScannedMessage) => void) | undefined;
  private offset = 0;
  /** Where the last pushed chunk first met a message boundary: 0 when it began at one, else the
   * offset just past the first message that ended in it, or -1 (a recording's keyframe cut). */
  firstBoundary = -1;
  /** The most pixels a FramebufferUpdate that ended in the last pushed chunk painted: of all of
   * them, and of those after `firstBoundary` (a keyframe's whole picture). */
  largestUpdate = 0;
  largestUpdateAfterFirstBoundary = 0;

  constructor(init: { width: number; height: number; pixelFormat: PixelFormat }) {
    this.width = init.width;
    this.height = init.height;
    this.pixelFormat = init.pixelFormat;
    this.step = this.messageType;
  }

  /** Between two messages (nothing of the next one seen yet). */
  get atBoundary(): boolean {
    return !this.inMessage;
  }

  /** The client's SetPixelFormat: the server uses it for what it encodes after. */
  setPixelFormat(pixelFormat: PixelFormat): void {
    this.pixelFormat = pixelFormat;
  }

  /** Consumes `chunk`; `onEnd` hears of each message that ends in it, with the offset just past
   * its last byte. Throws RfbProtocolError on anything it cannot frame. */
  push(chunk: Uint8Array, onEnd?: (end: number, message: ScannedMessage) => void): void {
    this.onEnd = onEnd;
    this.firstBoundary = this.inMessage ? -1 : 0;
    this.largestUpdate = 0;
    this.largestUpdateAfterFirstBoundary = 0;
    let at = 0;
    const length = chunk.length;
    while (at < length) {
      this.inMessage = true;
      if (this.skip > 0) {
        const take = Math.min(this.skip, length - at);
        this.skip -= take;
        at += take;
        if (this.skip === 0) {
          const next = this.afterSkip as () => void;
          this.afterSkip = undefined;
          this.offset = at;
          next();
        }
        continue;
      }
      // Headers are a few bytes: copied by hand, with no view of the chunk made per header.
      const take = Math.min(this.need - this.have, length - at);
      const header = this.header;
      for (let i = 0; i < take; i++) header[this.have + i] = chunk[at + i] as number;
      this.have += take;
      at += take;
      if (this.have < this.need) break;
      this.have = 0;
      this.offset = at;
      this.step(this.headerView);
    }
    this.onEnd = undefined;
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  private expect(bytes: number, step: Step): void {
    if (bytes > this.header.length) {
      this.header = new Uint8Array(Math.max(bytes, this.header.length * 2));
      this.headerView = new DataView(this.header.buffer);
    }
    this.need = bytes;
    this.step = step;
  }

  /** A header of `bytes` that says how much payload follows (`length`), then `next`. */
  private headerThenSkip(bytes: number, length: (header: DataView) => number, next: () => void): void {
    this.expect(bytes, (u) => this.skipThen(length(u), next));
  }

  /** Skips `bytes` of payload, then runs `next` (at once when there is nothing to skip). */
  private skipThen(bytes: number, next: () => void): void {
    if (bytes > MAX_PAYLOAD) throw new RfbProtocolError(`server message announces ${bytes} bytes`);
    if (bytes === 0) {
      next();
      return;
    }
    this.skip = bytes;
    this.afterSkip = next;
  }

  private endMessage = (): void => {
    const message = this.message;
    this.message = { type: 0, zlib: false, plainPixels: false, area: 0 };
    this.inMessage = false;
    this.expect(1, this.messageType);
    if (message.type === 0 && message.area > this.largestUpdate) {
      this.largestUpdate = message.area;
      if (this.firstBoundary >= 0) this.largestUpdateAfterFirstBoundary = message.area;
    }
    if (this.firstBoundary < 0) this.firstBoundary = this.offset;
    this.onEnd?.(this.offset, message);
  };

  private get bytesPerPixel(): number {
    return this.pixelFormat.bitsPerPixel >> 3;
  }

  /** Tight's TPIXEL: 3 bytes for 32-bit true colour of depth 24, else a whole pixel. */
  private get tightPixelBytes(): number {
    const pf = this.pixelFormat;
    const packed =
      pf.bitsPerPixel === 32 && pf.depth === 24 && pf.trueColour && pf.redMax === 255 && pf.greenMax === 255;
    return packed && pf.blueMax === 255 ? 3 : this.bytesPerPixel;
  }

  // ---- messages ---------------------------------------------------------------------------------

  private messageType: Step = (h) => {
    const type = h.getUint8(0);
    this.message.type = type;
    switch (type) {
      case ServerMessageType.FramebufferUpdate:
        this.expect(3, this.updateHeader);
        return;
      case ServerMessageType.SetColourMapEntries:
        this.headerThenSkip(5, (u) => 6 * u.getUint16(3), this.endMessage);
        return;
      case ServerMessageType.Bell:
      case ServerMessageType.EndOfContinuousUpdates:
        this.endMessage();
        return;
      case ServerMessageType.ServerCutText:
        // A negative length is the extended clipboard's (its size is the absolute value).
        this.headerThenSkip(7, (u) => Math.abs(u.getInt32(3)), this.endMessage);
        return;
      case ServerMessageType.ServerFence:
        this.headerThenSkip(8, (u) => u.getUint8(7), this.endMessage);
        return;
      case ServerMessageType.Xvp:
        this.expect(3, this.endMessage);
        return;
      case ServerMessageType.Qemu:
        this.expect(1, (u) => {
          if (u.getUint8(0) !== QEMU_AUDIO) throw new RfbProtocolError(`unknown QEMU server message ${u.getUint8(0)}`);
          this.expect(2, (op) => {
            if (op.getUint16(0) !== QEMU_AUDIO_DATA) {
              this.endMessage();
              return;
            }
            this.expect(4, (len) => this.skipThen(len.getUint32(0), this.endMessage));
          });
        });
        return;
      default:
        throw new RfbProtocolError(`unknown server message type ${type}`);
    }
  };

  /** FramebufferUpdate: padding, the number of rectangles. */
  private updateHeader: Step = (u) => {
    this.rectsLeft = u.getUint16(1);
    this.nextRect();
  };

  private nextRect = (): void => {
    if (this.rectsLeft === 0) {
      this.endMessage();
      return;
    }
    this.rectsLeft--;
    this.expect(12, this.rectHeader);
  };

  private rectHeader: Step = (h) => {
    const rect = this.rect;
    rect.x = h.getUint16(0);
    rect.y = h.getUint16(2);
    rect.width = h.getUint16(4);
    rect.height = h.getUint16(6);
    const encoding = h.getInt32(8);
    const bpp = this.bytesPerPixel;
    const pixels = rect.width * rect.height;
    if (PAINTING.has(encoding)) this.message.area += pixels;
    switch (encoding) {
      case Encoding.Raw:
        this.message.plainPixels = true;
        this.skipThen(pixels * bpp, this.nextRect);
        return;
      case Encoding.CopyRect:
        this.skipThen(4, this.nextRect);
        return;
      case Encoding.RRE:
        this.message.plainPixels = true;
        this.expect(4 + bpp, (u) => this.skipThen(u.getUint32(0) * (bpp + 8), this.nextRect));
        return;
      case Encoding.Hextile:
        this.message.plainPixels = true;
        this.startTiles();
        return;
      case Encoding.Zlib:
      case Encoding.ZRLE:
        this.message.zlib = true;
        this.headerThenSkip(4, (u) => u.getUint32(0), this.nextRect);
        return;
      case Encoding.Tight:
      case Encoding.TightPNG:
        this.expect(1, this.tightControl);
        return;
      case Encoding.Cursor:
        this.skipThen(pixels * bpp + Math.ceil(rect.width / 8) * rect.height, this.nextRect);
        return;
      case Encoding.DesktopSize:
        this.resize();
        this.nextRect();
        return;
      case Encoding.ExtendedDesktopSize:
        // x = 1 with a non-zero status answers a refused SetDesktopSize: the size stays.
        if (!(rect.x === 1 && rect.y !== 0)) this.resize();
        this.headerThenSkip(4, (u) => 16 * u.getUint8(0), this.nextRect);
        return;
      case Encoding.LastRect:
        this.rectsLeft = 0;
        this.nextRect();
        return;
      case Encoding.DesktopName:
        this.headerThenSkip(4, (u) => u.getUint32(0), this.nextRect);
        return;
      case Encoding.QemuLedState:
        this.skipThen(1, this.nextRect);
        return;
      case VMWARE_LED_STATE:
        this.skipThen(4, this.nextRect);
        return;
      case VMWARE_PIXEL_FORMAT:
        this.expect(16, (u) => {
          this.pixelFormat = decodePixelFormat(new Uint8Array(u.buffer, u.byteOffset, 16));
          this.nextRect();
        });
        return;
      case Encoding.QemuExtendedKeyEvent:
      case Encoding.QemuAudio:
      case Encoding.ExtendedMouseButtons:
      case Encoding.Xvp:
      case Encoding.Fence:
      case Encoding.ContinuousUpdates:
      case -257: // PointerTypeChange (QEMU)
        this.nextRect();
        return;
      default:
        throw new RfbProtocolError(`cannot frame server encoding ${encoding}`);
    }
  };

  private resize(): void {
    this.width = this.rect.width;
    this.height = this.rect.height;
  }

  // ---- Hextile: 16×16 tiles, each with a subencoding byte ---------------------------------------

  private startTiles(): void {
    const columns = Math.ceil(this.rect.width / 16);
    this.tiles = { left: columns * Math.ceil(this.rect.height / 16), column: 0, row: 0, columns };
    this.nextTile();
  }

  private nextTile = (): void => {
    if (this.tiles.left === 0) {
      this.nextRect();
      return;
    }
    this.expect(1, this.tileSubencoding);
  };

  private tileSubencoding: Step = (h) => {
    const sub = h.getUint8(0);
    const tiles = this.tiles;
    const tileWidth = Math.min(16, this.rect.width - tiles.column * 16);
    const tileHeight = Math.min(16, this.rect.height - tiles.row * 16);
    tiles.left--;
    if (++tiles.column === tiles.columns) {
      tiles.column = 0;
      tiles.row++;
    }
    const bpp = this.bytesPerPixel;
    if (sub & HEXTILE_RAW) {
      this.skipThen(tileWidth * tileHeight * bpp, this.nextTile);
      return;
    }
    const colours = (sub & HEXTILE_BACKGROUND ? bpp : 0) + (sub & HEXTILE_FOREGROUND ? bpp : 0);
    if (!(sub & HEXTILE_ANY_SUBRECTS)) {
      this.skipThen(colours, this.nextTile);
      return;
    }
    const subrectBytes = sub & HEXTILE_SUBRECTS_COLOURED ? bpp + 2 : 2;
    this.expect(colours + 1, (u) => this.skipThen(u.getUint8(colours) * subrectBytes, this.nextTile));
  };

  // ---- Tight: a control byte, then fill, JPEG, PNG or basic (zlib) data ---------------------------

  private tightControl: Step = (h) => {
    const control = h.getUint8(0) >> 4;
    const pixel = this.tightPixelBytes;
    if (control === TIGHT_FILL) {
      this.skipThen(pixel, this.nextRect);
      return;
    }
    if (control === TIGHT_JPEG || control === TIGHT_PNG) {
      this.readCompactLength();
      return;
    }
    if (control > TIGHT_PNG) throw new RfbProtocolError(`bad Tight control byte ${h.getUint8(0)}`);
    this.tightRowBytes = this.rect.width * pixel;
    if (!(control & 4)) {
      this.tightData();
      return;
    }
    this.expect(1, (f) => {
      const filter = f.getUint8(0);
      if (filter === TIGHT_FILTER_PALETTE) {
        this.expect(1, (c) => {
          const colours = c.getUint8(0) + 1;
          this.tightRowBytes = colours === 2 ? Math.ceil(this.rect.width / 8) : this.rect.width;
          this.skipThen(colours * pixel, () => this.tightData());
        });
      } else if (filter === 0 || filter === TIGHT_FILTER_GRADIENT) {
        this.tightData();
      } else {
        throw new RfbProtocolError(`bad Tight filter ${filter}`);
      }
    });
  };

  /** Basic compression: under 12 bytes the data comes raw, else zlib with a compact length. */
  private tightData(): void {
    const size = this.tightRowBytes * this.rect.height;
    if (size < 12) {
      this.skipThen(size, this.nextRect);
      return;
    }
    this.message.zlib = true;
    this.readCompactLength();
  }

  /** Tight's compact length: 1–3 bytes, 7 bits each, low bits first. */
  private readCompactLength(): void {
    this.compactLength = 0;
    this.compactShift = 0;
    this.expect(1, this.compactByte);
  }

  private compactByte: Step = (h) => {
    const byte = h.getUint8(0);
    const last = this.compactShift === 14;
    this.compactLength |= (last ? byte : byte & 0x7f) << this.compactShift;
    if (byte & 0x80 && !last) {
      this.compactShift += 7;
      this.expect(1, this.compactByte);
      return;
    }
    this.skipThen(this.compactLength, this.nextRect);
  };
}
