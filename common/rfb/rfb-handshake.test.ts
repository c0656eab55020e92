import { describe, expect, it } from 'vitest';
import { ByteQueue, RfbProtocolError } from './byte-queue';
import { PIXEL_FORMAT_XRGB32 } from './pixel-format';
import {
  ClientHandshakeReader,
  encodeProtocolVersion,
  encodeSecurityResult,
  encodeSecurityTypes,
  encodeSecurityTypesFailure,
  encodeServerInit,
  parseProtocolVersion,
  SecurityType,
  ServerHandshakeReader,
} from './rfb-handshake';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const cat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Feeds `data` one byte at a time, asserting `step` stays undefined until the last byte. */
function feedBytewise<T>(push: (b: Uint8Array) => void, step: () => T | undefined, data: Uint8Array): T {
  for (let i = 0; i < data.length - 1; i++) {
    push(data.subarray(i, i + 1));
    expect(step()).toBeUndefined();
  }
  push(data.subarray(data.length - 1));
  const value = step();
  expect(value).toBeDefined();
  return value as T;
}

describe('protocol version', () => {
  it('round-trips and validates the 12-byte string', () => {
    expect(new TextDecoder().decode(encodeProtocolVersion())).toBe('RFB 003.008\n');
    expect(parseProtocolVersion(text('RFB 003.008\n'))).toEqual({ major: 3, minor: 8 });
    expect(parseProtocolVersion(text('RFB 003.889\n'))).toEqual({ major: 3, minor: 889 });
    for (const bad of ['RFB 003.008 ', 'RFB 3.8\n    ', 'HTTP/1.1 200', 'RFB 003.008\r']) {
      expect(() => parseProtocolVersion(text(bad))).toThrow(RfbProtocolError);
    }
  });
});

describe('ServerHandshakeReader', () => {
  it('reads a VNC-auth handshake step by step, whatever the chunking', () => {
    const reader = new ServerHandshakeReader();
    const push = (b: Uint8Array): void => reader.push(b);
    expect(feedBytewise(push, () => reader.protocolVersion(), encodeProtocolVersion())).toEqual({ major: 3, minor: 8 });
    expect(feedBytewise(push, () => reader.securityTypes(), encodeSecurityTypes([SecurityType.VncAuth, 1]))).toEqual({
      ok: true,
      types: [2, 1],
    });
    const challenge = Uint8Array.from({ length: 16 }, (_, i) => i * 3);
    expect(feedBytewise(push, () => reader.vncAuthChallenge(), challenge)).toEqual(challenge);
    expect(feedBytewise(push, () => reader.securityResult(), encodeSecurityResult())).toEqual({ ok: true });
    const init = encodeServerInit({
      width: 1024,
      height: 768,
      pixelFormat: PIXEL_FORMAT_XRGB32,
      name: 'web-01 «prod» 😀',
    });
    const parsed = feedBytewise(push, () => reader.serverInit(), init);
    expect(parsed).toMatchObject({
      width: 1024,
      height: 768,
      pixelFormat: PIXEL_FORMAT_XRGB32,
      name: 'web-01 «prod» 😀',
    });
    expect(parsed.raw).toEqual(init);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('reports failure reasons for refused connections and failed authentication', () => {
    const reader = new ServerHandshakeReader();
    reader.push(encodeSecurityTypesFailure('Too many connections'));
    expect(reader.securityTypes()).toEqual({ ok: false, reason: 'Too many connections' });
    reader.push(encodeSecurityResult('Authentication failed'));
    expect(reader.securityResult()).toEqual({ ok: false, reason: 'Authentication failed' });
    reader.push(bytes(0, 0, 0, 2, 0, 0, 0, 0));
    expect(reader.securityResult()).toEqual({ ok: false, reason: '' });
  });

  it('keeps bytes that follow the handshake for the caller', () => {
    const reader = new ServerHandshakeReader();
    reader.push(cat([encodeSecurityResult(), bytes(0, 0, 0, 1)]));
    expect(reader.securityResult()).toEqual({ ok: true });
    expect(reader.takeRemaining()).toEqual(bytes(0, 0, 0, 1));
  });

  it('rejects malformed or oversized input', () => {
    const bad = (data: Uint8Array, step: (r: ServerHandshakeReader) => unknown, limits = {}): void => {
      const reader = new ServerHandshakeReader(limits);
      reader.push(data);
      expect(() => step(reader)).toThrow(RfbProtocolError);
    };
    bad(text('SSH-2.0-Open'), (r) => r.protocolVersion());
    bad(bytes(0, 0, 0, 7), (r) => r.securityResult());
    bad(bytes(0, 0x10, 0, 0, 0), (r) => r.securityTypes(), { maxReasonBytes: 1000 });
    const init = encodeServerInit({ width: 1, height: 1, pixelFormat: PIXEL_FORMAT_XRGB32, name: 'x'.repeat(100) });
    bad(init, (r) => r.serverInit(), { maxNameBytes: 99 });
    const badFormat = init.slice();
    badFormat[4] = 24; // bits-per-pixel
    bad(badFormat, (r) => r.serverInit());
  });
});

describe('ClientHandshakeReader', () => {
  it('reads version, security type, VNC response and ClientInit from a shared queue', () => {
    const queue = new ByteQueue();
    const reader = new ClientHandshakeReader(queue);
    const response = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
    queue.push(cat([encodeProtocolVersion(), bytes(2), response.subarray(0, 5)]));
    expect(reader.protocolVersion()).toEqual({ major: 3, minor: 8 });
    expect(reader.securityType()).toBe(2);
    expect(reader.vncAuthResponse()).toBeUndefined();
    queue.push(cat([response.subarray(5), bytes(0, 3, 1)]));
    expect(reader.vncAuthResponse()).toEqual(response);
    expect(reader.clientInit()).toEqual({ shared: false });
    expect(reader.takeRemaining()).toEqual(bytes(3, 1));
    expect(reader.clientInit()).toBeUndefined();
  });
});

describe('ByteQueue', () => {
  it('reads across chunk boundaries and peeks without consuming', () => {
    const queue = new ByteQueue();
    queue.push(bytes(1, 2));
    queue.push(new Uint8Array(0));
    queue.push(bytes(3, 4, 5));
    expect(queue.peekByte(3)).toBe(4);
    expect(queue.peek(3)).toEqual(bytes(1, 2, 3));
    expect(queue.read(6)).toBeUndefined();
    expect(queue.read(1)).toEqual(bytes(1));
    expect(queue.read(3)).toEqual(bytes(2, 3, 4));
    expect(queue.length).toBe(1);
    expect(queue.readAll()).toEqual(bytes(5));
    expect(() => queue.peekByte(0)).toThrow(RangeError);
  });
});
