import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TERM_INPUT, parseTermFrames, type TermFrame } from './terminal-relay';

const parse = (s: string | Buffer) => parseTermFrames(Buffer.isBuffer(s) ? s : Buffer.from(s));

describe('termproxy framing from the browser', () => {
  it('reads input (by byte length, UTF-8 and colons inside), resizes and pings, several per message', () => {
    const text = 'ls: a:b ü\n';
    const frames = parse(`0:${Buffer.byteLength(text)}:${text}1:120:40:2`);
    expect(frames).toEqual([
      { type: 'input', data: Buffer.from(text) },
      { type: 'resize', cols: 120, rows: 40 },
      { type: 'ping' },
    ]);
    expect(parse('0:0:')).toEqual([{ type: 'input', data: Buffer.alloc(0) }]);
  });

  it('refuses anything malformed: short data, signs, leading zeros, zero or huge sizes, unknown types', () => {
    for (const bad of [
      '0:5:ab',
      '0:-1:',
      '0:01:a',
      '0:1a:',
      '1:0:24:',
      '1:80:0:',
      '1:80',
      '1:99999:1:',
      '3',
      'x',
      '0',
      '0:',
      `0:${MAX_TERM_INPUT + 1}:`,
    ]) {
      expect(parse(bad), bad).toBeNull();
    }
  });

  const encode = (frames: TermFrame[]) =>
    Buffer.concat(
      frames.map((f) =>
        f.type === 'ping'
          ? Buffer.from('2')
          : f.type === 'resize'
            ? Buffer.from(`1:${f.cols}:${f.rows}:`)
            : Buffer.concat([Buffer.from(`0:${f.data.length}:`), f.data]),
      ),
    );
  const frame = fc.oneof(
    fc.constant<TermFrame>({ type: 'ping' }),
    fc.record({
      type: fc.constant('resize' as const),
      cols: fc.integer({ min: 1, max: 10_000 }),
      rows: fc.integer({ min: 1, max: 10_000 }),
    }),
    fc.uint8Array({ maxLength: 300 }).map((d): TermFrame => ({ type: 'input', data: Buffer.from(d) })),
  );

  it('reads back any sequence of valid frames exactly', () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 20 }), (frames) => {
        expect(parse(encode(frames))).toEqual(frames);
      }),
    );
  });

  it('never throws on arbitrary bytes, and accepts only what re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const msg = Buffer.from(bytes);
        const frames = parse(msg);
        if (frames !== null) expect(encode(frames).equals(msg)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
