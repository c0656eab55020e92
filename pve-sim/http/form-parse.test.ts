import { describe, expect, it } from 'vitest';
import { parseForm } from './form-parse';

describe('parseForm (Perl URI/CGI decoding)', () => {
  it('splits on & and ;', () => {
    expect(parseForm('a=1&b=2;c=3')).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('turns + into a space and decodes percent escapes', () => {
    expect(parseForm('t=a+b%2Bc%3Bd%3De')).toEqual({ t: 'a b+c;d=e' });
  });

  it('breaks an unencoded vnc ticket apart', () => {
    const ticket = 'ab;cd:PVEVNC:6789ABCD::x+y/z=';
    const parsed = parseForm(`port=5900&vncticket=${ticket}`);
    expect(parsed.vncticket).toBe('ab');
    expect(parsed['cd:PVEVNC:6789ABCD::x y/z']).toBe('');
    expect(parseForm(`vncticket=${encodeURIComponent(ticket)}`).vncticket).toBe(ticket);
  });

  it('joins repeated keys with NUL and keeps keys without a value', () => {
    expect(parseForm('a=1&a=2&flag')).toEqual({ a: '1\u00002', flag: '' });
  });

  it('leaves malformed escapes alone instead of failing', () => {
    expect(parseForm('a=%E0%A4%A&b=%zz')).toEqual({ a: '\u00e0\u00a4%A', b: '%zz' });
  });
});
