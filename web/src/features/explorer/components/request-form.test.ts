import { describe, expect, it } from 'vitest';
import { parseParams } from './request-form';

describe('parseParams', () => {
  it('reads key=value lines, trimming both sides and keeping "=" inside values', () => {
    expect(parseParams(' type = vm \nfilter=a=b\n')).toEqual({ type: 'vm', filter: 'a=b' });
  });

  it('skips blank lines, comments and lines without a key', () => {
    expect(parseParams('\n# full=1\n=orphan\nnoequals\nfull=1')).toEqual({ full: '1' });
  });
});
