// Reads a recording (format: recording-format.ts): its header, an index of its chunks from their
// plain headers alone (no decryption: the player's timeline and seeking), and the records of
// chunks opened one at a time. A file a crash cut short ends at its last whole chunk; a chunk
// that does not open (altered, or another recording's) ends the reading there too and says so.
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import {
  CHUNK_HEADER_BYTES,
  ChunkFlag,
  type ChunkHeader,
  decodeChunkHeader,
  FILE_MAGIC,
  type FileHeader,
  FORMAT_VERSION,
  MAX_CHUNK_BODY,
  openChunk,
  RecordingFormatError,
} from './recording-format';

const inflateRaw = promisify(zlib.inflateRaw);

export interface ChunkEntry extends ChunkHeader {
  /** Where the chunk's header starts in the file. */
  offset: number;
}

export interface RecordingIndex {
  header: FileHeader;
  chunks: ChunkEntry[];
  /** Bytes after the last whole chunk (a crash while writing). */
  trailingBytes: number;
  /** The writer's final chunk is there. */
  complete: boolean;
}

export class RecordingReader {
  private constructor(
    private readonly file: fs.FileHandle,
    readonly index: RecordingIndex,
  ) {}

  static async open(filePath: string): Promise<RecordingReader> {
    const file = await fs.open(filePath, 'r');
    try {
      return new RecordingReader(file, await readIndex(file));
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.file.close().catch(() => {});
  }

  /** Index of the chunk a player should start from to show `atMs`: the last keyframe at or before
   * it (0: the start). */
  startFor(atMs: number): number {
    let start = 0;
    this.index.chunks.forEach((c, i) => {
      if (c.flags & ChunkFlag.Keyframe && c.startMs <= atMs) start = i;
    });
    return start;
  }

  /** The chunk's records, inflated (throws RecordingFormatError when it does not open). */
  async chunk(i: number, key: Uint8Array): Promise<Buffer> {
    const entry = this.index.chunks[i];
    if (!entry) throw new RecordingFormatError(`no chunk ${i}`);
    const bytes = Buffer.alloc(CHUNK_HEADER_BYTES + entry.bodyLength);
    const { bytesRead } = await this.file.read(bytes, 0, bytes.length, entry.offset);
    if (bytesRead !== bytes.length) throw new RecordingFormatError('the file changed while reading');
    const compressed = openChunk(
      key,
      this.index.header.id,
      bytes.subarray(0, CHUNK_HEADER_BYTES),
      bytes.subarray(CHUNK_HEADER_BYTES),
    );
    return entry.flags & ChunkFlag.Stored ? compressed : inflateRaw(compressed);
  }
}

async function readIndex(file: fs.FileHandle): Promise<RecordingIndex> {
  const { size } = await file.stat();
  const fixed = Buffer.alloc(FILE_MAGIC.length + 6);
  await file.read(fixed, 0, fixed.length, 0);
  if (!fixed.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) throw new RecordingFormatError('not a recording');
  if (fixed.readUInt8(FILE_MAGIC.length) !== FORMAT_VERSION) throw new RecordingFormatError('unknown version');
  const jsonLength = fixed.readUInt32BE(FILE_MAGIC.length + 2);
  if (jsonLength > 64 * 1024) throw new RecordingFormatError('header too long');
  const json = Buffer.alloc(jsonLength);
  await file.read(json, 0, jsonLength, fixed.length);
  let header: FileHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as FileHeader;
  } catch {
    throw new RecordingFormatError('unreadable header');
  }
  const chunks: ChunkEntry[] = [];
  let offset = fixed.length + jsonLength;
  const head = Buffer.alloc(CHUNK_HEADER_BYTES);
  let complete = false;
  while (offset + CHUNK_HEADER_BYTES <= size) {
    await file.read(head, 0, CHUNK_HEADER_BYTES, offset);
    const h = decodeChunkHeader(head);
    const end = offset + CHUNK_HEADER_BYTES + h.bodyLength;
    if (h.bodyLength > MAX_CHUNK_BODY || end > size || h.seq !== chunks.length) break;
    chunks.push({ ...h, offset });
    offset = end;
    if (h.flags & ChunkFlag.End) {
      complete = true;
      break;
    }
  }
  return { header, chunks, trailingBytes: size - offset, complete };
}
