// Terminals for the relay benchmark. The source side stands in for Proxmox's termproxy behind
// vncwebsocket (no TLS): it waits for the `<authid>:<ticket>\n` line, answers `OK`, then echoes
// every input frame's data back as output (the ping-pong the latency figures use) and, for busy
// terminals, writes a scrolling log at TERM_BUSY_BYTES_PER_SECOND. The client side is a browser's
// xterm.js as far as the wire goes: termproxy frames up, raw output down.
import type { WebSocket } from 'ws';

/** Guest ids of terminals: 30000+ idle (a shell prompt waiting), 40000+ busy (a log scrolling). */
export const IDLE_TERM_VMID = 30_000;
export const BUSY_TERM_VMID = 40_000;
export const isTermVmid = (vmid: number) => vmid >= IDLE_TERM_VMID && vmid < BUSY_TERM_VMID + 10_000;

/** A busy terminal: 2 KiB of 80-column lines every 62.5 ms ≈ 32 KiB/s (a build log, `journalctl -f`). */
const BUSY_CHUNK = Buffer.from(
  Array.from({ length: 26 }, (_, i) => `${String(i).padStart(4, '0')} ${'build step output '.repeat(4)}\r\n`)
    .join('')
    .slice(0, 2048),
);
const BUSY_INTERVAL_MS = 62.5;
export const TERM_BUSY_BYTES_PER_SECOND = (BUSY_CHUNK.length * 1000) / BUSY_INTERVAL_MS;

/** termproxy's side of one terminal. */
export function serveTerm(ws: WebSocket, busy: boolean): void {
  let authed = false;
  let timer: NodeJS.Timeout | undefined;
  ws.on('message', (data: Buffer) => {
    if (!authed) {
      if (!data.includes(0x0a)) return;
      authed = true;
      ws.send(Buffer.from('OK'));
      if (busy) {
        timer = setInterval(() => {
          // Like a pty: output waits while the reader is behind.
          if (ws.bufferedAmount < 256 * 1024) ws.send(BUSY_CHUNK);
        }, BUSY_INTERVAL_MS);
      }
      return;
    }
    // Input frames (`0:<len>:<data>`) echo their data; resizes and pings say nothing.
    let i = 0;
    while (i < data.length) {
      const type = data[i];
      if (type === 0x32) {
        i++;
        continue;
      }
      const c1 = data.indexOf(0x3a, i + 2);
      if (type === 0x31) {
        const c2 = data.indexOf(0x3a, c1 + 1);
        i = c2 + 1;
        continue;
      }
      const len = Number(data.subarray(i + 2, c1).toString('latin1'));
      ws.send(data.subarray(c1 + 1, c1 + 1 + len));
      i = c1 + 1 + len;
    }
  });
  ws.on('close', () => clearInterval(timer));
  ws.on('error', () => {});
}

/** A browser's terminal: counts output bytes and measures input echoes. */
export class TermBenchClient {
  bytes = 0;
  readonly ready: Promise<void>;
  private tail = '';
  private seq = 0;
  private waiting: { marker: string; resolve: () => void } | null = null;

  constructor(private readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    this.ready = new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.send(Buffer.from('1:80:24:'));
        resolve();
      });
      ws.once('error', reject);
      ws.once('close', (code, reason) => reject(new Error(`terminal closed: ${code} ${reason}`)));
    });
    ws.on('message', (data: Buffer) => {
      this.bytes += data.length;
      if (!this.waiting) return;
      // The marker may straddle two messages: look in the end of the last one too.
      const text = this.tail + data.toString('latin1');
      if (text.includes(this.waiting.marker)) {
        const w = this.waiting;
        this.waiting = null;
        this.tail = '';
        w.resolve();
      } else {
        this.tail = text.slice(-32);
      }
    });
  }

  /** Round trip of one keystroke-sized input frame echoed back (ms). */
  async ping(): Promise<number> {
    const marker = `<${++this.seq}>`;
    const t0 = performance.now();
    const echoed = new Promise<void>((resolve) => {
      this.waiting = { marker, resolve };
    });
    this.ws.send(Buffer.from(`0:${marker.length}:${marker}`));
    await echoed;
    return performance.now() - t0;
  }

  close(): void {
    this.ws.close();
  }
}
