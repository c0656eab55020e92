// VNC authentication (RFB security type 2): the 16-byte challenge DES-ECB-encrypted with the
// password as key. We use the pure-JavaScript `des.js` because Node's OpenSSL 3 no longer offers
// single DES (it sits in the "legacy" provider, off by default) and WebCrypto never had it.
import desjs from 'des.js';

const encoder = new TextEncoder();

function reverseBits(byte: number): number {
  let b = byte;
  b = ((b & 0xf0) >> 4) | ((b & 0x0f) << 4);
  b = ((b & 0xcc) >> 2) | ((b & 0x33) << 2);
  b = ((b & 0xaa) >> 1) | ((b & 0x55) << 1);
  return b;
}

/** The DES key: the password's first 8 bytes (UTF-8), NUL-padded, each byte's bits reversed — the
 * classic VNC quirk (the original code treated the key bits LSB-first). */
export function vncAuthKey(password: string): Uint8Array {
  const key = new Uint8Array(8);
  key.set(encoder.encode(password).subarray(0, 8));
  return key.map(reverseBits);
}

/** The client's answer to a VNC authentication challenge. */
export function vncAuthResponse(challenge: Uint8Array, password: string): Uint8Array {
  if (challenge.length !== 16) throw new RangeError(`VNC challenge must be 16 bytes, got ${challenge.length}`);
  const cipher = desjs.DES.create({ type: 'encrypt', key: vncAuthKey(password), padding: false });
  return Uint8Array.from([...cipher.update(challenge), ...cipher.final()]);
}

/** Checks a client's response without leaking, through timing, how many bytes matched. */
export function verifyVncAuthResponse(challenge: Uint8Array, response: Uint8Array, password: string): boolean {
  const expected = vncAuthResponse(challenge, password);
  if (response.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= (expected[i] as number) ^ (response[i] as number);
  return diff === 0;
}
