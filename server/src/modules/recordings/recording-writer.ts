// Writes one console's recording as it happens (format: recording-format.ts). The relay hands
// over what it relays — references, not copies — and the writer seals a chunk about once a second
// (or at 1 MiB): deflate and AES-GCM (WebCrypto) run on libuv's thread pool, off the relay's
// event loop, several chunks at once; writes go out in order. When deflate falls behind (a
// console streaming hundreds of MiB/s), chunks are stored uncompressed rather than slow the
// relay — larger files for a burst, never a slower console. Nothing here can slow or end the console: when storage fails
// (full, gone) or falls far behind, the recording stops with an error and the relay carries on.
// An idle console writes nothing; the file's modification time is touched every minute so that
// recovery (RecordingsService.recoverStale) can tell a live recording from one a crash left.
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { PixelFormat } from '@common/rfb/pixel-format';
import {
  ChunkFlag,
  encodeFileHeader,
  encodeRecordHeader,
  encodeState,
  importChunkKey,
  RecordType,
  sealChunkAsync,
} from './recording-format';

const deflateRaw = promisify(zlib.deflateRaw);

/** What the relay needs to record a console (crosses to relay workers over IPC). */
export interface RecordingSpec {
  id: string;
  tenantId: string;
  kind: 'vnc' | 'terminal';
  /** Absolute path of the file to create. */
  file: string;
  /** The file's key (recordingKey) and the id of the tenant data key it came from. */
  key: Uint8Array;
  keyId: string;
  startedAt: number;
  /** Keys are recorded as "a key", not which. */
  maskKeys: boolean;
  /** How often the relay asks Proxmox for a whole picture and starts a keyframe (0: never). */
  keyframeEveryMs: number;
}

export interface RecordingOutcome {
  /** Bytes in the file. */
  bytes: number;
  durationMs: number;
  /** Why recording stopped early (storage full, …); null when it recorded to the end. */
  error: string | null;
}

export interface WriterTuning {
  flushMs: number;
  maxChunkBytes: number;
  /** Sealed or waiting bytes beyond this mean storage cannot keep up: the recording stops. */
  maxBacklogBytes: number;
  touchEveryMs: number;
  level: number;
  /** Chunks deflated at once; a chunk beyond that is stored uncompressed. */
  maxCompressing: number;
}

export const DEFAULT_WRITER_TUNING: WriterTuning = {
  flushMs: 1_000,
  maxChunkBytes: 1024 * 1024,
  maxBacklogBytes: 32 * 1024 * 1024,
  touchEveryMs: 60_000,
  level: 1,
  maxCompressing: 2,
};

export class RecordingWriter {
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private chunkStartMs = 0;
  private chunkEndMs = 0;
  private flags = 0;
  private seq = 0;
  private backlog = 0;
  private bytes = 0;
  private lastMs = 0;
  private ended = false;
  /** The chunk under way starts a keyframe that is not confirmed yet: not sealed on time. */
  private holding = false;
  private file: fs.FileHandle | null = null;
  private readonly cryptoKey: Promise<CryptoKey>;
  /** Chunks being deflated now. */
  private compressing = 0;
  private queue: Promise<void>;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly touchTimer: NodeJS.Timeout;
  private readonly tuning: WriterTuning;
  private readonly t0: number;
  error: string | null = null;

