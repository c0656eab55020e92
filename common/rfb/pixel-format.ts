// RFB PIXEL_FORMAT: its 16-byte wire form, validation, and conversion between 0xRRGGBB and the
// pixel values of any true-colour format a client may choose (SetPixelFormat).
import { RfbProtocolError } from './byte-queue';

export interface PixelFormat {
  bitsPerPixel: number;
  depth: number;
  bigEndian: boolean;
  trueColour: boolean;
  redMax: number;
  greenMax: number;
  blueMax: number;
  redShift: number;
  greenShift: number;
  blueShift: number;
}

export const PIXEL_FORMAT_LENGTH = 16;

/** QEMU's native format (what Proxmox consoles announce in ServerInit): 32 bpp, depth 24, xRGB. */
export const PIXEL_FORMAT_XRGB32: Readonly<PixelFormat> = Object.freeze({
  bitsPerPixel: 32,
  depth: 24,
  bigEndian: false,
  trueColour: true,
  redMax: 255,
  greenMax: 255,
  blueMax: 255,
  redShift: 16,
  greenShift: 8,
  blueShift: 0,
});

/** What noVNC sends in SetPixelFormat (depth 24): bytes R, G, B, x in memory order. */
export const PIXEL_FORMAT_NOVNC: Readonly<PixelFormat> = Object.freeze({
  ...PIXEL_FORMAT_XRGB32,
  redShift: 0,
  greenShift: 8,
  blueShift: 16,
});

/** RGB565 little-endian, a common 16 bpp client choice. */
export const PIXEL_FORMAT_RGB565: Readonly<PixelFormat> = Object.freeze({
  bitsPerPixel: 16,
  depth: 16,
  bigEndian: false,
  trueColour: true,
  redMax: 31,
  greenMax: 63,
  blueMax: 31,
  redShift: 11,
  greenShift: 5,
  blueShift: 0,
});

/** BGR233, the classic 8 bpp true-colour format. */
export const PIXEL_FORMAT_BGR233: Readonly<PixelFormat> = Object.freeze({
  bitsPerPixel: 8,
  depth: 8,
  bigEndian: false,
  trueColour: true,
  redMax: 7,
  greenMax: 7,
  blueMax: 3,
  redShift: 0,
  greenShift: 3,
  blueShift: 6,
});

export function bytesPerPixel(pf: PixelFormat): number {
  return pf.bitsPerPixel >> 3;
}

function isChannelMax(max: number): boolean {
  // A channel maximum must be 2^n - 1 so that shifting and masking works.
  return max > 0 && (max & (max + 1)) === 0;
}

/** Why a pixel format is unusable, or undefined when it is fine. Colour-map formats count as invalid
 * only when `requireTrueColour` is set (servers such as pve-sim do not implement colour maps). */
export function pixelFormatProblem(pf: PixelFormat, requireTrueColour = false): string | undefined {
  if (pf.bitsPerPixel !== 8 && pf.bitsPerPixel !== 16 && pf.bitsPerPixel !== 32) {
    return `bits-per-pixel ${pf.bitsPerPixel} is not 8, 16 or 32`;
  }
  if (pf.depth < 1 || pf.depth > pf.bitsPerPixel) return `depth ${pf.depth} does not fit ${pf.bitsPerPixel} bpp`;
  if (!pf.trueColour) return requireTrueColour ? 'colour-map pixel formats are not supported' : undefined;
  const channels: [number, number][] = [
    [pf.redMax, pf.redShift],
    [pf.greenMax, pf.greenShift],
    [pf.blueMax, pf.blueShift],
  ];
  for (const [max, shift] of channels) {
    if (!isChannelMax(max)) return `channel maximum ${max} is not 2^n-1`;
    if (shift >= pf.bitsPerPixel || max * 2 ** shift > 2 ** pf.bitsPerPixel - 1) {
      return `channel (max ${max}, shift ${shift}) does not fit ${pf.bitsPerPixel} bpp`;
    }
  }
  return undefined;
}

/** Decodes the 16 bytes at `offset`; throws RfbProtocolError on an invalid format. */
export function decodePixelFormat(bytes: Uint8Array, offset = 0): PixelFormat {
  if (bytes.length - offset < PIXEL_FORMAT_LENGTH) throw new RfbProtocolError('truncated pixel format');
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, PIXEL_FORMAT_LENGTH);
  const flag = (at: number, what: string): boolean => {
    const v = view.getUint8(at);
    if (v > 1) throw new RfbProtocolError(`pixel format ${what} flag is ${v}, not 0 or 1`);
    return v === 1;
  };
  const pf: PixelFormat = {
    bitsPerPixel: view.getUint8(0),
    depth: view.getUint8(1),
    bigEndian: flag(2, 'big-endian'),
    trueColour: flag(3, 'true-colour'),
    redMax: view.getUint16(4),
    greenMax: view.getUint16(6),
    blueMax: view.getUint16(8),
    redShift: view.getUint8(10),
    greenShift: view.getUint8(11),
    blueShift: view.getUint8(12),
  };
  const problem = pixelFormatProblem(pf);
  if (problem !== undefined) throw new RfbProtocolError(`invalid pixel format: ${problem}`);
  return pf;
}

