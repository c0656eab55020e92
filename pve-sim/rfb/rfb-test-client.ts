// A minimal RFB 3.8 client for tests (pve-sim's own and Nexus's relay integration tests): the
// handshake with VNC auth or None, framebuffer updates in Raw and CopyRect decoded into an RGB
// pixel buffer, and the input messages noVNC sends. Not for production: it trusts its server.
import type { Duplex } from 'node:stream';
import { keysymOf } from '@common/rfb/keysyms';
import type { PixelFormat } from '@common/rfb/pixel-format';
import {
  encodeProtocolVersion,
  type ProtocolVersion,
  SecurityType,
  ServerHandshakeReader,
  type ServerInit,
} from '@common/rfb/rfb-handshake';
import {
  type ClientMessage,
  Encoding,
  encodeClientMessage,
  latin1Decode,
  latin1Encode,
  type Rect,
  ServerMessageType,
} from '@common/rfb/rfb-messages';
import { vncAuthResponse } from '@common/rfb/vnc-auth';
import { StreamReader } from './stream-io';

export interface RfbTestClientOptions {
  /** Password for VNC authentication; null/undefined picks None when offered. */
  password?: string | null;
  /** Force the security type to choose (e.g. one the server did not offer). */
  securityType?: number;
  /** ClientInit shared flag; default true. */
  shared?: boolean;
  /** Sent as SetPixelFormat right after ServerInit; default: keep the server's format. */
  pixelFormat?: PixelFormat;
  /** Sent as SetEncodings right after ServerInit; default: none sent (the server then uses Raw). */
  encodings?: number[];
  /** Limit for each handshake step and for the wait helpers; default 5000 ms. */
  timeoutMs?: number;
}

/** The server refused the connection or the authentication; `reason` is the server's text. */
export class RfbHandshakeError extends Error {
  override name = 'RfbHandshakeError';
  constructor(
    readonly stage: 'security-types' | 'security-result',
    readonly reason: string,
  ) {
    super(`RFB ${stage} failure: ${reason}`);
  }
}

export interface ReceivedRect extends Rect {
  encoding: number;
}

export interface FramebufferUpdateInfo {
  rects: ReceivedRect[];
}

type Waiter = () => void;

export class RfbTestClient {
  /** The picture, one 0xRRGGBB value per pixel, row-major. */
  framebuffer: Uint32Array;
  width: number;
  height: number;
  /** The format the server sends pixels in (ServerInit's, until setPixelFormat). */
  pixelFormat: PixelFormat;
  desktopName: string;
  /** Completed FramebufferUpdate messages. */
  updates = 0;
  /** Completed FramebufferUpdate messages that carried pixels (not only pseudo-encodings). */
  pixelUpdates = 0;
  lastUpdate: FramebufferUpdateInfo | undefined;
  /** How many rectangles arrived per encoding (pseudo-encodings included). */
  readonly encodingCounts = new Map<number, number>();
  readonly serverCutText: string[] = [];
  bells = 0;
  /** Set when the server's stream could not be parsed; the connection is then closed. */
  error: Error | undefined;
  readonly closed: Promise<void>;
  private readonly waiters = new Set<Waiter>();
  private isClosed = false;

  private constructor(
    readonly stream: Duplex,
    private readonly reader: StreamReader,
    readonly serverVersion: ProtocolVersion,
    readonly securityTypes: number[],
    readonly serverInit: ServerInit,
    private readonly timeoutMs: number,
  ) {
    this.width = serverInit.width;
    this.height = serverInit.height;
    this.pixelFormat = serverInit.pixelFormat;
    this.desktopName = serverInit.name;
    this.framebuffer = new Uint32Array(this.width * this.height);
    this.closed = new Promise((resolve) => {
      const done = (): void => {
        this.isClosed = true;
        this.notify();
        resolve();
      };
      if (stream.destroyed) done();
      else stream.once('close', done);
    });
    stream.on('error', () => {});
    stream.once('end', () => stream.destroy());
  }

