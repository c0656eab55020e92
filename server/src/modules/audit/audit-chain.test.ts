import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveAuditKey,
  formatHead,
  GENESIS_HASH,
  headMac,
  keyedAuditHash,
  legacyAuditHash,
  parseHead,
} from './audit-chain';

const row = {
  seq: 7,
  id: '00000000-0000-4000-8000-000000000007',
  tenant_id: null,
  actor_user_id: null,
  actor_label: 'system',
  actor_ip: null,
  user_agent: null,
  action: 'x.y',
  target_type: null,
  target_id: null,
  result: 'success',
  details: null,
  created_at: 1,
  prev_hash: GENESIS_HASH,
  hash_key_id: null,
};

describe('audit chain hashes', () => {
  it('derives one stable key per master key, different for another master key', () => {
    const a = deriveAuditKey(Buffer.alloc(32, 1));
    expect(deriveAuditKey(Buffer.alloc(32, 1))).toEqual(a);
    const b = deriveAuditKey(Buffer.alloc(32, 2));
    expect(b.id).not.toBe(a.id);
    expect(a.id).toMatch(/^ak-[0-9a-f]{16}$/);
    // Not the master key itself, nor the data-key derivation.
    expect(a.key.equals(Buffer.alloc(32, 1))).toBe(false);
  });

  it('keeps the legacy hash exactly as rows were hashed before keying', () => {
    const columns = [7, row.id, null, null, 'system', null, null, 'x.y', null, null, 'success', null, 1, GENESIS_HASH];
    expect(legacyAuditHash(row)).toBe(createHash('sha256').update(JSON.stringify(columns)).digest('hex'));
  });

  it('keys the hash: a different key, key id or column gives a different hash', () => {
    const a = deriveAuditKey(Buffer.alloc(32, 1));
    const b = deriveAuditKey(Buffer.alloc(32, 2));
    const h = keyedAuditHash(a, row);
    expect(h).not.toBe(legacyAuditHash(row));
    expect(keyedAuditHash(b, row)).not.toBe(h);
    expect(keyedAuditHash({ id: b.id, key: a.key }, row)).not.toBe(h);
    expect(keyedAuditHash(a, { ...row, details: '{}' })).not.toBe(h);
  });

  it('formats and parses head pointers, keyed and legacy', () => {
    const a = deriveAuditKey(Buffer.alloc(32, 1));
    const hash = 'f'.repeat(64);
    expect(parseHead(formatHead(a, 12, hash))).toEqual({ seq: 12, hash, keyId: a.id, mac: headMac(a, 12, hash) });
    expect(parseHead(`12:${hash}`)).toEqual({ seq: 12, hash });
    expect(parseHead('x:y')).toBeNull();
    expect(headMac(a, 11, hash)).not.toBe(headMac(a, 12, hash));
  });
});
