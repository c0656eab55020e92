import { describe, expect, it } from 'vitest';
import { RfbProtocolError } from './byte-queue';
import { encodePixelFormat, PIXEL_FORMAT_NOVNC, PIXEL_FORMAT_RGB565, PIXEL_FORMAT_XRGB32 } from './pixel-format';
import { Encoding, encodeFramebufferUpdateHeader, encodeServerCutText, writeRectHeader } from './rfb-messages';
import { isFramedEncoding, type ScannedMessage, ServerStreamScanner } from './server-stream';

function rect(x: number, y: number, width: number, height: number, encoding: number, body: number[] = []) {
  const out = new Uint8Array(12 + body.length);
  writeRectHeader(out, 0, { x, y, width, height }, encoding);
  out.set(body, 12);
  return [...out];
}

function update(...rects: number[][]): number[] {
  return [...encodeFramebufferUpdateHeader(rects.length), ...rects.flat()];
}

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const zeros = (n: number) => new Array<number>(n).fill(0);

/** One message of each kind the scanner frames, with what it must report. */
function catalogue(): { bytes: number[]; expect: Partial<ScannedMessage> }[] {
  return [
    { bytes: update(rect(0, 0, 3, 2, Encoding.Raw, zeros(24))), expect: { type: 0, plainPixels: true, zlib: false } },
    { bytes: update(rect(5, 5, 10, 10, Encoding.CopyRect, [0, 1, 0, 2])), expect: { plainPixels: false } },
    {
      // RRE: 2 subrects, background pixel, each subrect a pixel + 8 bytes.
      bytes: update(rect(0, 0, 8, 8, Encoding.RRE, [...u32(2), ...zeros(4), ...zeros(2 * 12)])),
      expect: { plainPixels: true },
    },
    {
      // Hextile 20×17: 4 tiles (16×16, 4×16, 16×1, 4×1): raw, bg only, bg+fg+2 plain subrects,
      // coloured subrects (1).
      bytes: update(
        rect(0, 0, 20, 17, Encoding.Hextile, [
          1,
          ...zeros(16 * 16 * 4),
          2,
          ...zeros(4),
          2 | 4 | 8,
          ...zeros(8),
          2,
          ...zeros(4),
          8 | 16,
          1,
          ...zeros(6),
        ]),
      ),
      expect: { plainPixels: true, zlib: false },
    },
    { bytes: update(rect(0, 0, 4, 4, Encoding.ZRLE, [...u32(5), ...zeros(5)])), expect: { zlib: true } },
    { bytes: update(rect(0, 0, 4, 4, Encoding.Zlib, [...u32(3), ...zeros(3)])), expect: { zlib: true } },
    // Tight fill (3-byte TPIXEL), JPEG with a 2-byte compact length (130 bytes).
    { bytes: update(rect(0, 0, 64, 64, Encoding.Tight, [0x80, 1, 2, 3])), expect: { zlib: false } },
    {
      bytes: update(rect(0, 0, 64, 64, Encoding.Tight, [0x90, 0x82, 0x01, ...zeros(130)])),
      expect: { zlib: false, plainPixels: false },
    },
    // Tight basic, copy filter, 2×1 pixels = 6 bytes < 12: raw, no zlib.
    { bytes: update(rect(0, 0, 2, 1, Encoding.Tight, [0x00, ...zeros(6)])), expect: { zlib: false } },
    // Tight basic, palette of 2 (mono rows of ceil(20/8)=3 bytes × 10 = 30 ≥ 12): zlib.
    {
      bytes: update(rect(0, 0, 20, 10, Encoding.Tight, [0x40 | 0x10, 1, 1, ...zeros(6), 7, ...zeros(7)])),
      expect: { zlib: true },
    },
    // Tight basic, gradient filter on 4×4 (48 bytes): zlib with a 1-byte length.
    { bytes: update(rect(0, 0, 4, 4, Encoding.Tight, [0x40, 2, 9, ...zeros(9)])), expect: { zlib: true } },
    // TightPNG's PNG.
    { bytes: update(rect(0, 0, 4, 4, Encoding.TightPNG, [0xa0, 4, ...zeros(4)])), expect: { zlib: false } },
    {
      // Pseudo-rectangles: cursor (2×9: 72 pixel bytes + 9 mask bytes), LED, name, key events.
      bytes: update(
        rect(0, 0, 2, 9, Encoding.Cursor, zeros(72 + 9)),
        rect(0, 0, 0, 0, Encoding.QemuLedState, [3]),
        rect(0, 0, 0, 0, Encoding.DesktopName, [...u32(3), 65, 66, 67]),
        rect(0, 0, 0, 0, Encoding.QemuExtendedKeyEvent),
      ),
      expect: { plainPixels: false, zlib: false },
    },
    // A LastRect ends an update announced with 65535 rectangles.
    {
      bytes: [
        ...encodeFramebufferUpdateHeader(65535),
        ...rect(0, 0, 1, 1, Encoding.Raw, zeros(4)),
        ...rect(0, 0, 0, 0, Encoding.LastRect),
      ],
      expect: { plainPixels: true },
    },
    { bytes: [1, 0, 0, 0, 0, 2, ...zeros(12)], expect: { type: 1 } },
    { bytes: [2], expect: { type: 2 } },
    { bytes: [...encodeServerCutText('hello')], expect: { type: 3 } },
    { bytes: [3, 0, 0, 0, ...u32(-6 >>> 0), ...zeros(6)], expect: { type: 3 } }, // extended clipboard
    { bytes: [248, 0, 0, 0, ...u32(0), 2, 9, 9], expect: { type: 248 } },
    { bytes: [255, 1, 0, 2, ...u32(4), 1, 2, 3, 4], expect: { type: 255 } }, // QEMU audio data
    { bytes: [255, 1, 0, 1], expect: { type: 255 } }, // QEMU audio begin
  ];
}

