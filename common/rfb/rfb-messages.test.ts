import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RfbProtocolError } from './byte-queue';
import { PIXEL_FORMAT_BGR233, PIXEL_FORMAT_NOVNC, PIXEL_FORMAT_RGB565, PIXEL_FORMAT_XRGB32 } from './pixel-format';
import {
  affectsGuest,
  type ClientMessage,
  ClientMessageParser,
  Encoding,
  encodeClientMessage,
  isInputMessage,
  latin1Decode,
  type ParsedClientMessage,
  withoutEncodings,
} from './rfb-messages';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u8 = fc.integer({ min: 0, max: 0xff });
const rect = fc.record({ x: u16, y: u16, width: u16, height: u16 });

const messageArb: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc
    .constantFrom(PIXEL_FORMAT_NOVNC, PIXEL_FORMAT_XRGB32, PIXEL_FORMAT_RGB565, PIXEL_FORMAT_BGR233, {
      ...PIXEL_FORMAT_XRGB32,
      bigEndian: true,
    })
    .map((pixelFormat) => ({ type: 'SetPixelFormat' as const, pixelFormat: { ...pixelFormat } })),
  fc
    .array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 40 })
    .map((encodings) => ({ type: 'SetEncodings' as const, encodings })),
  fc
    .tuple(fc.boolean(), rect)
    .map(([incremental, r]) => ({ type: 'FramebufferUpdateRequest' as const, incremental, ...r })),
  fc.tuple(fc.boolean(), u32).map(([down, keysym]) => ({ type: 'KeyEvent' as const, down, keysym })),
  fc
    .tuple(u8, u16, u16)
    .map(([buttonMask, x, y]) => ({ type: 'PointerEvent' as const, buttonMask, x, y, extended: false })),
  fc.uint8Array({ maxLength: 300 }).map((data) => ({ type: 'ClientCutText' as const, text: latin1Decode(data), data })),
  fc
    .tuple(u32, fc.uint8Array({ maxLength: 100 }))
    .map(([flags, data]) => ({ type: 'ExtendedClientCutText' as const, flags, data })),
  fc
    .tuple(fc.boolean(), u32, u32)
    .map(([down, keysym, keycode]) => ({ type: 'QemuExtendedKeyEvent' as const, down, keysym, keycode })),
  fc
    .constantFrom('enable' as const, 'disable' as const)
    .map((operation) => ({ type: 'QemuAudio' as const, operation })),
  fc.tuple(u8, u8, u32).map(([sampleFormat, channels, frequency]) => ({
    type: 'QemuAudio' as const,
    operation: 'set-format' as const,
    sampleFormat,
    channels,
    frequency,
  })),
  fc.tuple(fc.boolean(), rect).map(([enable, r]) => ({ type: 'EnableContinuousUpdates' as const, enable, ...r })),
  fc
    .tuple(u32, fc.uint8Array({ maxLength: 64 }))
    .map(([flags, payload]) => ({ type: 'ClientFence' as const, flags, payload })),
  fc.tuple(u8, u8).map(([version, operation]) => ({ type: 'Xvp' as const, version, operation })),
  fc
    .tuple(u16, u16, fc.array(fc.tuple(u32, rect, u32), { minLength: 1, maxLength: 4 }))
    .map(([width, height, screens]) => ({
      type: 'SetDesktopSize' as const,
      width,
      height,
      screens: screens.map(([id, r, flags]) => ({ id, ...r, flags })),
    })),
  fc
    .tuple(fc.integer({ min: 0, max: 127 }), fc.boolean(), fc.uint8Array({ maxLength: 100 }))
    .map(([subtype, bigEndian, payload]) => ({ type: 'Gii' as const, subtype, bigEndian, payload })),
);

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Splits `bytes` at the given cut points (any values; reduced modulo the length). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length ? c % (bytes.length + 1) : 0)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.slice(last, p));
    last = p;
  }
  return chunks;
}

