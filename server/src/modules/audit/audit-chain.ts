// The audit chain's hashes. Rows written before keying (v0) carry a plain SHA-256 that anyone
// with database access could recompute; every row since is an HMAC-SHA256 under a key derived
// from the master key, named in the row (`hash_key_id`), so rewriting a row and re-chaining the
// rows after it needs the key. The head pointer carries an HMAC too.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { keyIdOf } from '../../lib/crypto/master-keyring';
import type { AuditRow } from './audit.repo';

export const GENESIS_HASH = '0'.repeat(64);

/** HKDF info: changing it (or the derivation) is a new key generation, hence the version. */
export const AUDIT_KEY_INFO = 'nexus audit chain v1';

export interface AuditKey {
  /** `ak-…`: a non-secret name, stored in each row it keyed. */
  id: string;
  key: Buffer;
}

/** The chain key belonging to one master key (HKDF-SHA256, no salt: the master key is random). */
export function deriveAuditKey(masterKey: Buffer): AuditKey {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), AUDIT_KEY_INFO, 32));
  return { id: keyIdOf('ak', key), key };
}

type Hashed = Omit<AuditRow, 'hash'>;

/** Every column but `hash` (and, for v0, `hash_key_id`, which did not exist), in a fixed order. */
function columns(row: Hashed): unknown[] {
  return [
    row.seq,
    row.id,
    row.tenant_id,
    row.actor_user_id,
    row.actor_label,
    row.actor_ip,
    row.user_agent,
    row.action,
    row.target_type,
    row.target_id,
    row.result,
    row.details,
    row.created_at,
    row.prev_hash,
  ];
}

/** v0: how rows were hashed before the chain was keyed (kept to verify those rows). */
export function legacyAuditHash(row: Hashed): string {
  return createHash('sha256')
    .update(JSON.stringify(columns(row)))
    .digest('hex');
}

/** v1: HMAC over the columns and the key id, so a row cannot be relabelled to another key. */
export function keyedAuditHash(key: AuditKey, row: Hashed): string {
  return createHmac('sha256', key.key)
    .update(JSON.stringify(['v1', key.id, ...columns(row)]))
    .digest('hex');
}

/** The head pointer `seq:hash:keyId:mac`: without the key, nobody can move it back. */
export function formatHead(key: AuditKey, seq: number, hash: string): string {
  return `${seq}:${hash}:${key.id}:${headMac(key, seq, hash)}`;
}

export function headMac(key: AuditKey, seq: number, hash: string): string {
  return createHmac('sha256', key.key).update(`audit.head|${seq}|${hash}`).digest('hex');
}

export interface ParsedHead {
  seq: number;
  hash: string;
  /** Absent for a head written before the chain was keyed. */
  keyId?: string;
  mac?: string;
}

export function parseHead(value: string): ParsedHead | null {
  const [seqText = '', hash = '', keyId, mac] = value.split(':');
  if (!/^\d{1,15}$/.test(seqText) || !/^[0-9a-f]{64}$/.test(hash)) return null;
  return keyId !== undefined && mac !== undefined
    ? { seq: Number(seqText), hash, keyId, mac }
    : { seq: Number(seqText), hash };
}
