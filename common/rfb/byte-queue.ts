// Byte buffering shared by the RFB handshake readers: chunks arrive from a socket or WebSocket in
// arbitrary sizes, and the handshake needs "exactly n bytes, or wait".

/** The peer violated the RFB protocol (malformed, unknown or oversized data). */
export class RfbProtocolError extends Error {
  override name = 'RfbProtocolError';
}

/** A FIFO of byte chunks; reads are zero-copy when they fall inside one chunk. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // read offset into chunks[0]
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
  }

  /** The byte at `index` from the front, without consuming it (index < length). */
  peekByte(index: number): number {
    let i = index + this.head;
    for (const chunk of this.chunks) {
      if (i < chunk.length) return chunk[i] as number;
      i -= chunk.length;
    }
    throw new RangeError(`peekByte(${index}) beyond ${this.size} buffered bytes`);
  }

  /** The next `n` bytes without consuming them, or undefined if fewer are buffered. */
  peek(n: number): Uint8Array | undefined {
    if (n > this.size) return undefined;
    const first = this.chunks[0];
    if (n === 0 || first === undefined) return new Uint8Array(0);
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const out = new Uint8Array(n);
    let filled = 0;
    let offset = this.head;
    for (const chunk of this.chunks) {
      const take = Math.min(chunk.length - offset, n - filled);
      out.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset = 0;
      if (filled === n) break;
    }
    return out;
  }

  /** Consumes and returns the next `n` bytes, or undefined (consuming nothing) if fewer are buffered. */
  read(n: number): Uint8Array | undefined {
    const out = this.peek(n);
    if (out !== undefined) this.skip(n);
    return out;
  }

  /** Consumes everything buffered. */
  readAll(): Uint8Array {
    return this.read(this.size) as Uint8Array;
  }

  private skip(n: number): void {
    this.size -= n;
    while (n > 0) {
      const first = this.chunks[0] as Uint8Array;
      const left = first.length - this.head;
      if (n < left) {
        this.head += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }
}
