import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RfbProtocolError } from './byte-queue';
import {
  decodePixelFormat,
  encodePixelFormat,
  PIXEL_FORMAT_BGR233,
  PIXEL_FORMAT_NOVNC,
  PIXEL_FORMAT_RGB565,
  PIXEL_FORMAT_XRGB32,
  type PixelFormat,
  PixelPacker,
  pixelFormatProblem,
  unpackPixel,
} from './pixel-format';

const FORMATS: [string, PixelFormat][] = [
  ['xRGB32 (QEMU)', PIXEL_FORMAT_XRGB32],
  ['noVNC', PIXEL_FORMAT_NOVNC],
  ['noVNC big-endian', { ...PIXEL_FORMAT_NOVNC, bigEndian: true }],
  ['RGB565', PIXEL_FORMAT_RGB565],
  ['RGB565 big-endian', { ...PIXEL_FORMAT_RGB565, bigEndian: true }],
  ['RGB555', { ...PIXEL_FORMAT_RGB565, depth: 15, greenMax: 31, redShift: 10 }],
  ['BGR233', PIXEL_FORMAT_BGR233],
];

describe('pixel formats', () => {
  it.each(FORMATS)('%s round-trips through its wire form', (_, pf) => {
    expect(decodePixelFormat(encodePixelFormat(pf))).toEqual(pf);
  });

  it.each(FORMATS)('%s packs and unpacks colours within its precision', (_, pf) => {
    const packer = new PixelPacker(pf);
    const tolerance = (max: number): number => Math.ceil(255 / max / 2);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (rgb) => {
        const out = new Uint8Array(4);
        packer.pack(Uint32Array.of(rgb), 0, 1, out, 0);
        const back = unpackPixel(out, 0, pf);
        const channels: [number, number][] = [
          [16, pf.redMax],
          [8, pf.greenMax],
          [0, pf.blueMax],
        ];
        for (const [shift, max] of channels) {
          expect(Math.abs(((back >> shift) & 255) - ((rgb >> shift) & 255))).toBeLessThanOrEqual(tolerance(max));
        }
        // Packing what was unpacked is stable.
        const again = new Uint8Array(4);
        packer.pack(Uint32Array.of(back), 0, 1, again, 0);
        expect(again).toEqual(out);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the byte order the format asks for', () => {
    const out = new Uint8Array(8);
    new PixelPacker(PIXEL_FORMAT_NOVNC).pack(Uint32Array.of(0x112233), 0, 1, out, 0);
    new PixelPacker(PIXEL_FORMAT_XRGB32).pack(Uint32Array.of(0x112233), 0, 1, out, 4);
    expect([...out]).toEqual([0x11, 0x22, 0x33, 0, 0x33, 0x22, 0x11, 0]);
    expect(new PixelPacker(PIXEL_FORMAT_XRGB32).value(0xff8000)).toBe(0xff8000);
  });

  it('explains unusable formats', () => {
    expect(pixelFormatProblem({ ...PIXEL_FORMAT_XRGB32, bitsPerPixel: 24 })).toMatch(/not 8, 16 or 32/);
    expect(pixelFormatProblem({ ...PIXEL_FORMAT_XRGB32, depth: 33 })).toMatch(/depth/);
    expect(pixelFormatProblem({ ...PIXEL_FORMAT_XRGB32, redMax: 200 })).toMatch(/2\^n-1/);
    expect(pixelFormatProblem({ ...PIXEL_FORMAT_RGB565, redShift: 12 })).toMatch(/does not fit/);
    const colourMap = { ...PIXEL_FORMAT_BGR233, trueColour: false };
    expect(pixelFormatProblem(colourMap)).toBeUndefined();
    expect(pixelFormatProblem(colourMap, true)).toMatch(/colour-map/);
    expect(() => new PixelPacker(colourMap)).toThrow(RangeError);
    const wire = encodePixelFormat(PIXEL_FORMAT_XRGB32);
    wire[2] = 7; // big-endian flag
    expect(() => decodePixelFormat(wire)).toThrow(RfbProtocolError);
  });
});