  constructor(
    readonly spec: RecordingSpec,
    private readonly now: () => number,
    tuning: Partial<WriterTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_WRITER_TUNING, ...tuning };
    this.t0 = now();
    this.cryptoKey = importChunkKey(spec.key);
    this.queue = this.open();
    this.flushTimer = setInterval(() => this.flush(), this.tuning.flushMs);
    this.flushTimer.unref();
    this.touchTimer = setInterval(() => this.touch(), this.tuning.touchEveryMs);
    this.touchTimer.unref();
  }

  /** Bytes handed to sealing and not yet written. */
  get pendingBytes(): number {
    return this.backlog;
  }

  get active(): boolean {
    return !this.ended && this.error === null;
  }

  /** Bytes of Proxmox's stream. */
  server(data: Uint8Array): void {
    if (data.length > 0) this.add(RecordType.Server, data);
  }

  key(down: boolean, keysym: number): void {
    const p = Buffer.allocUnsafe(5);
    p.writeUInt8(down ? 1 : 0, 0);
    p.writeUInt32BE(this.spec.maskKeys ? 0 : keysym >>> 0, 1);
    this.add(RecordType.Key, p, ChunkFlag.Keys);
  }

  pointer(buttons: number, x: number, y: number): void {
    const p = Buffer.allocUnsafe(5);
    p.writeUInt8(buttons, 0);
    p.writeUInt16BE(x, 1);
    p.writeUInt16BE(y, 3);
    this.add(RecordType.Pointer, p, buttons !== 0 ? ChunkFlag.Clicks : 0);
  }

  /** The screen as a player must set it up (ServerInit's size and name, the current format). */
  state(state: { width: number; height: number; pixelFormat: PixelFormat; name: string }): void {
    this.add(RecordType.State, encodeState(state));
  }

  /** Seals what came before; the next chunk is a keyframe starting with this state — once the
   * relay confirms that the whole picture it asked for followed (until then the chunk is held,
   * up to a bound). */
  keyframe(state: { width: number; height: number; pixelFormat: PixelFormat; name: string }): void {
    if (!this.active) return;
    if (this.holding) this.cancelKeyframe();
    this.flush();
    this.flags |= ChunkFlag.Keyframe;
    this.holding = true;
    this.state(state);
  }

  /** The whole picture came: the held chunk is a keyframe. */
  confirmKeyframe(): void {
    this.holding = false;
  }

  /** It did not come (in time): the held chunk is an ordinary one. */
  cancelKeyframe(): void {
    this.flags &= ~ChunkFlag.Keyframe;
    this.holding = false;
  }

  termOutput(text: Uint8Array): void {
    if (text.length > 0) this.add(RecordType.TermOutput, text);
  }

  termInput(text: Uint8Array): void {
    if (text.length === 0) return;
    this.add(RecordType.TermInput, this.spec.maskKeys ? Buffer.alloc(0) : text, ChunkFlag.Keys);
  }

  termSize(cols: number, rows: number): void {
    const p = Buffer.allocUnsafe(4);
    p.writeUInt16BE(cols, 0);
    p.writeUInt16BE(rows, 2);
    this.add(RecordType.TermSize, p);
  }

  /** Seals the rest, marks the end and closes the file. */
  async end(): Promise<RecordingOutcome> {
    if (!this.ended) {
      this.flags |= ChunkFlag.End;
      this.flush(true);
      this.ended = true;
      clearInterval(this.flushTimer);
      clearInterval(this.touchTimer);
    }
    await this.queue;
    const file = this.file;
    this.file = null;
    if (file) {
      await file.sync().catch(() => {});
      await file.close().catch(() => {});
    }
    return { bytes: this.bytes, durationMs: this.lastMs, error: this.error };
  }

  private add(type: number, payload: Uint8Array, flag = 0): void {
    if (!this.active) return;
    const atMs = Math.max(0, this.now() - this.t0);
    if (this.parts.length === 0) this.chunkStartMs = atMs;
    this.chunkEndMs = atMs;
    this.lastMs = atMs;
    this.flags |= flag;
    this.parts.push(encodeRecordHeader(type, atMs, payload.length), payload);
    this.partsBytes += payload.length + 9;
    if (this.partsBytes >= this.tuning.maxChunkBytes) this.flush();
  }

  /** Hands the records so far to compression, sealing and the file, in order. */
  private flush(final = false): void {
    if (!this.active || (this.parts.length === 0 && !final)) return;
    if (this.holding) {
      if (!final && this.partsBytes < 4 * this.tuning.maxChunkBytes) return;
      this.cancelKeyframe();
    }
    const parts = this.parts;
    const header = { seq: this.seq++, startMs: this.chunkStartMs, endMs: this.chunkEndMs, flags: this.flags };
    const size = this.partsBytes;
    this.parts = [];
    this.partsBytes = 0;
    this.flags = 0;
    this.backlog += size;
    if (this.backlog > this.tuning.maxBacklogBytes) {
      this.fail('storage could not keep up with the console');
      return;
    }
    // Compression and sealing start now, beside earlier chunks'; writes keep their order.
    const compress = this.compressing < this.tuning.maxCompressing;
    const plain = Buffer.concat(parts, size);
    let body: Promise<Uint8Array>;
    if (compress) {
      this.compressing++;
      body = deflateRaw(plain, { level: this.tuning.level }).finally(() => this.compressing--);
    } else {
      header.flags |= ChunkFlag.Stored;
      body = Promise.resolve(plain);
    }
    const sealed = Promise.all([body, this.cryptoKey]).then(([b, key]) => sealChunkAsync(key, this.spec.id, header, b));
    sealed.catch(() => {}); // reported in order below
    this.queue = this.queue.then(async () => {
      try {
        const bytes = await sealed;
        if (!this.file || this.error) return;
        await this.file.write(bytes);
        this.bytes += bytes.length;
      } catch (err) {
        this.fail(describeStorageError(err));
      } finally {
        this.backlog -= size;
      }
    });
  }

  private async open(): Promise<void> {
    try {
      await fs.mkdir(path.dirname(this.spec.file), { recursive: true, mode: 0o700 });
      const file = await fs.open(
        this.spec.file,
        fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY | fsConstants.O_APPEND,
        0o600,
      );
      const header = encodeFileHeader({
        id: this.spec.id,
        tenantId: this.spec.tenantId,
        kind: this.spec.kind,
        keyId: this.spec.keyId,
        startedAt: this.spec.startedAt,
      });
      await file.write(header);
      this.bytes += header.length;
      this.file = file;
    } catch (err) {
      this.fail(describeStorageError(err));
    }
  }

  private touch(): void {
    const file = this.file;
    if (!file || !this.active) return;
    const at = new Date();
    this.queue = this.queue.then(() => file.utimes(at, at).catch(() => {}));
  }

  private fail(reason: string): void {
    if (this.error) return;
    this.error = reason;
    this.parts = [];
    this.partsBytes = 0;
  }
}

export function describeStorageError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'recording storage is full';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'recording storage is not writable';
  return 'recording storage failed';
}
