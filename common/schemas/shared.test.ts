import { describe, expect, it } from 'vitest';
import { parseUuid, parseVmid, QueryInt, QueryIntOptional, VmidParam } from './shared';

describe('parseVmid', () => {
  it('reads the canonical decimal spelling of 100–999999999', () => {
    for (const [text, n] of [
      ['100', 100],
      ['102', 102],
      ['9000', 9000],
      ['999999999', 999_999_999],
    ] as const) {
      expect(parseVmid(text)).toBe(n);
      expect(VmidParam.parse(text)).toBe(n);
    }
    expect(parseVmid(102)).toBe(102);
  });

  it('refuses every other spelling, and numbers out of range', () => {
    const texts = ['0x66', '1.02e2', '102.0', '+102', ' 102', '102 ', '0102', '0o146', '0b1100110', '1_02', '１０２'];
    for (const text of [...texts, '99', '0', '-100', '1000000000', '', '10e', 'NaN', 'Infinity']) {
      expect(parseVmid(text), text).toBeNull();
      expect(VmidParam.safeParse(text).success, text).toBe(false);
    }
    for (const n of [99, 102.5, 1e9, -102, Number.NaN, Number.POSITIVE_INFINITY]) expect(parseVmid(n)).toBeNull();
    expect(parseVmid(null)).toBeNull();
    expect(parseVmid(['102'])).toBeNull();
  });
});

describe('parseUuid', () => {
  it('has one canonical form: lowercase', () => {
    expect(parseUuid('ABCDEF00-0000-4000-8000-000000000000')).toBe('abcdef00-0000-4000-8000-000000000000');
    expect(parseUuid(' abcdef00-0000-4000-8000-000000000000')).toBeNull();
    expect(parseUuid('abcdef00000040008000000000000000')).toBeNull();
    expect(parseUuid(undefined)).toBeNull();
  });
});

describe('QueryInt', () => {
  const limit = QueryInt(1, 500, 50);
  it('reads plain decimal digits in range, and the fallback when absent', () => {
    expect(limit.parse('1')).toBe(1);
    expect(limit.parse('500')).toBe(500);
    expect(limit.parse(undefined)).toBe(50);
    expect(QueryInt(0, 10, 5).parse('0')).toBe(0);
    expect(QueryIntOptional(0, 10).parse(undefined)).toBeUndefined();
  });
  it('refuses every other spelling, and numbers out of range', () => {
    for (const text of ['1e2', '0x10', ' 10', '10 ', '+10', '010', '10.0', '1_0', '', 'NaN', '0', '501', '-1']) {
      expect(limit.safeParse(text).success, text).toBe(false);
    }
    expect(limit.safeParse(10).success).toBe(false);
  });
});
