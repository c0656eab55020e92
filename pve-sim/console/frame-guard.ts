// pveproxy forwards client WebSocket frames one by one and gives up on anything else: a frame
// that is fragmented (FIN clear, or a continuation frame) or larger than 128 KiB ends the
// connection. The `ws` library would reassemble fragments, so this guard reads the frame headers
// of the incoming byte stream alongside it and reports the first violation.

export const MAX_FRAME_PAYLOAD = 128 * 1024;

export class FrameGuard {
  private buffer = Buffer.alloc(0);
  /** Payload bytes of the current frame still to skip. */
  private skip = 0;
  violation: string | null = null;

  /** Feeds client bytes; returns the violation once one is found. */
  push(chunk: Buffer): string | null {
    if (this.violation) return this.violation;
    let data = chunk;
    while (data.length > 0) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length);
        this.skip -= n;
        data = data.subarray(n);
        continue;
      }
      this.buffer = Buffer.concat([this.buffer, data]);
      data = Buffer.alloc(0);
      const header = this.readHeader();
      if (header === null) break;
      if (typeof header === 'string') {
        this.violation = header;
        return header;
      }
      const rest = this.buffer.subarray(header.headerLength);
      this.buffer = Buffer.alloc(0);
      this.skip = header.payloadLength;
      data = rest;
    }
    return null;
  }

  private readHeader(): { headerLength: number; payloadLength: number } | string | null {
    const b = this.buffer;
    if (b.length < 2) return null;
    const first = b[0] ?? 0;
    const second = b[1] ?? 0;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    const masked = (second & 0x80) !== 0;
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      length = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
      offset = 10;
    }
    if (masked) offset += 4;
    if (b.length < offset) return null;
    if (opcode === 0) return 'received a continuation frame (fragmented message)';
    if (!fin && opcode < 8) return 'received a fragmented websocket frame';
    if (length > MAX_FRAME_PAYLOAD) return `websocket frame too large (${length} bytes)`;
    return { headerLength: offset, payloadLength: length };
  }
}