/** Writes the 16-byte wire form (padding zeroed) at `offset`. */
export function encodePixelFormat(
  pf: PixelFormat,
  out: Uint8Array = new Uint8Array(PIXEL_FORMAT_LENGTH),
  offset = 0,
): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset + offset, PIXEL_FORMAT_LENGTH);
  view.setUint8(0, pf.bitsPerPixel);
  view.setUint8(1, pf.depth);
  view.setUint8(2, pf.bigEndian ? 1 : 0);
  view.setUint8(3, pf.trueColour ? 1 : 0);
  view.setUint16(4, pf.redMax);
  view.setUint16(6, pf.greenMax);
  view.setUint16(8, pf.blueMax);
  view.setUint8(10, pf.redShift);
  view.setUint8(11, pf.greenShift);
  view.setUint8(12, pf.blueShift);
  view.setUint8(13, 0);
  view.setUint8(14, 0);
  view.setUint8(15, 0);
  return out;
}

export function samePixelFormat(a: PixelFormat, b: PixelFormat): boolean {
  return (
    a.bitsPerPixel === b.bitsPerPixel &&
    a.depth === b.depth &&
    a.bigEndian === b.bigEndian &&
    a.trueColour === b.trueColour &&
    a.redMax === b.redMax &&
    a.greenMax === b.greenMax &&
    a.blueMax === b.blueMax &&
    a.redShift === b.redShift &&
    a.greenShift === b.greenShift &&
    a.blueShift === b.blueShift
  );
}

function channelTable(max: number, shift: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (Math.round((v * max) / 255) * 2 ** shift) >>> 0;
  return table;
}

/** Converts 0xRRGGBB pixels to a true-colour client format via per-channel lookup tables, so a
 * row costs three table reads and a few byte stores per pixel. */
export class PixelPacker {
  readonly bytesPerPixel: number;
  private readonly red: Uint32Array;
  private readonly green: Uint32Array;
  private readonly blue: Uint32Array;

  constructor(readonly format: PixelFormat) {
    const problem = pixelFormatProblem(format, true);
    if (problem !== undefined) throw new RangeError(`PixelPacker: ${problem}`);
    this.bytesPerPixel = bytesPerPixel(format);
    this.red = channelTable(format.redMax, format.redShift);
    this.green = channelTable(format.greenMax, format.greenShift);
    this.blue = channelTable(format.blueMax, format.blueShift);
  }

  /** The pixel value of one 0xRRGGBB colour. */
  value(rgb: number): number {
    return (
      ((this.red[(rgb >>> 16) & 255] as number) |
        (this.green[(rgb >>> 8) & 255] as number) |
        (this.blue[rgb & 255] as number)) >>>
      0
    );
  }

  /** Packs `count` pixels from `src[srcOffset…]` into `dst` at `dstOffset`; returns the end offset. */
  pack(src: Uint32Array, srcOffset: number, count: number, dst: Uint8Array, dstOffset: number): number {
    const { red, green, blue } = this;
    let o = dstOffset;
    const end = srcOffset + count;
    const bpp = this.bytesPerPixel;
    const big = this.format.bigEndian;
    for (let i = srcOffset; i < end; i++) {
      const rgb = src[i] as number;
      const v =
        (red[(rgb >>> 16) & 255] as number) | (green[(rgb >>> 8) & 255] as number) | (blue[rgb & 255] as number);
      if (bpp === 4) {
        if (big) {
          dst[o] = v >>> 24;
          dst[o + 1] = v >>> 16;
          dst[o + 2] = v >>> 8;
          dst[o + 3] = v;
        } else {
          dst[o] = v;
          dst[o + 1] = v >>> 8;
          dst[o + 2] = v >>> 16;
          dst[o + 3] = v >>> 24;
        }
      } else if (bpp === 2) {
        if (big) {
          dst[o] = v >>> 8;
          dst[o + 1] = v;
        } else {
          dst[o] = v;
          dst[o + 1] = v >>> 8;
        }
      } else {
        dst[o] = v;
      }
      o += bpp;
    }
    return o;
  }
}

/** Reads one pixel at `offset` in `pf` and returns it as 0xRRGGBB (channels scaled to 0–255). */
export function unpackPixel(bytes: Uint8Array, offset: number, pf: PixelFormat): number {
  let v: number;
  const b0 = bytes[offset] as number;
  if (pf.bitsPerPixel === 32) {
    const b1 = bytes[offset + 1] as number;
    const b2 = bytes[offset + 2] as number;
    const b3 = bytes[offset + 3] as number;
    v = pf.bigEndian
      ? ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0
      : ((b3 << 24) | (b2 << 16) | (b1 << 8) | b0) >>> 0;
  } else if (pf.bitsPerPixel === 16) {
    const b1 = bytes[offset + 1] as number;
    v = pf.bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0;
  } else {
    v = b0;
  }
  const channel = (max: number, shift: number): number => Math.round(((Math.floor(v / 2 ** shift) & max) * 255) / max);
  return (
    (channel(pf.redMax, pf.redShift) << 16) |
    (channel(pf.greenMax, pf.greenShift) << 8) |
    channel(pf.blueMax, pf.blueShift)
  );
}
