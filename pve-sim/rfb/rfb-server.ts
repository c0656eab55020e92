// pve-sim's RFB 3.8 server: one session per console connection, speaking to the client like QEMU
// behind Proxmox's vncwebsocket does — VNC authentication with a deadline, ServerInit with the
// guest's name, then either the built-in picture (guest-frame.ts) or a bridge to an external VNC
// server. Everything the client sends is recorded in the guest's RfbRecorder.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { keysymName } from '@common/rfb/keysyms';
import { PIXEL_FORMAT_XRGB32, PixelPacker, pixelFormatProblem } from '@common/rfb/pixel-format';
import {
  ClientHandshakeReader,
  encodeProtocolVersion,
  encodeSecurityResult,
  encodeSecurityTypes,
  encodeSecurityTypesFailure,
  encodeServerInit,
  SecurityType,
} from '@common/rfb/rfb-handshake';
import {
  type ClientMessage,
  ClientMessageParser,
  Encoding,
  encodeFramebufferUpdateHeader,
  encodeServerCutText,
  type Rect,
  withoutEncodings,
  writeRectHeader,
} from '@common/rfb/rfb-messages';
import { verifyVncAuthResponse } from '@common/rfb/vnc-auth';
import {
  BAND_SPEED,
  contains,
  intersect,
  renderSimFrame,
  type SimFrameLayout,
  type SimFrameState,
  simFrameLayout,
} from './guest-frame';
import { type BridgeTarget, connectUpstream, initUpstream, type UpstreamConnection } from './rfb-bridge';
import type { CutTextSink, RfbRecorder } from './rfb-recorder';
import { StreamReader, writeWithBackpressure } from './stream-io';

export interface RfbGuestOptions {
  name: string;
  vmid: number;
  /** null: security type None is offered instead of VNC authentication. */
  password: string | null;
  /** VNC auth must complete within this many ms after connect, else the connection closes. Default 30000. */
  passwordDeadlineMs?: number;
  recorder: RfbRecorder;
  /** Relay this session to an external VNC server (e.g. QEMU -vnc) instead of the built-in picture. */
  bridge?: BridgeTarget;
  /** Built-in picture size; default 640×480, at least 400×300. */
  width?: number;
  height?: number;
  /** Built-in picture frame rate; default 15. */
  fps?: number;
}

export interface RfbSessionHandle {
  close(): void;
  /** Resolves once the connection is closed, whoever closed it. Never rejects. */
  closed: Promise<void>;
}

/** Serves one console connection on `stream` (a TCP socket or a WebSocket stream). */
export function serveRfb(stream: Duplex, opts: RfbGuestOptions): RfbSessionHandle {
  const session = new RfbSession(stream, opts);
  return { close: () => session.destroy(), closed: session.closed };
}

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 480;
const DEFAULT_FPS = 15;
/** Target size of one write of pixel data; bounds the memory a session holds beyond the stream's buffer. */
const STRIP_BYTES = 64 * 1024;
/** After a failure message, how long the client gets to read it before the socket is destroyed. */
const LINGER_MS = 1000;
/** What the ServerInit and the handshake must not take longer than, bridged or not. */
const UPSTREAM_TIMEOUT_MS = 10_000;

type DynamicRegion = 'counter' | 'pulse' | 'input' | 'band';
const DYNAMIC_REGIONS: readonly DynamicRegion[] = ['counter', 'pulse', 'input', 'band'];

type UpdateOp = { kind: 'raw'; rect: Rect } | { kind: 'copy'; rect: Rect; srcX: number; srcY: number };

interface PendingRequest {
  incremental: boolean;
  rect: Rect;
}

class RfbSession implements CutTextSink {
  readonly closed: Promise<void>;
  private readonly reader: StreamReader;
  private readonly upstream: Promise<UpstreamConnection> | undefined;
  private finished = false;
  private authenticated = false;
  private deadline: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private detachSink: (() => void) | undefined;
  private upstreamSocket: UpstreamConnection['socket'] | undefined;

