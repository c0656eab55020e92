import { RfbProtocolError } from '@common/rfb/byte-queue';
import { PIXEL_FORMAT_XRGB32 } from '@common/rfb/pixel-format';
import { Encoding, encodeFramebufferUpdateHeader, writeRectHeader } from '@common/rfb/rfb-messages';
import { ServerStreamScanner } from '@common/rfb/server-stream';
import { describe, expect, it } from 'vitest';
import { ResumeFilter } from './resume-filter';

function update(encoding: number, body: number[], width = 1, height = 1): Buffer {
  const out = Buffer.alloc(4 + 12 + body.length);
  out.set(encodeFramebufferUpdateHeader(1));
  writeRectHeader(out, 4, { x: 0, y: 0, width, height }, encoding);
  out.set(body, 16);
  return out;
}

const raw = (fill: number) => update(Encoding.Raw, [fill, fill, fill, 0]);
const zrle = update(Encoding.ZRLE, [0, 0, 0, 2, 0xaa, 0xbb], 4, 4);
const bell = Buffer.of(2);

function filterFrom(prefix: Buffer | null) {
  const scanner = new ServerStreamScanner({ width: 8, height: 8, pixelFormat: PIXEL_FORMAT_XRGB32 });
  if (prefix) scanner.push(prefix);
  return new ResumeFilter(scanner, 1024);
}

describe('ResumeFilter', () => {
  it('drops the rest of a message begun before the re-attach, and whole zlib messages', () => {
    const half = raw(1).subarray(0, 10);
    const filter = filterFrom(half);
    const out = filter.push(Buffer.concat([raw(1).subarray(10), zrle, bell, raw(7)]));
    expect(Buffer.concat(out)).toEqual(Buffer.concat([bell, raw(7)]));
    expect(filter.dropped).toBe(1);
    expect(filter.done).toBe(true);
  });

  it('holds a message until its end whatever the chunking, then passes bytes through', () => {
    const stream = Buffer.concat([zrle, bell, raw(3), zrle.subarray(0, 0), bell, raw(9)]);
    const filter = filterFrom(null);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 3) {
      for (const piece of filter.push(stream.subarray(i, i + 3))) out.push(Buffer.from(piece));
    }
    expect(Buffer.concat(out)).toEqual(Buffer.concat([bell, raw(3), bell, raw(9)]));
  });

  it('ends the console on zlib data once Proxmox had switched, and on a message over the bound', () => {
    const switched = filterFrom(null);
    switched.push(raw(1));
    expect(() => switched.push(zrle)).toThrow(RfbProtocolError);
    const big = filterFrom(null);
    const huge = update(Encoding.Raw, new Array(4 * 40 * 40).fill(0), 40, 40);
    expect(() => big.push(huge.subarray(0, 2000))).toThrow(/more than 1024 bytes/);
  });
});
