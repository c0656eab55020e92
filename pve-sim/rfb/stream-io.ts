// Promise-based reading and back-pressure-aware writing on a Node Duplex, for the handshake steps
// and the test client, which read "exactly this much, then the next thing".
import type { Duplex } from 'node:stream';
import { ByteQueue } from '@common/rfb/byte-queue';

/** Buffers a stream's data in a ByteQueue and resolves step functions once they can complete. */
export class StreamReader {
  readonly queue = new ByteQueue();
  private waiter: (() => void) | undefined;
  private endError: Error | undefined;
  private attached = true;

  constructor(
    private readonly stream: Duplex,
    private readonly defaultTimeoutMs = 0,
  ) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  /** Resolves with the first value `step` returns other than undefined, re-trying as data arrives.
   * Rejects when `step` throws, the stream ends first, or `timeoutMs` (0 = none) passes. */
  step<T>(step: () => T | undefined, what: string, timeoutMs = this.defaultTimeoutMs): Promise<T> {
    if (this.waiter) return Promise.reject(new Error('StreamReader: concurrent reads'));
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (timer) clearTimeout(timer);
        this.waiter = undefined;
      };
      const attempt = (): void => {
        try {
          const value = step();
          if (value !== undefined) {
            finish();
            resolve(value);
          } else if (this.endError) {
            finish();
            reject(new Error(`${this.endError.message} while waiting for ${what}`));
          }
        } catch (err) {
          finish();
          reject(err);
        }
      };
      this.waiter = attempt;
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
      }
      attempt();
    });
  }

  /** Exactly `n` bytes. */
  read(n: number, what: string, timeoutMs?: number): Promise<Uint8Array> {
    return this.step(() => this.queue.read(n), what, timeoutMs);
  }

  /** Stops listening and returns whatever was buffered but not consumed. */
  detach(): Uint8Array {
    if (this.attached) {
      this.attached = false;
      this.stream.off('data', this.onData);
      this.stream.off('end', this.onEnd);
      this.stream.off('close', this.onEnd);
      this.stream.off('error', this.onError);
    }
    return this.queue.readAll();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.queue.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    this.waiter?.();
  };

  private readonly onEnd = (): void => {
    this.endError ??= new Error('connection closed');
    this.waiter?.();
  };

  private readonly onError = (err: Error): void => {
    this.endError ??= new Error(`connection failed (${err.message})`);
    this.waiter?.();
  };
}

/** Writes `data`; resolves at once if the stream accepted it, otherwise on 'drain' — so callers
 * that await every write never queue more than the stream's high-water mark. Rejects if the stream
 * closes first. */
export function writeWithBackpressure(stream: Duplex, data: Uint8Array): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.reject(new Error('stream closed'));
  if (stream.write(data)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('stream closed'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}
