import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptError, open, parseSealed, seal } from './aead';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);

  it('round-trips and names its key', () => {
    const text = seal(key, 'dk-0123', Buffer.from('secret-value'), 'pve|t1|s1');
    expect(text).toMatch(/^v1\.dk-0123\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(text).not.toContain('secret');
    const sealed = parseSealed(text);
    expect(sealed.keyId).toBe('dk-0123');
    expect(open(key, sealed, 'pve|t1|s1').toString()).toBe('secret-value');
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, 'k', Buffer.from('x'), 'c')).not.toBe(seal(key, 'k', Buffer.from('x'), 'c'));
  });

  it('refuses another context, another key, a changed key id or altered bytes', () => {
    const text = seal(key, 'k1', Buffer.from('secret'), 'pve|t1|s1');
    expect(() => open(key, parseSealed(text), 'pve|t1|s2')).toThrow(DecryptError);
    expect(() => open(randomBytes(32), parseSealed(text), 'pve|t1|s1')).toThrow(DecryptError);
    expect(() => open(key, parseSealed(text.replace('.k1.', '.k2.')), 'pve|t1|s1')).toThrow(DecryptError);
    const parts = text.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => open(key, parseSealed(parts.join('.')), 'pve|t1|s1')).toThrow(DecryptError);
  });

  it('rejects values that are not sealed strings', () => {
    for (const bad of [
      '',
      'plain',
      'v2.k.aaaa.bbbb',
      'v1.k.short.body',
      'v1.bad id.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      expect(() => parseSealed(bad)).toThrow(DecryptError);
    }
  });
});
