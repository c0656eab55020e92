// The text console pipe: browser WebSocket ⇄ Proxmox termproxy (through vncwebsocket). Nexus sends
// termproxy's `<authid>:<ticket>\n` line itself and waits for `OK`, so no Proxmox secret reaches
// the browser; then it relays termproxy's framing: every browser message is parsed (`0:<len>:<data>`
// input, `1:<cols>:<rows>:` resize, `2` ping) — a view-only session drops input and resizes, and
// anything malformed closes the session (termproxy itself would wait for the rest of a broken
// frame) — and Proxmox's output bytes go to the browser as they come. Both directions pause their
// source while the other side has more than the buffer limit unsent. It shares the console
// relay's hooks and results, so the consoles service runs either. A recorded terminal hands
// termproxy's output, the user's input (masked per tenant) and resizes to its RecordingWriter.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import type { WebSocket } from 'ws';
import { type CloseReason, closeReasonText, RelayBase, type RelayResult } from './console-relay';
import { closeReasonFor } from './console-upstream';
import { socketOf } from './ws-passthrough';

/** One input frame's data at most (xterm.js sends keystrokes and pastes in pieces far below). */
export const MAX_TERM_INPUT = 64 * 1024;
const OK = Buffer.from('OK');
/** Browser bytes kept while termproxy authenticates (a resize or two; a flood is refused). */
const MAX_EARLY_BROWSER_BYTES = 64 * 1024;

export type TermFrame =
  | { type: 'input'; data: Buffer }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'ping' };

/**
 * Parses one browser message as termproxy frames. Each message must hold whole frames; null when
 * anything is malformed (the session then ends).
 */
export function parseTermFrames(msg: Buffer): TermFrame[] | null {
  const frames: TermFrame[] = [];
  let i = 0;
  const readNumber = (max: number): number | null => {
    const start = i;
    while (i < msg.length && msg[i] !== 0x3a && i - start <= 10) i++;
    if (i === start || i >= msg.length || i - start > 10) return null;
    const text = msg.subarray(start, i).toString('latin1');
    if (!/^(?:0|[1-9]\d*)$/.test(text)) return null;
    const n = Number(text);
    i++; // the colon
    return n <= max ? n : null;
  };
  while (i < msg.length) {
    const type = msg[i];
    if (type === 0x32 /* 2 */) {
      frames.push({ type: 'ping' });
      i++;
      continue;
    }
    if (msg[i + 1] !== 0x3a) return null;
    i += 2;
    if (type === 0x30 /* 0 */) {
      const len = readNumber(MAX_TERM_INPUT);
      if (len === null || i + len > msg.length) return null;
      frames.push({ type: 'input', data: msg.subarray(i, i + len) });
      i += len;
    } else if (type === 0x31 /* 1 */) {
      const cols = readNumber(10_000);
      const rows = readNumber(10_000);
      if (cols === null || rows === null || cols === 0 || rows === 0) return null;
      frames.push({ type: 'resize', cols, rows });
    } else {
      return null;
    }
  }
  return frames;
}

export class TerminalRelay extends RelayBase {
  private upstream: WebSocket | undefined;
  private phase: 'preparing' | 'connecting' | 'auth' | 'relay' = 'preparing';
  private startedAt = 0;
  private setupMs: number | null = null;
  private authLine: string | undefined;
  private authReply = Buffer.alloc(0);
  private readonly early: Buffer[] = [];
  private earlyBytes = 0;

  protected get established(): boolean {
    return this.phase === 'relay';
  }

  start(): void {
    this.startedAt = this.now();
    this.lastInputAt = this.startedAt;
    const browser = this.browser;
    browser.binaryType = 'nodebuffer';
    browser.on('message', (data) => this.onBrowserMessage(data as Buffer));
    browser.on('close', () => this.finish({ code: CONSOLE_CLOSE.normal, reason: 'closed by the browser' }, 'browser'));
    browser.on('error', () => {}); // 'close' follows
    this.after(this.tuning.handshakeTimeoutMs, () => {
      if (this.phase !== 'relay') {
        this.finish({ code: CONSOLE_CLOSE.handshakeTimeout, reason: 'terminal did not start in time' }, 'nexus');
      }
    });
    this.every(this.tuning.keepaliveIntervalMs, () => {
      for (const s of [this.browser, this.upstream]) if (s && s.readyState === s.OPEN) s.ping();
    });
    this.closeWhenIdle(() => this.phase === 'relay');
    void this.openUpstream();
  }

  private async openUpstream(): Promise<void> {
    const grant = await this.requestGrant((err) => this.finish(closeReasonFor(err), 'proxmox'));
    if (!grant) return;
    this.authLine = grant.password;
    this.phase = 'connecting';
    try {
      await grant.connect((socket) => this.attachUpstream(socket), this.abort.signal);
    } catch (err) {
      if (!this.finished) this.finish(closeReasonFor(err), 'proxmox');
    }
  }

