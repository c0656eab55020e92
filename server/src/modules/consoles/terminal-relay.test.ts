import { describe, expect, it } from 'vitest';
import { MAX_TERM_INPUT, parseTermFrames } from './terminal-relay';

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
});