function scanAll(
  bytes: Uint8Array,
  cuts: number[],
  scanner = new ServerStreamScanner({ width: 64, height: 64, pixelFormat: PIXEL_FORMAT_XRGB32 }),
) {
  const ends: { end: number; message: ScannedMessage }[] = [];
  let base = 0;
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const chunk = bytes.subarray(from, cut);
    const at = base;
    scanner.push(chunk, (end, message) => ends.push({ end: at + end, message }));
    base += chunk.length;
    from = cut;
  }
  return { ends, scanner };
}

describe('ServerStreamScanner', () => {
  const messages = catalogue();
  const stream = new Uint8Array(messages.flatMap((m) => m.bytes));
  const boundaries: number[] = [];
  for (const m of messages) boundaries.push((boundaries.at(-1) ?? 0) + m.bytes.length);

  it('finds the end of every kind of message in one chunk', () => {
    const { ends, scanner } = scanAll(stream, []);
    expect(ends.map((e) => e.end)).toEqual(boundaries);
    for (const [i, m] of messages.entries()) expect(ends[i]?.message).toMatchObject(m.expect);
    expect(scanner.atBoundary).toBe(true);
  });

  it('finds the same ends whatever the chunking (byte by byte, and random cuts)', () => {
    const everyByte = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    expect(scanAll(stream, everyByte).ends.map((e) => e.end)).toEqual(boundaries);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const cuts = [...new Set(Array.from({ length: 20 }, () => 1 + Math.floor(random() * (stream.length - 1))))].sort(
        (a, b) => a - b,
      );
      expect(scanAll(stream, cuts).ends.map((e) => e.end)).toEqual(boundaries);
    }
  });

  it('tells where a chunk first meets a boundary and how much of the screen updates painted', () => {
    const scanner = new ServerStreamScanner({ width: 4, height: 2, pixelFormat: PIXEL_FORMAT_XRGB32 });
    const small = update(rect(0, 0, 2, 2, Encoding.Raw, zeros(16)), rect(0, 0, 4, 2, Encoding.CopyRect, [0, 0, 0, 0]));
    const whole = update(rect(0, 0, 4, 1, Encoding.Raw, zeros(16)), rect(0, 1, 4, 1, Encoding.Raw, zeros(16)));
    const bytes = new Uint8Array([...small, ...whole]);
    scanner.push(bytes.subarray(0, 10));
    expect(scanner.firstBoundary).toBe(0);
    scanner.push(bytes.subarray(10, small.length + 5));
    expect(scanner.firstBoundary).toBe(small.length - 10);
    expect(scanner.largestUpdate).toBe(4); // CopyRect paints nothing
    scanner.push(bytes.subarray(small.length + 5));
    expect(scanner.firstBoundary).toBe(whole.length - 5);
    expect(scanner.largestUpdate).toBe(8);
    expect(scanner.largestUpdateAfterFirstBoundary).toBe(0);
    const again = new ServerStreamScanner({ width: 4, height: 2, pixelFormat: PIXEL_FORMAT_XRGB32 });
    again.push(bytes);
    expect([again.firstBoundary, again.largestUpdate, again.largestUpdateAfterFirstBoundary]).toEqual([0, 8, 8]);
  });

  it('knows mid-message from between messages', () => {
    const scanner = new ServerStreamScanner({ width: 8, height: 8, pixelFormat: PIXEL_FORMAT_XRGB32 });
    const raw = new Uint8Array(update(rect(0, 0, 2, 2, Encoding.Raw, zeros(16))));
    scanner.push(raw.subarray(0, 20));
    expect(scanner.atBoundary).toBe(false);
    scanner.push(raw.subarray(20));
    expect(scanner.atBoundary).toBe(true);
  });

  it('follows the framebuffer size (DesktopSize, ExtendedDesktopSize) but not a refused resize', () => {
    const { scanner } = scanAll(
      new Uint8Array([
        ...update(rect(0, 0, 800, 600, Encoding.DesktopSize)),
        ...update(rect(0, 0, 1024, 768, Encoding.ExtendedDesktopSize, [1, 0, 0, 0, ...zeros(16)])),
        ...update(rect(1, 3, 1920, 1080, Encoding.ExtendedDesktopSize, [0, 0, 0, 0])),
      ]),
      [],
    );
    expect([scanner.width, scanner.height]).toEqual([1024, 768]);
  });

  it('frames pixels in the pixel format the client chose', () => {
    const scanner = new ServerStreamScanner({ width: 8, height: 8, pixelFormat: PIXEL_FORMAT_XRGB32 });
    scanner.setPixelFormat(PIXEL_FORMAT_RGB565);
    const ends: number[] = [];
    const bytes = new Uint8Array([...update(rect(0, 0, 3, 3, Encoding.Raw, zeros(18))), 2]);
    scanner.push(bytes, (end) => ends.push(end));
    expect(ends).toEqual([bytes.length - 1, bytes.length]);
    // VMware's pixel-format pseudo-rectangle switches it too.
    const wmvi = new Uint8Array(16);
    encodePixelFormat(PIXEL_FORMAT_NOVNC, wmvi, 0);
    scanner.push(new Uint8Array(update(rect(0, 0, 0, 0, 0x574d5669, [...wmvi]))));
    expect(scanner.pixelFormat).toEqual(PIXEL_FORMAT_NOVNC);
  });

  it('refuses what it cannot frame, rather than guess', () => {
    const unknownType = new ServerStreamScanner({ width: 8, height: 8, pixelFormat: PIXEL_FORMAT_XRGB32 });
    expect(() => unknownType.push(Uint8Array.of(77))).toThrow(RfbProtocolError);
    const unknownEncoding = new ServerStreamScanner({ width: 8, height: 8, pixelFormat: PIXEL_FORMAT_XRGB32 });
    expect(() => unknownEncoding.push(new Uint8Array(update(rect(0, 0, 1, 1, Encoding.H264))))).toThrow(/encoding 50/);
    const huge = new ServerStreamScanner({ width: 8, height: 8, pixelFormat: PIXEL_FORMAT_XRGB32 });
    expect(() => huge.push(Uint8Array.of(3, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff))).toThrow(/announces/);
  });

  it('names what a relay may offer the server', () => {
    expect(isFramedEncoding(Encoding.Tight)).toBe(true);
    expect(isFramedEncoding(Encoding.QualityLevel0 + 6)).toBe(true);
    expect(isFramedEncoding(Encoding.CompressLevel0 + 2)).toBe(true);
    expect(isFramedEncoding(Encoding.H264)).toBe(false);
    expect(isFramedEncoding(Encoding.VMwareCursor)).toBe(false);
  });
});