  // Built-in picture state.
  private layout: SimFrameLayout | undefined;
  private readonly frameState: SimFrameState;
  private packer = new PixelPacker(PIXEL_FORMAT_XRGB32);
  private copyRectEnabled = false;
  private request: PendingRequest | undefined;
  private readonly dirty = new Set<DynamicRegion>();
  /** Frame whose band the client shows in full, or -1 when unknown (CopyRect needs it). */
  private bandFrame = -1;
  private readonly outbox: Uint8Array[] = [];
  private pumping = false;
  private scratch: Uint32Array = new Uint32Array(0);
  private lastKey = '';
  private lastPointer = '';
  private lastClip = '';
  private readonly parser = new ClientMessageParser();

  constructor(
    private readonly stream: Duplex,
    private readonly opts: RfbGuestOptions,
  ) {
    const fps = opts.fps ?? DEFAULT_FPS;
    if (!(fps > 0 && fps <= 60)) throw new RangeError(`fps ${fps} outside (0, 60]`);
    if (!opts.bridge) this.layout = simFrameLayout(opts.width ?? DEFAULT_WIDTH, opts.height ?? DEFAULT_HEIGHT);
    this.frameState = { frame: 0, fps, name: opts.name, vmid: opts.vmid, inputLine: '' };
    this.closed = new Promise((resolve) => {
      if (stream.destroyed) resolve();
      else stream.once('close', () => resolve());
    });
    stream.once('close', () => this.cleanup());
    // Errors (resets, writes after the peer left) end the session; 'close' follows. RFB has no
    // half-close, and WebSocket streams don't close on their own when the peer ends: destroy then.
    stream.on('error', () => this.destroy());
    stream.once('end', () => this.destroy());
    this.reader = new StreamReader(stream);
    if (opts.bridge) {
      this.upstream = connectUpstream(opts.bridge, UPSTREAM_TIMEOUT_MS);
      this.upstream.then(
        (up) => {
          if (this.finished) up.socket.destroy();
          else this.upstreamSocket = up.socket;
        },
        () => {},
      );
    }
    this.deadline = setTimeout(() => {
      if (!this.authenticated && !this.finished) {
        opts.recorder.recordAuth(false, 'deadline');
        this.destroy();
      }
    }, opts.passwordDeadlineMs ?? 30_000);
    this.deadline.unref();
    void this.run();
  }

  destroy(): void {
    if (!this.stream.destroyed) this.stream.destroy();
    this.cleanup();
  }

  sendServerCutText(text: string): void {
    this.outbox.push(encodeServerCutText(text));
    void this.pump();
  }

