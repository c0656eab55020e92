// The on-disk form of a console recording (`.nxrec`), shared by the writer (in the relay, in
// the server or a relay worker) and the reader (the player's stream, retention, recovery).
//
//   file   = header chunk*
//   header = "NXREC" 0x00 version(u8) 0x00 length(u32) JSON {id, tenantId, kind, keyId, startedAt}
//   chunk  = bodyLength(u32) seq(u32) startMs(u32) endMs(u32) flags(u8) 0 0 0  iv(12)  body
//   body   = AES-256-GCM(deflateRaw(record*), or record* when flagged Stored) ‖ tag(16), additional data = "nxrec1|<id>|" ‖ the
//            chunk's 20 header bytes (a chunk moved, reordered or relabelled does not open)
//   record = type(u8) atMs(u32) length(u32) payload
//
// Each chunk compresses and seals on its own, so a reader can start at any chunk and a crash
// loses only the chunk under way (the writer seals one every second or so). A keyframe chunk
// starts with a STATE record (size, pixel format, name) and at a server-message boundary, right
// after the relay asked Proxmox for a whole picture: a player seeks by starting there. The key is
// the tenant's data key run through HKDF with the recording's id (CredentialVault.derivedKey).
import { createCipheriv, createDecipheriv, randomBytes, webcrypto } from 'node:crypto';
import { decodePixelFormat, encodePixelFormat, type PixelFormat } from '@common/rfb/pixel-format';

export const FILE_MAGIC = Buffer.from('NXREC\0', 'latin1');
export const FORMAT_VERSION = 1;
export const CHUNK_HEADER_BYTES = 20;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const RECORD_HEADER_BYTES = 9;
/** A chunk's sealed body is at most this long (a reader refuses larger: a corrupt length). */
export const MAX_CHUNK_BODY = 64 * 1024 * 1024;

export const RecordType = {
  /** Bytes of Proxmox's RFB stream after ServerInit, as they came. */
  Server: 1,
  /** A key the user pressed: down(u8) keysym(u32); keysym 0 when the tenant masks keys. */
  Key: 2,
  /** Pointer: buttons(u8) x(u16) y(u16). */
  Pointer: 3,
  /** width(u16) height(u16) pixelFormat(16) name(utf-8): at the start and at each keyframe. */
  State: 4,
  /** Terminal output (utf-8). */
  TermOutput: 5,
  /** Terminal input (utf-8; empty when masked, its length kept in the record). */
  TermInput: 6,
  /** Terminal size: cols(u16) rows(u16). */
  TermSize: 7,
} as const;

export const ChunkFlag = {
  Keyframe: 1,
  Keys: 2,
  Clicks: 4,
  /** The writer's last chunk: the recording ended cleanly. */
  End: 8,
  /** Records stored without deflate (compression had fallen behind the console). */
  Stored: 16,
} as const;

export interface FileHeader {
  id: string;
  tenantId: string;
  kind: 'vnc' | 'terminal';
  keyId: string;
  startedAt: number;
}

export interface ChunkHeader {
  bodyLength: number;
  seq: number;
  startMs: number;
  endMs: number;
  flags: number;
}

export interface ScreenState {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  name: string;
}

export function encodeFileHeader(header: FileHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(FILE_MAGIC.length + 6);
  FILE_MAGIC.copy(fixed, 0);
  fixed.writeUInt8(FORMAT_VERSION, FILE_MAGIC.length);
  fixed.writeUInt32BE(json.length, FILE_MAGIC.length + 2);
  return Buffer.concat([fixed, json]);
}

export function encodeRecordHeader(type: number, atMs: number, length: number): Buffer {
  const h = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  h.writeUInt8(type, 0);
  h.writeUInt32BE(atMs >>> 0, 1);
  h.writeUInt32BE(length, 5);
  return h;
}

export function encodeState(state: ScreenState): Buffer {
  const name = Buffer.from(state.name, 'utf8').subarray(0, 1024);
  const out = Buffer.alloc(20 + name.length);
  out.writeUInt16BE(state.width, 0);
  out.writeUInt16BE(state.height, 2);
  out.set(encodePixelFormat(state.pixelFormat), 4);
  out.set(name, 20);
  return out;
}