function parseAll(parser: ClientMessageParser, chunks: Uint8Array[]): ParsedClientMessage[] {
  return chunks.flatMap((c) => parser.push(c));
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('ClientMessageParser', () => {
  it('parses any sequence of messages, however the stream is chunked, with exact bytes and offsets', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 40 }), (messages, cuts) => {
        const encoded = messages.map(encodeClientMessage);
        const stream = concat(encoded);
        const parsed = parseAll(new ClientMessageParser(), chunk(stream, cuts));
        expect(parsed.map((p) => p.message)).toEqual(messages);
        let offset = 0;
        parsed.forEach((p, i) => {
          expect(p.offset).toBe(offset);
          expect(Buffer.from(p.raw).equals(Buffer.from(encoded[i] as Uint8Array))).toBe(true);
          offset += p.raw.length;
        });
      }),
      { numRuns: 500 },
    );
  });

  it('parses a stream fed one byte at a time', () => {
    const messages: ClientMessage[] = [
      { type: 'SetEncodings', encodings: [Encoding.CopyRect, Encoding.Raw, Encoding.QemuExtendedKeyEvent] },
      { type: 'ClientCutText', text: 'héllo', data: bytes(0x68, 0xe9, 0x6c, 0x6c, 0x6f) },
      { type: 'KeyEvent', down: true, keysym: 0xffe3 },
    ];
    const parser = new ClientMessageParser();
    const stream = concat(messages.map(encodeClientMessage));
    const parsed = [...stream].flatMap((b) => parser.push(bytes(b)));
    expect(parsed.map((p) => p.message)).toEqual(messages);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('returns zero-copy views for messages inside one chunk', () => {
    const chunkBytes = concat([encodeClientMessage({ type: 'KeyEvent', down: true, keysym: 65 }), bytes(5, 1, 0, 1)]);
    const parser = new ClientMessageParser();
    const [key] = parser.push(chunkBytes);
    expect(key?.raw.buffer).toBe(chunkBytes.buffer);
    expect(parser.bufferedBytes).toBe(4);
    const [pointer] = parser.push(bytes(0, 2));
    expect(pointer).toMatchObject({ offset: 8, message: { type: 'PointerEvent', buttonMask: 1, x: 1, y: 2 } });
  });

  it('decodes the exact bytes noVNC 1.7 sends', () => {
    const cases: [Uint8Array, Partial<ClientMessage>][] = [
      // RFB.messages.pixelFormat(sock, 24, true)
      [
        bytes(0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0),
        { type: 'SetPixelFormat', pixelFormat: { ...PIXEL_FORMAT_NOVNC } },
      ],
      [bytes(2, 0, 0, 2, 0, 0, 0, 1, 0xff, 0xff, 0xfe, 0xfe), { type: 'SetEncodings', encodings: [1, -258] }],
      [bytes(3, 0, 0, 0, 0, 0, 2, 128, 1, 224), { type: 'FramebufferUpdateRequest', incremental: false, width: 640 }],
      [bytes(4, 1, 0, 0, 0, 0, 0xff, 0xe3), { type: 'KeyEvent', down: true, keysym: 0xffe3 }],
      [bytes(255, 0, 0, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 0xd3), { type: 'QemuExtendedKeyEvent', keycode: 0xd3 }],
      [bytes(5, 1, 0, 10, 0, 20), { type: 'PointerEvent', buttonMask: 1, x: 10, y: 20, extended: false }],
      [bytes(6, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69), { type: 'ClientCutText', text: 'hi' }],
      // extendedClipboardCaps: negative length, flags, one format size
      [bytes(6, 0, 0, 0, 0xff, 0xff, 0xff, 0xf8, 0x1f, 0, 0, 1, 0, 0, 0x10, 0), { type: 'ExtendedClientCutText' }],
      [bytes(248, 0, 0, 0, 0x80, 0, 0, 3, 1, 0x41), { type: 'ClientFence', flags: 0x80000003 }],
      [bytes(150, 1, 0, 0, 0, 0, 2, 128, 1, 224), { type: 'EnableContinuousUpdates', enable: true, height: 480 }],
      [bytes(250, 0, 1, 2), { type: 'Xvp', version: 1, operation: 2 }],
      [
        bytes(251, 0, 4, 0, 3, 0, 1, 0, 0, 0, 0, 7, 0, 0, 0, 0, 4, 0, 3, 0, 0, 0, 0, 0),
        { type: 'SetDesktopSize', width: 1024, height: 768 },
      ],
    ];
    for (const [raw, expected] of cases) {
      const parsed = new ClientMessageParser().push(raw);
      expect(parsed).toHaveLength(1);
      expect(parsed[0]?.message).toMatchObject(expected);
      expect(parsed[0]?.raw).toEqual(raw);
    }
  });

  it('parses the 7-byte extended pointer event only when enabled', () => {
    const extended = bytes(5, 0x81, 0, 1, 0, 2, 0x01);
    const on = new ClientMessageParser({ extendedPointerEvents: true }).push(extended);
    expect(on[0]?.message).toEqual({ type: 'PointerEvent', buttonMask: 0x81, x: 1, y: 2, extended: true });
    // Without it, the marker bit is button 8 and the 7th byte starts the next message.
    expect(() => new ClientMessageParser().push(extended)).toThrow(RfbProtocolError);
    expect(new ClientMessageParser().push(extended.subarray(0, 6))[0]?.message).toMatchObject({ buttonMask: 0x81 });
  });

  it.each<[string, Uint8Array]>([
    ['unknown type', bytes(7)],
    ['unknown type 1 (SetColourMapEntries is server-only)', bytes(1, 0, 0, 0)],
    ['unknown QEMU subtype', bytes(255, 2)],
    ['unknown QEMU audio operation', bytes(255, 1, 0, 3)],
    ['bad key down flag', bytes(4, 2, 0, 0, 0, 0, 0, 65)],
    ['bad QEMU key down flag', bytes(255, 0, 0, 2, 0, 0, 0, 65, 0, 0, 0, 30)],
    ['bad incremental flag', bytes(3, 9, 0, 0, 0, 0, 0, 1, 0, 1)],
    ['fence payload over 64 bytes', bytes(248, 0, 0, 0, 0, 0, 0, 0, 65)],
    ['SetDesktopSize without screens', bytes(251, 0, 0, 1, 0, 1, 0, 0)],
    ['invalid pixel format', bytes(0, 0, 0, 0, 24, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0)],
    ['pixel format channel beyond bpp', bytes(0, 0, 0, 0, 16, 16, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0)],
    ['extended cut text shorter than its flags', bytes(6, 0, 0, 0, 0xff, 0xff, 0xff, 0xfe)],
  ])('rejects %s', (_, raw) => {
    expect(() => new ClientMessageParser().push(raw)).toThrow(RfbProtocolError);
  });

  it('rejects oversized ClientCutText from its header, before the payload arrives', () => {
    const parser = new ClientMessageParser({ maxCutTextBytes: 1000 });
    expect(
      parser.push(encodeClientMessage({ type: 'ClientCutText', text: '', data: new Uint8Array(1000) })),
    ).toHaveLength(1);
    expect(() => parser.push(bytes(6, 0, 0, 0, 0, 0, 0x03, 0xe9))).toThrow(/1001 bytes exceeds/);
    expect(() => new ClientMessageParser().push(bytes(6, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff))).toThrow(RfbProtocolError);
    expect(() => new ClientMessageParser().push(bytes(6, 0, 0, 0, 0x80, 0, 0, 0))).toThrow(RfbProtocolError);
  });

  it('rejects too many encodings and oversized GII messages', () => {
    expect(() => new ClientMessageParser({ maxEncodings: 2 }).push(bytes(2, 0, 0, 3))).toThrow(RfbProtocolError);
    expect(() => new ClientMessageParser({ maxGiiBytes: 8 }).push(bytes(253, 0x81, 0, 9))).toThrow(RfbProtocolError);
    expect(() => new ClientMessageParser({ maxGiiBytes: 8 }).push(bytes(253, 0x01, 9, 0))).toThrow(RfbProtocolError);
  });

  it('stays failed after an error', () => {
    const parser = new ClientMessageParser();
    expect(() => parser.push(bytes(99))).toThrow(RfbProtocolError);
    expect(() => parser.push(encodeClientMessage({ type: 'KeyEvent', down: true, keysym: 1 }))).toThrow(
      RfbProtocolError,
    );
  });

  it('fails on random garbage or parses it consistently, never hangs or misreports lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 10 }), (garbage, cuts) => {
        const parser = new ClientMessageParser();
        let total = 0;
        try {
          for (const part of chunk(garbage, cuts)) for (const p of parser.push(part)) total += p.raw.length;
        } catch (err) {
          expect(err).toBeInstanceOf(RfbProtocolError);
          return;
        }
        expect(total + parser.bufferedBytes).toBe(garbage.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('message classification', () => {
  it('marks input and guest-affecting messages', () => {
    const names = (pred: (m: ClientMessage) => boolean): string[] =>
      fc
        .sample(messageArb, 2000)
        .filter(pred)
        .map((m) => m.type)
        .filter((t, i, all) => all.indexOf(t) === i)
        .sort();
    expect(names(isInputMessage)).toEqual([
      'ClientCutText',
      'ExtendedClientCutText',
      'KeyEvent',
      'PointerEvent',
      'QemuExtendedKeyEvent',
    ]);
    expect(names(affectsGuest)).toEqual([...names(isInputMessage), 'SetDesktopSize', 'Xvp'].sort());
  });

  it('withoutEncodings drops the listed encodings', () => {
    const raw = withoutEncodings({ type: 'SetEncodings', encodings: [1, 0, Encoding.ExtendedMouseButtons, -258] }, [
      Encoding.ExtendedMouseButtons,
    ]);
    expect(new ClientMessageParser().push(raw)[0]?.message).toEqual({ type: 'SetEncodings', encodings: [1, 0, -258] });
  });
});