  private cleanup(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.deadline);
    clearTimeout(this.lingerTimer);
    clearInterval(this.ticker);
    this.detachSink?.();
    this.reader.detach();
    this.stream.off('data', this.onClientData);
    this.upstreamSocket?.destroy();
  }

  /** Sends a last message and closes, giving the client a moment to read it. */
  private fail(message: Uint8Array): void {
    if (this.finished) return;
    clearTimeout(this.deadline); // refused already: the deadline must not record a second failure
    this.stream.end(message);
    this.lingerTimer = setTimeout(() => this.destroy(), LINGER_MS);
    this.lingerTimer.unref();
  }

  private async run(): Promise<void> {
    try {
      const shared = await this.handshake();
      if (shared === undefined || this.finished) return;
      const leftover = this.reader.detach();
      if (this.upstream) await this.startBridge(await this.upstream, shared, leftover);
      else this.startBuiltIn(leftover);
    } catch {
      // Protocol errors, a client that went away, an upstream that failed after the handshake.
      this.destroy();
    }
  }

  /** The RFB 3.8 handshake up to ClientInit; undefined when the session was refused. */
  private async handshake(): Promise<boolean | undefined> {
    const { stream, opts } = this;
    const client = new ClientHandshakeReader(this.reader.queue);
    stream.write(encodeProtocolVersion());
    const version = await this.reader.step(() => client.protocolVersion(), 'the client protocol version');
    if (version.major !== 3 || version.minor < 8) {
      // Like a 3.8-only server: refuse with a reason (3.3/3.7 clients cannot read it, but they close).
      this.fail(encodeSecurityTypesFailure(`Unsupported RFB protocol version ${version.major}.${version.minor}`));
      return undefined;
    }
    const offered = opts.password === null ? SecurityType.None : SecurityType.VncAuth;
    stream.write(encodeSecurityTypes([offered]));
    const chosen = await this.reader.step(() => client.securityType(), 'the security type');
    if (chosen !== offered) {
      opts.recorder.recordAuth(false, 'security-type');
      this.fail(encodeSecurityResult('Unsupported security type'));
      return undefined;
    }
    if (opts.password !== null) {
      const challenge = new Uint8Array(randomBytes(16));
      stream.write(challenge);
      const response = await this.reader.step(() => client.vncAuthResponse(), 'the VNC auth response');
      if (!verifyVncAuthResponse(challenge, response, opts.password)) {
        opts.recorder.recordAuth(false, 'password');
        this.fail(encodeSecurityResult('Authentication failed'));
        return undefined;
      }
    }
    if (this.upstream) {
      try {
        await this.upstream;
      } catch (err) {
        opts.recorder.recordAuth(false, 'bridge');
        this.fail(encodeSecurityResult(`Guest display unavailable: ${(err as Error).message}`));
        return undefined;
      }
    }
    if (this.finished) return undefined;
    this.authenticated = true;
    clearTimeout(this.deadline);
    opts.recorder.recordAuth(true);
    stream.write(encodeSecurityResult());
    const init = await this.reader.step(() => client.clientInit(), 'ClientInit');
    return init.shared;
  }

  // ---- Bridge mode ------------------------------------------------------------------------------

  private async startBridge(upstream: UpstreamConnection, shared: boolean, leftover: Uint8Array): Promise<void> {
    const { stream, opts } = this;
    const init = await initUpstream(upstream, shared);
    const early = upstream.reader.detach();
    if (this.finished) return;
    // Proxmox shows the guest's own name; size and pixel format are the real server's.
    stream.write(
      encodeServerInit({
        width: init.width,
        height: init.height,
        pixelFormat: init.pixelFormat,
        name: opts.name,
      }),
    );
    if (early.length > 0) stream.write(early);
    const socket = upstream.socket;
    socket.once('close', () => this.destroy());
    socket.on('error', () => this.destroy());
    socket.pipe(stream);

    const parser = new ClientMessageParser();
    const forward = (chunk: Uint8Array): void => {
      let parsed: ReturnType<ClientMessageParser['push']>;
      try {
        parsed = parser.push(chunk);
      } catch {
        this.destroy();
        return;
      }
      const out: Uint8Array[] = [];
      for (const { message, raw } of parsed) {
        opts.recorder.record(message);
        // The bridge can't see whether the server announces ExtendedMouseButtons, so it never lets
        // the client ask for it: pointer events then keep their 6-byte form.
        out.push(message.type === 'SetEncodings' ? withoutEncodings(message, [Encoding.ExtendedMouseButtons]) : raw);
      }
      if (out.length > 0 && !socket.write(Buffer.concat(out))) {
        stream.pause();
        socket.once('drain', () => stream.resume());
      }
    };
    this.onClientData = forward;
    stream.on('data', forward);
    if (leftover.length > 0) forward(leftover);
  }

  // ---- Built-in picture -------------------------------------------------------------------------

  private startBuiltIn(leftover: Uint8Array): void {
    const layout = this.layout as SimFrameLayout;
    this.stream.write(
      encodeServerInit({
        width: layout.width,
        height: layout.height,
        pixelFormat: PIXEL_FORMAT_XRGB32,
        name: this.opts.name,
      }),
    );
    this.scratch = new Uint32Array(Math.max(layout.width, STRIP_BYTES / 4));
    this.detachSink = this.opts.recorder.attach(this);
    this.stream.on('data', this.onClientData);
    if (leftover.length > 0) this.onClientData(leftover);
    this.ticker = setInterval(() => this.tick(), 1000 / this.frameState.fps);
    this.ticker.unref();
  }

  private onClientData = (chunk: Uint8Array): void => {
    let parsed: ReturnType<ClientMessageParser['push']>;
    try {
      parsed = this.parser.push(chunk);
    } catch {
      this.destroy();
      return;
    }
    for (const { message } of parsed) {
      this.opts.recorder.record(message);
      this.handle(message);
      if (this.finished) return;
    }
    void this.pump();
  };

  private handle(message: ClientMessage): void {
    const layout = this.layout as SimFrameLayout;
    switch (message.type) {
      case 'SetPixelFormat':
        if (pixelFormatProblem(message.pixelFormat, true) !== undefined) {
          this.destroy(); // colour-map formats: QEMU would serve them, pve-sim doesn't
          return;
        }
        this.packer = new PixelPacker(message.pixelFormat);
        this.bandFrame = -1;
        break;
      case 'SetEncodings':
        this.copyRectEnabled = message.encodings.includes(Encoding.CopyRect);
        if (message.encodings.includes(Encoding.QemuExtendedKeyEvent)) {
          // Like QEMU: acknowledge at once with an empty pseudo-rectangle, so noVNC switches to
          // QEMU extended key events (the form Proxmox consoles receive).
          const ack = new Uint8Array(16);
          ack.set(encodeFramebufferUpdateHeader(1));
          writeRectHeader(ack, 4, { x: 0, y: 0, width: 0, height: 0 }, Encoding.QemuExtendedKeyEvent);
          this.outbox.push(ack);
        }
        break;
      case 'FramebufferUpdateRequest': {
        const rect = intersect(message, { x: 0, y: 0, width: layout.width, height: layout.height });
        if (!rect) break;
        const prev = this.request;
        this.request = prev
          ? { incremental: prev.incremental && message.incremental, rect: union(prev.rect, rect) }
          : { incremental: message.incremental, rect };
        break;
      }
      case 'KeyEvent':
      case 'QemuExtendedKeyEvent':
        this.lastKey = `KEY ${keysymName(message.keysym)} ${message.down ? 'DOWN' : 'UP'}`;
        this.updateInputLine();
        break;
      case 'PointerEvent':
        this.lastPointer = `PTR ${message.x},${message.y} B${message.buttonMask}`;
        this.updateInputLine();
        break;
      case 'ClientCutText':
        this.lastClip = `CLIP ${message.text.length}`;
        this.updateInputLine();
        break;
      default:
        break; // fences, continuous updates, xvp, desktop size, audio: accepted and ignored, as by QEMU
    }
  }

  private updateInputLine(): void {
    const line = [this.lastKey, this.lastPointer, this.lastClip].filter(Boolean).join('  ');
    if (line !== this.frameState.inputLine) {
      this.frameState.inputLine = line;
      this.dirty.add('input');
    }
  }

  private tick(): void {
    this.frameState.frame++;
    this.dirty.add('counter');
    this.dirty.add('pulse');
    this.dirty.add('band');
    void this.pump();
  }

  /** Writes queued messages and due updates one at a time, waiting for 'drain' whenever the stream
   * is full, so a slow client holds at most one strip plus the stream's buffer. */
  private async pump(): Promise<void> {
    if (this.pumping || this.finished) return;
    this.pumping = true;
    try {
      while (!this.finished) {
        const message = this.outbox.shift();
        if (message) {
          await writeWithBackpressure(this.stream, message);
          continue;
        }
        const ops = this.takeUpdate();
        if (!ops) break;
        await this.sendUpdate(ops, { ...this.frameState });
      }
    } catch {
      this.destroy();
    } finally {
      this.pumping = false;
    }
  }

  /** The rectangles answering the pending request, or undefined if it must wait for a change. */
  private takeUpdate(): UpdateOp[] | undefined {
    const request = this.request;
    const layout = this.layout;
    if (!request || !layout) return undefined;
    const ops: UpdateOp[] = [];
    if (!request.incremental) {
      ops.push({ kind: 'raw', rect: request.rect });
      for (const region of DYNAMIC_REGIONS) if (contains(request.rect, layout[region])) this.dirty.delete(region);
      this.noteBandSent(request.rect);
    } else {
      for (const region of DYNAMIC_REGIONS) {
        if (!this.dirty.has(region)) continue;
        const area = layout[region];
        const part = intersect(area, request.rect);
        if (!part) continue;
        if (contains(request.rect, area)) this.dirty.delete(region);
        if (region === 'band') ops.push(...this.bandOps(part, contains(request.rect, area)));
        else ops.push({ kind: 'raw', rect: part });
      }
      if (ops.length === 0) return undefined;
    }
    this.request = undefined;
    return ops;
  }

  /** Updates for the scrolling band: a CopyRect of what the client already has plus the newly
   * exposed strip, when the client's band is known; otherwise the band in Raw. */
  private bandOps(part: Rect, whole: boolean): UpdateOp[] {
    const band = (this.layout as SimFrameLayout).band;
    const shift = (this.frameState.frame - this.bandFrame) * BAND_SPEED;
    const canCopy = whole && this.copyRectEnabled && this.bandFrame >= 0 && shift > 0 && shift < band.width;
    this.noteBandSent(part);
    if (!canCopy) return [{ kind: 'raw', rect: part }];
    // The copy must come first: the raw strip overwrites part of its source.
    return [
      { kind: 'copy', rect: { ...band, width: band.width - shift }, srcX: band.x + shift, srcY: band.y },
      { kind: 'raw', rect: { ...band, x: band.x + band.width - shift, width: shift } },
    ];
  }

  private noteBandSent(sent: Rect): void {
    const band = (this.layout as SimFrameLayout).band;
    if (contains(sent, band)) this.bandFrame = this.frameState.frame;
    else if (intersect(sent, band)) this.bandFrame = -1;
  }

  private async sendUpdate(ops: UpdateOp[], state: SimFrameState): Promise<void> {
    const layout = this.layout as SimFrameLayout;
    const packer = this.packer;
    const bpp = packer.bytesPerPixel;
    await writeWithBackpressure(this.stream, encodeFramebufferUpdateHeader(ops.length));
    for (const op of ops) {
      if (op.kind === 'copy') {
        const message = new Uint8Array(16);
        writeRectHeader(message, 0, op.rect, Encoding.CopyRect);
        new DataView(message.buffer).setUint16(12, op.srcX);
        new DataView(message.buffer).setUint16(14, op.srcY);
        await writeWithBackpressure(this.stream, message);
        continue;
      }
      const { rect } = op;
      const rowsPerStrip = Math.max(1, Math.floor(this.scratch.length / rect.width));
      for (let y = rect.y, first = true; y < rect.y + rect.height; y += rowsPerStrip, first = false) {
        const rows = Math.min(rowsPerStrip, rect.y + rect.height - y);
        const strip = { x: rect.x, y, width: rect.width, height: rows };
        renderSimFrame(state, layout, strip, this.scratch);
        const header = first ? 12 : 0;
        // A fresh buffer per write: the stream keeps it until flushed; back-pressure bounds how many.
        const out = Buffer.allocUnsafe(header + rect.width * rows * bpp);
        if (first) writeRectHeader(out, 0, rect, Encoding.Raw);
        packer.pack(this.scratch, 0, rect.width * rows, out, header);
        await writeWithBackpressure(this.stream, out);
      }
    }
  }
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}
