// What of Proxmox's stream a re-attached browser may see. The new browser starts at a message
// boundary (the rest of a message begun for the old one is dropped) and with fresh decoders, while
// Proxmox's zlib streams (Tight basic, zlib, ZRLE) carry on from where the old browser left them:
// a message using one would break the new browser's decoder, so whole messages are held until
// their end and dropped when they carry zlib data. The relay offers the resumed console no zlib
// encodings (SetEncodings) and asks for a full picture; the first update in a plain encoding shows
// Proxmox has switched, and from there bytes pass unbuffered (a zlib message after that would be
// Proxmox ignoring the encodings: the console ends rather than show garbage).

import { RfbProtocolError } from '@common/rfb/byte-queue';
import type { ScannedMessage, ServerStreamScanner } from '@common/rfb/server-stream';

export class ResumeFilter {
  /** Still inside the message under way when the browser was re-attached. */
  private skippingPartial: boolean;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Proxmox has switched to plain encodings: everything passes. */
  done = false;
  /** Messages dropped for their zlib data. */
  dropped = 0;

  constructor(
    private readonly scanner: ServerStreamScanner,
    private readonly maxHeldBytes: number,
  ) {
    this.skippingPartial = !scanner.atBoundary;
  }

  /** Scans `chunk`; returns the pieces to send to the browser, in order. Throws RfbProtocolError
   * when the stream cannot be framed or one message outgrows the bound. */
  push(chunk: Uint8Array): Uint8Array[] {
    const ends: [number, ScannedMessage][] = [];
    this.scanner.push(chunk, (end, message) => ends.push([end, message]));
    const out: Uint8Array[] = [];
    let start = 0;
    for (const [end, message] of ends) {
      if (this.done) {
        if (message.zlib) throw new RfbProtocolError('zlib data after the console was resumed');
        continue; // the chunk passes below
      }
      const piece = chunk.subarray(start, end);
      start = end;
      if (this.skippingPartial) {
        this.skippingPartial = false;
        continue;
      }
      this.held.push(piece);
      const whole = this.held.length === 1 ? piece : Buffer.concat(this.held);
      this.held = [];
      this.heldBytes = 0;
      if (message.zlib) {
        this.dropped++;
        continue;
      }
      out.push(whole);
      if (message.plainPixels) this.done = true;
    }
    if (this.done) {
      if (start < chunk.length) out.push(start === 0 ? chunk : chunk.subarray(start));
      return out;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0 || this.skippingPartial) return out;
    this.held.push(rest);
    this.heldBytes += rest.length;
    if (this.heldBytes > this.maxHeldBytes) {
      throw new RfbProtocolError(`a message of more than ${this.maxHeldBytes} bytes while resuming`);
    }
    return out;
  }
}
