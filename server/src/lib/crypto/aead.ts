// AES-256-GCM sealing into one printable string that names the key it was sealed with:
// `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url). The key id is also bound as additional data.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface Sealed {
  keyId: string;
  iv: Buffer;
  body: Buffer; // ciphertext followed by the 16-byte tag
}

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

function aadFor(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}|${keyId}|${context}`, 'utf8');
}

/** Seals `plaintext` under `key`; `context` (e.g. tenant and server ids) must match to open it. */
export function seal(key: Buffer, keyId: string, plaintext: Buffer, context: string): string {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  if (!KEY_ID.test(keyId)) throw new Error('invalid key id');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadFor(keyId, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
}

/** Splits a sealed string without decrypting it (to learn which key it needs). */
export function parseSealed(text: string): Sealed {
  const parts = text.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptError('not a sealed value');
  const [, keyId = '', ivText = '', bodyText = ''] = parts;
  if (!KEY_ID.test(keyId)) throw new DecryptError('not a sealed value');
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new DecryptError('not a sealed value');
  return { keyId, iv, body };
}

export function open(key: Buffer, sealed: Sealed, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAAD(aadFor(sealed.keyId, context));
  decipher.setAuthTag(sealed.body.subarray(sealed.body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.body.subarray(0, sealed.body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptError('authentication failed: wrong key or context, or the value was altered');
  }
}
