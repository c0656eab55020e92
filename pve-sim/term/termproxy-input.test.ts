// termproxy's reading of client bytes, case by case as its process_queue/remove_number behave
// (pve-xtermjs termproxy/src/main.rs), quirks included.
import { describe, expect, it } from 'vitest';
import { type TermAction, TermproxyInput } from './termproxy-input';

/** Feeds each chunk as one read and describes the actions compactly. */
function read(...chunks: string[]): string[] {
  const input = new TermproxyInput();
  return chunks.flatMap((c) => input.push(Buffer.from(c, 'latin1')).map(describeAction));
}

function describeAction(a: TermAction): string {
  switch (a.kind) {
    case 'data':
      return `data ${JSON.stringify(a.data.toString('latin1'))}`;
    case 'resize':
      return `resize ${a.cols}x${a.rows}`;
    case 'ping':
      return 'ping';
    case 'ignored':
      return `ignored ${JSON.stringify(a.data.toString('latin1'))} (${a.reason})`;
  }
}

describe('TermproxyInput', () => {
  it('reads data, resize and ping messages, several per read', () => {
    expect(read('0:5:hello1:80:24:2')).toEqual(['data "hello"', 'resize 80x24']);
    // A lone trailing `2` waits: process_queue needs two bytes before it looks at a message.
    expect(read('2', '0:1:x')).toEqual(['ping', 'data "x"']);
  });

  it('counts the length in bytes and passes any bytes, colons and newlines included', () => {
    const text = 'ä:\n';
    expect(read(`0:${Buffer.byteLength(text)}:${Buffer.from(text).toString('latin1')}`)).toEqual([
      `data ${JSON.stringify(Buffer.from(text).toString('latin1'))}`,
    ]);
  });

  it('forwards a data message that spans reads as the bytes arrive', () => {
    expect(read('0:10:hello', 'world')).toEqual(['data "hello"', 'data "world"']);
  });

  it('drops a length that is not a number, with its colon, and reads on', () => {
    expect(read('0:abc:hello0:2:ok')).toEqual([
      'ignored "0:abc:" (error parsing number)',
      'ignored "h" (unknown message type)',
      'ignored "e" (unknown message type)',
      'ignored "l" (unknown message type)',
      'ignored "l" (unknown message type)',
      'ignored "o" (unknown message type)',
      'data "ok"',
    ]);
    expect(read('0:-1:x')[0]).toBe('ignored "0:-1:" (error parsing number)');
    // Rust's usize parser takes a leading `+`.
    expect(read('0:+2:ok')).toEqual(['data "ok"']);
  });

  it('skips 20 bytes at a time while no colon is in sight, then the rest byte by byte', () => {
    expect(read(`0:${'9'.repeat(25)}`)).toEqual([
      `ignored "0:${'9'.repeat(20)}" (no separator)`,
      ...Array.from({ length: 4 }, () => 'ignored "9" (unknown message type)'),
    ]);
  });

  it('misreads a message split before its colon, as termproxy does', () => {
    // "0:" is consumed and "12" has no colon yet; process_queue loops on and takes "12" for the
    // header of a resize, so "0:12" + ":hello" never becomes data.
    const input = new TermproxyInput();
    expect(input.push(Buffer.from('0:12')).map(describeAction)).toEqual([
      'ignored "0:" (incomplete message)',
      'ignored "12" (incomplete message)',
    ]);
    expect(input.push(Buffer.from(':hello')).some((a) => a.kind === 'data')).toBe(false);
  });

  it('keeps the low 16 bits of a window size, as `as u16` does', () => {
    expect(read('1:65616:24:')).toEqual(['resize 80x24']);
  });

  it('skips unknown message types a byte at a time, bytes below "0" included', () => {
    expect(read('x\u00010:1:a')).toEqual([
      'ignored "x" (unknown message type)',
      'ignored "\\u0001" (unknown message type)',
      'data "a"',
    ]);
  });

  it('reads a zero-length data message as nothing', () => {
    expect(read('0:0:0:1:z')).toEqual(['data "z"']);
  });
});
