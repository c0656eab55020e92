import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyVncAuthResponse, vncAuthKey, vncAuthResponse } from './vnc-auth';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const sequence = Uint8Array.from({ length: 16 }, (_, i) => i);

// Expected values computed independently with OpenSSL's DES-ECB (legacy provider) and a
// bit-reversed key, e.g. `openssl enc -des-ecb -nopad -provider legacy -K 0e86ceceeef64e26`.
const VECTORS: [password: string, challenge: string, response: string][] = [
  ['password', '00000000000000000000000000000000', 'ff97502e9422f089ff97502e9422f089'],
  ['password', '000102030405060708090a0b0c0d0e0f', 'b866924125c8eebb9debc1db61c538e2'],
  ['passwd', '000102030405060708090a0b0c0d0e0f', 'e8399b58571e87ed8445c8716b6dd945'],
  ['', '000102030405060708090a0b0c0d0e0f', '491e890de9ace932838a49792f2213f3'],
  ['longerthan8chars', '8f1e2d3c4b5a69788796a5b4c3d2e1f0', 'dbc3f4ffe188248768c5487f56217c4d'],
  ['Zm9v+/=;', 'ffffffffffffffffffffffffffffffff', '0b4d9bc5d2ab17a40b4d9bc5d2ab17a4'],
];

type NoVncCipher = { encrypt(algorithm: unknown, plaintext: Uint8Array): Uint8Array };
type NoVncDes = { DESECBCipher: { importKey(key: number[]): NoVncCipher } };

/** noVNC's own DES (a separate implementation that applies the VNC quirk internally). The package
 * exports only its entry point, so load the file by path. */
async function loadNoVncDes(): Promise<NoVncDes> {
  const url = new URL('../../node_modules/@novnc/novnc/core/crypto/des.js', import.meta.url).href;
  return (await import(url)) as NoVncDes;
}

describe('vncAuthKey', () => {
  it('NUL-pads to 8 bytes and reverses the bits of each byte', () => {
    expect(hex(vncAuthKey('password'))).toBe('0e86ceceeef64e26');
    expect(hex(vncAuthKey('passwd'))).toBe('0e86ceceee260000');
    expect(hex(vncAuthKey(''))).toBe('0000000000000000');
    expect(hex(vncAuthKey('longerthan8chars'))).toBe(hex(vncAuthKey('longerth')));
  });
});

describe('vncAuthResponse', () => {
  it.each(VECTORS)('matches OpenSSL for password %j', (password, challenge, response) => {
    expect(hex(vncAuthResponse(fromHex(challenge), password))).toBe(response);
  });

  it('matches noVNC’s DES for random ASCII passwords and challenges', async () => {
    const { DESECBCipher } = await loadNoVncDes();
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          maxLength: 12,
        }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (password, challenge) => {
          const key = [...password].map((c) => c.charCodeAt(0));
          const expected = DESECBCipher.importKey(key).encrypt({ name: 'DES-ECB' }, challenge);
          expect(hex(vncAuthResponse(challenge, password))).toBe(hex(expected));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects challenges that are not 16 bytes', () => {
    expect(() => vncAuthResponse(new Uint8Array(15), 'x')).toThrow(RangeError);
  });
});

describe('verifyVncAuthResponse', () => {
  it('accepts the right response and rejects others', () => {
    const response = vncAuthResponse(sequence, 'secret');
    expect(verifyVncAuthResponse(sequence, response, 'secret')).toBe(true);
    expect(verifyVncAuthResponse(sequence, response, 'secreT')).toBe(false);
    expect(verifyVncAuthResponse(sequence, response.subarray(0, 15), 'secret')).toBe(false);
    const flipped = response.slice();
    flipped[15] = (flipped[15] as number) ^ 1;
    expect(verifyVncAuthResponse(sequence, flipped, 'secret')).toBe(false);
  });

  it('ignores everything after the 8th byte, as VNC does', () => {
    const response = vncAuthResponse(sequence, 'abcdefgh');
    expect(verifyVncAuthResponse(sequence, response, 'abcdefgh-and-more')).toBe(true);
  });
});