export function decodeState(payload: Uint8Array): ScreenState {
  const view = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (view.length < 20) throw new RecordingFormatError('short state record');
  return {
    width: view.readUInt16BE(0),
    height: view.readUInt16BE(2),
    pixelFormat: decodePixelFormat(view.subarray(4, 20)),
    name: view.subarray(20).toString('utf8'),
  };
}

export class RecordingFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFormatError';
  }
}

function chunkHeaderBytes(h: ChunkHeader): Buffer {
  const out = Buffer.alloc(CHUNK_HEADER_BYTES);
  out.writeUInt32BE(h.bodyLength, 0);
  out.writeUInt32BE(h.seq, 4);
  out.writeUInt32BE(h.startMs >>> 0, 8);
  out.writeUInt32BE(h.endMs >>> 0, 12);
  out.writeUInt8(h.flags, 16);
  return out;
}

export function decodeChunkHeader(bytes: Uint8Array): ChunkHeader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, CHUNK_HEADER_BYTES);
  return {
    bodyLength: b.readUInt32BE(0),
    seq: b.readUInt32BE(4),
    startMs: b.readUInt32BE(8),
    endMs: b.readUInt32BE(12),
    flags: b.readUInt8(16),
  };
}

function aad(recordingId: string, header: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`nxrec1|${recordingId}|`, 'utf8'), header]);
}

/** One sealed chunk, header included, ready to append. */
export function sealChunk(
  key: Uint8Array,
  recordingId: string,
  h: Omit<ChunkHeader, 'bodyLength'>,
  compressed: Uint8Array,
): Buffer {
  const header = chunkHeaderBytes({ ...h, bodyLength: IV_BYTES + compressed.length + TAG_BYTES });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(recordingId, header));
  return Buffer.concat([header, iv, cipher.update(compressed), cipher.final(), cipher.getAuthTag()]);
}

/** The same as `sealChunk`, with WebCrypto: the encryption runs on libuv's thread pool, not on the
 * relay's event loop (AES-GCM's output is ciphertext then tag either way). */
export async function sealChunkAsync(
  key: CryptoKey,
  recordingId: string,
  h: Omit<ChunkHeader, 'bodyLength'>,
  body: Uint8Array,
): Promise<Buffer> {
  const header = chunkHeaderBytes({ ...h, bodyLength: IV_BYTES + body.length + TAG_BYTES });
  const iv = randomBytes(IV_BYTES);
  const sealed = await webcrypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(recordingId, header), tagLength: TAG_BYTES * 8 },
    key,
    body,
  );
  return Buffer.concat([header, iv, Buffer.from(sealed)]);
}

export function importChunkKey(key: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
}

/** The (compressed, unless flagged Stored) records of a chunk; throws when it was altered or
 * belongs elsewhere. */
export function openChunk(key: Uint8Array, recordingId: string, header: Uint8Array, body: Uint8Array): Buffer {
  if (body.length < IV_BYTES + TAG_BYTES) throw new RecordingFormatError('short chunk');
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
  decipher.setAAD(aad(recordingId, Buffer.from(header)));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new RecordingFormatError('a chunk does not open (altered, moved, or another key)');
  }
}

export interface RecordView {
  type: number;
  atMs: number;
  payload: Buffer;
}

/** The records of an opened and inflated chunk. */
export function* records(plain: Buffer): Generator<RecordView> {
  let at = 0;
  while (at + RECORD_HEADER_BYTES <= plain.length) {
    const type = plain.readUInt8(at);
    const atMs = plain.readUInt32BE(at + 1);
    const length = plain.readUInt32BE(at + 5);
    const start = at + RECORD_HEADER_BYTES;
    if (start + length > plain.length) throw new RecordingFormatError('a record runs past its chunk');
    yield { type, atMs, payload: plain.subarray(start, start + length) };
    at = start + length;
  }
  if (at !== plain.length) throw new RecordingFormatError('trailing bytes in a chunk');
}
