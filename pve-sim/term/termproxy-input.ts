// The client → terminal half of proxmox-termproxy's line protocol, byte for byte as its
// process_queue/remove_number (pve-xtermjs, termproxy/src/main.rs) read it:
//   `0:<byte length>:<data>`  input for the terminal,
//   `1:<cols>:<rows>:`        window size,
//   `2`                       keep-alive.
// termproxy is lenient: it never closes the connection over bad framing. A length that is not a
// number is dropped with its `:` (stderr: "error parsing number"), unknown message types are
// skipped a byte at a time, a run of more than 20 bytes without `:` is skipped 20 bytes at a
// time, and an incomplete message waits for more bytes — which, as in termproxy, means that a
// message split across reads can be misread (the data of `0:` then starts after what was there).
// Each websocket frame's payload is one read here, which makes those cases reproducible.

export type TermAction =
  | { kind: 'data'; data: Buffer }
  | { kind: 'resize'; cols: number; rows: number }
  | { kind: 'ping' }
  | { kind: 'ignored'; data: Buffer; reason: string };

const COLON = 0x3a;
const ZERO = 0x30;
/** proxmox_io::ByteBuffer::new(): termproxy's buffers hold 4096 bytes. */
export const TERMPROXY_BUFFER = 4096;

/** Rust's `str::parse::<usize>()`: ASCII digits only, an optional leading `+`, no sign, no space. */
function parseUsize(bytes: Buffer): number | null {
  const text = bytes.toString('latin1');
  if (!/^\+?\d+$/.test(text)) return null;
  const value = Number(text.replace(/^\+/, ''));
  // usize on 64-bit: larger values fail to parse (Number loses precision far below that limit,
  // but such lengths are absurd either way).
  return Number.isSafeInteger(value) ? value : null;
}

export class TermproxyInput {
  private buf = Buffer.alloc(0);
  /** Bytes of the current data message still to forward. */
  private remaining = 0;

  /** Bytes received but not yet consumed (waiting for the rest of a message). */
  get pending(): number {
    return this.buf.length;
  }

  /** One read from the connection; returns what termproxy does with it, in order. */
  push(chunk: Buffer): TermAction[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const actions: TermAction[] = [];
    while (this.buf.length > 0) {
      if (this.remaining === 0) {
        const length = this.processQueue(actions);
        if (length === null) break;
        this.remaining = length;
        if (length === 0) continue;
      }
      const n = Math.min(this.remaining, this.buf.length);
      actions.push({ kind: 'data', data: Buffer.from(this.buf.subarray(0, n)) });
      this.buf = this.buf.subarray(n);
      this.remaining -= n;
    }
    return actions;
  }

  private consume(n: number): Buffer {
    const taken = Buffer.from(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(Math.min(n, this.buf.length));
    return taken;
  }

  /** process_queue: the length of the next data message, or null when none is complete. Resizes,
   * pings and skipped bytes are appended to `actions`. A zero length is returned as 0 (termproxy
   * then loops, as it does). */
  private processQueue(actions: TermAction[]): number | null {
    for (;;) {
      if (this.buf.length < 2) return null;
      // `buf[0] - b'0'` on a u8: wraps in a release build, so anything below '0' is just unknown.
      const type = ((this.buf[0] ?? 0) - ZERO) & 0xff;
      if (type === 0) {
        const header = this.consume(2);
        const length = this.removeNumber(actions, header);
        if (length !== null) return length;
      } else if (type === 1) {
        const header = this.consume(2);
        const cols = this.removeNumber(actions, header);
        if (cols !== null) {
          const rows = this.removeNumber(actions, Buffer.concat([header, Buffer.from(`${cols}:`)]));
          // Pty::set_size takes u16 values: `as u16` keeps the low 16 bits.
          if (rows !== null) actions.push({ kind: 'resize', cols: cols & 0xffff, rows: rows & 0xffff });
        }
      } else {
        const byte = this.consume(1);
        actions.push(type === 2 ? { kind: 'ping' } : { kind: 'ignored', data: byte, reason: 'unknown message type' });
      }
    }
  }

  /** remove_number: the number before the next `:` (consuming both), skipping 20 bytes at a time
   * while no `:` is in sight. `prefix` is the already consumed message header, reported with
   * anything that turns out to be unusable. */
  private removeNumber(actions: TermAction[], prefix: Buffer): number | null {
    for (;;) {
      const at = this.buf.indexOf(COLON);
      if (at >= 0) {
        const digits = this.consume(at);
        this.consume(1);
        const value = parseUsize(digits);
        if (value === null) {
          actions.push({
            kind: 'ignored',
            data: Buffer.concat([prefix, digits, Buffer.from(':')]),
            reason: 'error parsing number',
          });
          return null;
        }
        return value;
      }
      if (this.buf.length > 20) {
        actions.push({ kind: 'ignored', data: Buffer.concat([prefix, this.consume(20)]), reason: 'no separator' });
        prefix = Buffer.alloc(0);
        continue;
      }
      if (prefix.length > 0) actions.push({ kind: 'ignored', data: prefix, reason: 'incomplete message' });
      return null;
    }
  }
}
