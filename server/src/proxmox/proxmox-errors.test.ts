import { describe, expect, it } from 'vitest';
import { statusError } from './proxmox-errors';

describe('statusError', () => {
  it('keeps PVE parameter errors as bounded, cleaned data', () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`p${i}`, `bad\n${'x'.repeat(1000)}`]));
    const err = statusError(400, 'Parameter verification failed.', { errors: { ...many, nested: { deep: 1 } } });
    const details = err.details as { errors: Record<string, string> };
    expect(Object.keys(details.errors)).toHaveLength(50);
    expect(details.errors.p0).not.toContain('\n');
    expect(details.errors.p0?.length).toBeLessThanOrEqual(201);
    expect(statusError(400, 'x', { errors: 'not an object' }).details).not.toHaveProperty('errors');
  });

  it('passes upstream text on only cleaned and capped, in the message and the details', () => {
    const long = `Internal\r\nX-Injected: 1 ${'secret-page '.repeat(100)}`;
    for (const err of [statusError(500, long, undefined), statusError(500, '', { message: long })]) {
      const reason = (err.details as { reason: string }).reason;
      expect(reason.length).toBeLessThanOrEqual(201);
      expect(reason).not.toMatch(/[\r\n]/);
      expect(err.message.length).toBeLessThanOrEqual(240);
    }
  });
});