  private attachUpstream(socket: WebSocket): void {
    this.upstream = socket;
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => {
      if (this.finished) return;
      this.phase = 'auth';
      socket.send(Buffer.from(`${this.authLine ?? ''}\n`));
      this.authLine = undefined;
    });
    socket.on('message', (data) => this.onUpstreamMessage(data as Buffer));
    socket.on('close', () => this.onUpstreamClose());
    socket.on('error', () => {}); // 'close' follows
  }

  private onUpstreamMessage(data: Buffer): void {
    if (this.finished) return;
    if (this.phase === 'auth') {
      // termproxy answers `OK` and then the command's output, possibly in the same frame.
      this.authReply = Buffer.concat([this.authReply, data]);
      if (this.authReply.length < OK.length) return;
      if (!this.authReply.subarray(0, OK.length).equals(OK)) {
        this.finish({ code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox refused the terminal' }, 'proxmox');
        return;
      }
      const rest = this.authReply.subarray(OK.length);
      this.authReply = Buffer.alloc(0);
      this.phase = 'relay';
      this.setupMs = this.now() - this.startedAt;
      this.hooks.onEstablished?.({ desktopName: '', width: 0, height: 0, shared: true, setupMs: this.setupMs });
      this.startRecording();
      if (rest.length) {
        this.recorder?.termOutput(rest);
        this.forward(rest, this.browser, this.upstream);
      }
      for (const msg of this.early.splice(0)) this.onBrowserMessage(msg);
      return;
    }
    if (this.phase !== 'relay') return;
    this.bytesDown += data.length;
    this.recorder?.termOutput(data);
    this.forward(data, this.browser, this.upstream);
  }

  private onBrowserMessage(data: Buffer): void {
    if (this.finished) return;
    if (this.phase !== 'relay') {
      // A browser sends its window size as soon as it is connected: kept (bounded) until
      // termproxy has said OK, then handled in order.
      this.earlyBytes += data.length;
      if (this.earlyBytes > MAX_EARLY_BROWSER_BYTES) {
        this.finish(
          { code: CONSOLE_CLOSE.protocolError, reason: 'too much input before the terminal started' },
          'browser',
        );
        return;
      }
      this.early.push(Buffer.from(data));
      return;
    }
    const frames = parseTermFrames(data);
    if (!frames) {
      this.finish({ code: CONSOLE_CLOSE.protocolError, reason: 'malformed terminal message' }, 'browser');
      return;
    }
    const kept: TermFrame[] = [];
    for (const f of frames) {
      if (f.type === 'input' || f.type === 'resize') {
        if (this.options.viewOnly) {
          this.droppedInput++;
          continue;
        }
        if (f.type === 'input') this.lastInputAt = this.now();
      }
      if (this.recorder) {
        if (f.type === 'input') this.recorder.termInput(f.data);
        else if (f.type === 'resize') this.recorder.termSize(f.cols, f.rows);
      }
      kept.push(f);
    }
    if (kept.length === 0) return;
    // Forwarded as received when nothing was dropped; else the kept frames re-encoded.
    const out = kept.length === frames.length ? data : Buffer.concat(kept.map(encodeFrame));
    this.bytesUp += out.length;
    if (this.upstream) this.forward(out, this.upstream, this.browser);
  }

  /** Sends and pauses the source while the target has more than the buffer limit unsent. */
  private forward(data: Buffer, target: WebSocket, source: WebSocket | undefined): void {
    if (target.readyState !== target.OPEN) return;
    target.send(data, { binary: true });
    if (!source || target.bufferedAmount <= this.tuning.highWaterBytes) return;
    const raw = socketOf(target);
    const rawSource = socketOf(source);
    if (!raw || !rawSource) return;
    rawSource.pause();
    const resume = () => {
      if (target.bufferedAmount <= this.tuning.lowWaterBytes || this.finished) rawSource.resume();
      else raw.once('drain', resume);
    };
    raw.once('drain', resume);
  }

  private onUpstreamClose(): void {
    if (this.finished) return;
    const fallback: CloseReason =
      this.phase === 'relay'
        ? { code: CONSOLE_CLOSE.closedByProxmox, reason: 'the terminal ended' }
        : { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox refused the terminal' };
    const explain = this.hooks.explainUpstreamClose;
    if (!explain) {
      this.finish(fallback, 'proxmox');
      return;
    }
    const timeout = new Promise<null>((resolve) => this.after(3_000, () => resolve(null)));
    void Promise.race([explain(false).catch(() => null), timeout]).then((why) =>
      this.finish(why ?? fallback, 'proxmox'),
    );
  }

  protected finish(why: CloseReason, by: RelayResult['by']): void {
    if (this.finished) return;
    this.finished = true;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    const reason = closeReasonText(why.reason);
    if (this.browser.readyState === this.browser.OPEN || this.browser.readyState === this.browser.CONNECTING) {
      this.browser.close(why.code, reason);
    }
    const up = this.upstream;
    if (up && (up.readyState === up.OPEN || up.readyState === up.CONNECTING)) up.close(1000);
    setTimeout(() => {
      this.browser.terminate();
      up?.terminate();
    }, this.tuning.closeGraceMs).unref();
    this.report({
      ...why,
      reason,
      established: this.phase === 'relay',
      by,
      bytesUp: this.bytesUp,
      bytesDown: this.bytesDown,
      droppedInput: this.droppedInput,
      setupMs: this.setupMs,
      peakBufferedDown: 0,
      peakBufferedUp: 0,
    });
  }
}

function encodeFrame(f: TermFrame): Buffer {
  if (f.type === 'ping') return Buffer.from('2');
  if (f.type === 'resize') return Buffer.from(`1:${f.cols}:${f.rows}:`);
  return Buffer.concat([Buffer.from(`0:${f.data.length}:`), f.data]);
}