  /** Performs the handshake up to ServerInit; rejects with RfbHandshakeError when refused. */
  static async connect(stream: Duplex, options: RfbTestClientOptions = {}): Promise<RfbTestClient> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const reader = new StreamReader(stream, timeoutMs);
    const server = new ServerHandshakeReader({}, reader.queue);
    try {
      const version = await reader.step(() => server.protocolVersion(), 'ProtocolVersion');
      stream.write(encodeProtocolVersion());
      const offer = await reader.step(() => server.securityTypes(), 'security types');
      if (!offer.ok) throw new RfbHandshakeError('security-types', offer.reason);
      const password = options.password ?? null;
      const type =
        options.securityType ??
        (password !== null && offer.types.includes(SecurityType.VncAuth)
          ? SecurityType.VncAuth
          : offer.types.includes(SecurityType.None)
            ? SecurityType.None
            : offer.types[0]);
      stream.write(Uint8Array.of(type ?? SecurityType.None));
      if (type === SecurityType.VncAuth) {
        const challenge = await reader.step(() => server.vncAuthChallenge(), 'VNC auth challenge');
        stream.write(vncAuthResponse(challenge, password ?? ''));
      }
      const result = await reader.step(() => server.securityResult(), 'SecurityResult');
      if (!result.ok) throw new RfbHandshakeError('security-result', result.reason);
      stream.write(Uint8Array.of(options.shared === false ? 0 : 1));
      const init = await reader.step(() => server.serverInit(), 'ServerInit');
      const client = new RfbTestClient(stream, reader, version, offer.ok ? offer.types : [], init, timeoutMs);
      if (options.pixelFormat) client.setPixelFormat(options.pixelFormat);
      if (options.encodings) client.setEncodings(options.encodings);
      void client.readLoop();
      return client;
    } catch (err) {
      reader.detach();
      stream.destroy();
      throw err;
    }
  }

  /** 0xRRGGBB at (x, y). */
  pixel(x: number, y: number): number {
    return this.framebuffer[y * this.width + x] as number;
  }

  /** Whether every pixel of `rect` is `colour`. */
  regionIs(rect: Rect, colour: number): boolean {
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      for (let x = rect.x; x < rect.x + rect.width; x++) if (this.pixel(x, y) !== colour) return false;
    }
    return true;
  }

  // ---- Sending ----

  send(message: ClientMessage): void {
    this.stream.write(encodeClientMessage(message));
  }

  sendRaw(bytes: Uint8Array): void {
    this.stream.write(bytes);
  }

  /** Pixels that arrive after this are decoded in `pixelFormat`. */
  setPixelFormat(pixelFormat: PixelFormat): void {
    this.send({ type: 'SetPixelFormat', pixelFormat });
    this.pixelFormat = pixelFormat;
  }

  setEncodings(encodings: number[]): void {
    this.send({ type: 'SetEncodings', encodings });
  }

  requestUpdate(incremental = true, rect: Rect = { x: 0, y: 0, width: this.width, height: this.height }): void {
    this.send({ type: 'FramebufferUpdateRequest', incremental, ...rect });
  }

  /** Requests an update and waits until it has been applied. */
  async update(incremental = true, rect?: Rect): Promise<FramebufferUpdateInfo> {
    const next = this.nextUpdate();
    this.requestUpdate(incremental, rect);
    return next;
  }

  key(key: string | number, down: boolean): void {
    this.send({ type: 'KeyEvent', keysym: keysymOf(key), down });
  }

  /** Presses all keys in order, then releases them in reverse (e.g. Control_L, Alt_L, Delete). */
  keyCombo(keys: readonly (string | number)[]): void {
    for (const key of keys) this.key(key, true);
    for (const key of [...keys].reverse()) this.key(key, false);
  }

  /** A QEMU extended key event, as noVNC sends once the server acknowledged the pseudo-encoding. */
  qemuKey(key: string | number, keycode: number, down: boolean): void {
    this.send({ type: 'QemuExtendedKeyEvent', keysym: keysymOf(key), keycode, down });
  }

  pointer(x: number, y: number, buttonMask = 0): void {
    this.send({ type: 'PointerEvent', x, y, buttonMask, extended: false });
  }

  cutText(text: string): void {
    const data = latin1Encode(text);
    this.send({ type: 'ClientCutText', text, data });
  }

  /** Closes as a browser does: the stream's end (over a WebSocket, a close frame), then gone. */
  close(): void {
    this.reader.detach();
    this.stream.end();
    setTimeout(() => this.stream.destroy(), 500).unref();
  }

  /** Drops the connection with no goodbye (over a WebSocket, no close frame: 1006). */
  drop(): void {
    this.reader.detach();
    this.stream.destroy();
  }

  // ---- Waiting ----

  /** Resolves when the next FramebufferUpdate carrying pixels has been applied (updates with only
   * pseudo-rectangles, such as QEMU's extended-key acknowledgement, don't count). */
  nextUpdate(timeoutMs = this.timeoutMs): Promise<FramebufferUpdateInfo> {
    const after = this.pixelUpdates;
    return this.waitFor((c) => c.pixelUpdates > after && c.lastUpdate, timeoutMs, 'a framebuffer update');
  }

  /** Resolves with the first truthy `predicate(this)`, re-checked after every server message. */
  waitFor<T>(
    predicate: (client: RfbTestClient) => T | undefined | null | false,
    timeoutMs = this.timeoutMs,
    what = 'a condition',
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check: Waiter = () => {
        const value = predicate(this);
        if (value) {
          done();
          resolve(value);
        } else if (this.isClosed) {
          done();
          reject(
            new Error(`connection closed while waiting for ${what}${this.error ? `: ${this.error.message}` : ''}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  // ---- Receiving ----

  private async readLoop(): Promise<void> {
    try {
      for (;;) {
        const [type] = await this.read(1);
        await this.readMessage(type as number);
        this.notify();
      }
    } catch (err) {
      if (!this.isClosed && !this.stream.destroyed) {
        this.error = err as Error;
        this.stream.destroy();
      }
    }
  }

  private read(n: number): Promise<Uint8Array> {
    return this.reader.read(n, 'server data', 0);
  }

  private async readView(n: number): Promise<DataView> {
    const bytes = await this.read(n);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private async readMessage(type: number): Promise<void> {
    switch (type) {
      case ServerMessageType.FramebufferUpdate: {
        const count = (await this.readView(3)).getUint16(1);
        const rects: ReceivedRect[] = [];
        for (let i = 0; i < count; i++) {
          const h = await this.readView(12);
          const rect = {
            x: h.getUint16(0),
            y: h.getUint16(2),
            width: h.getUint16(4),
            height: h.getUint16(6),
          };
          const encoding = h.getInt32(8);
          if (encoding === Encoding.LastRect) break;
          rects.push({ ...rect, encoding });
          this.encodingCounts.set(encoding, (this.encodingCounts.get(encoding) ?? 0) + 1);
          await this.readRect(rect, encoding);
        }
        this.lastUpdate = { rects };
        this.updates++;
        if (rects.some((r) => r.encoding >= 0 && r.encoding !== Encoding.VMwareCursor)) this.pixelUpdates++;
        return;
      }
      case ServerMessageType.SetColourMapEntries: {
        const count = (await this.readView(5)).getUint16(3);
        await this.read(6 * count);
        return;
      }
      case ServerMessageType.Bell:
        this.bells++;
        return;
      case ServerMessageType.ServerCutText: {
        const length = (await this.readView(7)).getInt32(3);
        const data = await this.read(Math.abs(length));
        if (length >= 0) this.serverCutText.push(latin1Decode(data));
        return;
      }
      case ServerMessageType.EndOfContinuousUpdates:
        return;
      case ServerMessageType.ServerFence: {
        const length = (await this.readView(8)).getUint8(7);
        await this.read(length);
        return;
      }
      case ServerMessageType.Xvp:
        await this.read(3);
        return;
      case ServerMessageType.Qemu: {
        const head = await this.readView(3); // sub-type (1 = audio), operation
        if (head.getUint8(0) !== 1) throw new Error(`unknown QEMU server message ${head.getUint8(0)}`);
        if (head.getUint16(1) === 2) await this.read((await this.readView(4)).getUint32(0));
        return;
      }
      default:
        throw new Error(`unknown server message type ${type}`);
    }
  }

  private async readRect(rect: Rect, encoding: number): Promise<void> {
    const bpp = this.pixelFormat.bitsPerPixel >> 3;
    switch (encoding) {
      case Encoding.Raw: {
        const data = await this.read(rect.width * rect.height * bpp);
        this.decodeRaw(rect, data);
        return;
      }
      case Encoding.CopyRect: {
        const src = await this.readView(4);
        this.copyRect(rect, src.getUint16(0), src.getUint16(2));
        return;
      }
      case Encoding.DesktopSize:
        this.resize(rect.width, rect.height);
        return;
      case Encoding.ExtendedDesktopSize: {
        const screens = (await this.readView(4)).getUint8(0);
        await this.read(16 * screens);
        this.resize(rect.width, rect.height);
        return;
      }
      case Encoding.DesktopName: {
        const length = (await this.readView(4)).getUint32(0);
        this.desktopName = new TextDecoder().decode(await this.read(length));
        return;
      }
      case Encoding.Cursor:
        await this.read(rect.width * rect.height * bpp + Math.ceil(rect.width / 8) * rect.height);
        return;
      case Encoding.QemuLedState:
        await this.read(1);
        return;
      case Encoding.QemuExtendedKeyEvent:
      case Encoding.ExtendedMouseButtons:
        return;
      default:
        throw new Error(`unsupported encoding ${encoding} (ask only for Raw and CopyRect)`);
    }
  }

  private decodeRaw(rect: Rect, data: Uint8Array): void {
    const unpack = makeUnpacker(this.pixelFormat);
    const bpp = this.pixelFormat.bitsPerPixel >> 3;
    let offset = 0;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      let o = y * this.width + rect.x;
      for (let x = 0; x < rect.width; x++, offset += bpp) this.framebuffer[o++] = unpack(data, offset);
    }
  }

  private copyRect(rect: Rect, srcX: number, srcY: number): void {
    // Copy through a temporary so overlapping source and destination work.
    const tmp = new Uint32Array(rect.width * rect.height);
    for (let row = 0; row < rect.height; row++) {
      const from = (srcY + row) * this.width + srcX;
      tmp.set(this.framebuffer.subarray(from, from + rect.width), row * rect.width);
    }
    for (let row = 0; row < rect.height; row++) {
      this.framebuffer.set(
        tmp.subarray(row * rect.width, (row + 1) * rect.width),
        (rect.y + row) * this.width + rect.x,
      );
    }
  }

  private resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.framebuffer = new Uint32Array(width * height);
  }
}

/** A fast 0xRRGGBB decoder for one pixel format (lookup tables per channel). */
function makeUnpacker(pf: PixelFormat): (bytes: Uint8Array, offset: number) => number {
  const scale = (max: number): Uint8Array =>
    Uint8Array.from({ length: max + 1 }, (_, v) => Math.round((v * 255) / max));
  const [rs, gs, bs] = [scale(pf.redMax), scale(pf.greenMax), scale(pf.blueMax)];
  const { redShift, greenShift, blueShift, redMax, greenMax, blueMax, bigEndian } = pf;
  const rgb = (v: number): number =>
    ((rs[(v >>> redShift) & redMax] as number) << 16) |
    ((gs[(v >>> greenShift) & greenMax] as number) << 8) |
    (bs[(v >>> blueShift) & blueMax] as number);
  if (pf.bitsPerPixel === 32) {
    return bigEndian
      ? (b, o) =>
          rgb(
            (((b[o] as number) << 24) |
              ((b[o + 1] as number) << 16) |
              ((b[o + 2] as number) << 8) |
              (b[o + 3] as number)) >>>
              0,
          )
      : (b, o) =>
          rgb(
            (((b[o + 3] as number) << 24) |
              ((b[o + 2] as number) << 16) |
              ((b[o + 1] as number) << 8) |
              (b[o] as number)) >>>
              0,
          );
  }
  if (pf.bitsPerPixel === 16) {
    return bigEndian
      ? (b, o) => rgb(((b[o] as number) << 8) | (b[o + 1] as number))
      : (b, o) => rgb(((b[o + 1] as number) << 8) | (b[o] as number));
  }
  return (b, o) => rgb(b[o] as number);
}
