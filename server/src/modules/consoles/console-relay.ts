// The console byte pipe: browser WebSocket ⇄ Proxmox vncwebsocket. Nexus performs the RFB
// security handshake with Proxmox itself (VNC authentication with Proxmox's password) and offers
// the browser security type None, so no Proxmox secret ever crosses to the browser. After the
// handshake it copies bytes both ways with bounded buffers (the faster side is paused), parses
// every browser message (view-only sessions drop input; anything malformed closes the console),
// and watches both sides: keepalive pings, stalled readers, idle users, handshake deadline.
// It follows Proxmox's stream message by message (server-stream.ts) so that a browser whose socket
// dropped without a close frame can be replaced by another within the re-attach window: the new
// browser gets a fresh handshake with the current size, starts at a message boundary and sees
// nothing it could not decode (resume-filter.ts), with no new vncproxy.
// A recorded console (options.record) also hands Proxmox's stream and the user's input to a
// RecordingWriter, offers Proxmox no zlib encodings (a player must be able to start at any
// keyframe) and asks for a whole picture every keyframe interval, cutting a keyframe at the next
// message boundary.
// It knows nothing about tickets, databases or policy: the service wires those around it.

import { RfbProtocolError } from '@common/rfb/byte-queue';
import {
  ClientHandshakeReader,
  encodeProtocolVersion,
  encodeSecurityResult,
  encodeSecurityTypes,
  encodeSecurityTypesFailure,
  encodeServerInit,
  SecurityType,
  ServerHandshakeReader,
} from '@common/rfb/rfb-handshake';
import {
  affectsGuest,
  type ClientMessage,
  ClientMessageParser,
  encodeClientMessage,
  isInputMessage,
} from '@common/rfb/rfb-messages';
import { isFramedEncoding, ServerStreamScanner, ZLIB_ENCODINGS } from '@common/rfb/server-stream';
import { vncAuthResponse } from '@common/rfb/vnc-auth';
import { CONSOLE_CLOSE, type ConsoleCloseCode } from '@common/schemas/consoles';
import type { WebSocket } from 'ws';
import { type RecordingOutcome, type RecordingSpec, RecordingWriter } from '../recordings/recording-writer';
import type { UpstreamSpec } from './relay-protocol';
import { ResumeFilter } from './resume-filter';
import { FrameCork, socketOf, tapBinaryFrames } from './ws-passthrough';

/** Why a console ended: a WebSocket close code and the human reason shown to the user. */
export interface CloseReason {
  code: ConsoleCloseCode;
  reason: string;
}

/** An upstream failure that already knows what to tell the user (e.g. "VM stopped"). */
export class ConsoleUpstreamError extends Error {
  override name = 'ConsoleUpstreamError';
  constructor(
    readonly close: CloseReason,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? close.reason, options);
  }
}

/** What `vncproxy` granted: the VNC password and a way to open the matching `vncwebsocket`. */
export interface UpstreamGrant {
  /** Proxmox's VNC password (the `password` field, else the ticket). Never leaves this module. */
  password: string;
  /** Opens the upstream WebSocket (same host, same token, subprotocol `binary`), calling
   * `attach` with it before it opens; resolves once open, rejects (ideally with a
   * ConsoleUpstreamError) when it cannot. */
  connect(attach: (socket: WebSocket) => void, signal: AbortSignal): Promise<WebSocket>;
  /** The same connection as a relay worker process opens it (absent: only here). */
  spec?: UpstreamSpec;
}

export interface RelayTuning {
  /** Unsent bytes towards one side beyond which the other side is paused. */
  highWaterBytes: number;
  /** Unsent bytes below which a paused side is resumed. */
  lowWaterBytes: number;
  /** Largest frame sent to Proxmox (its limit is 128 KiB); larger browser frames are split. */
  maxUpstreamFrameBytes: number;
  /** Largest frame accepted from Proxmox. */
  maxUpstreamPayloadBytes: number;
  /** A side that stays paused (its peer not reading) this long closes the console. */
  stallTimeoutMs: number;
  /** Ping interval; a side that has not answered by the next ping is considered gone, so a peer
   * that goes silent (black hole, dead host) is noticed within two intervals. */
  keepaliveIntervalMs: number;
  /** From accepting the browser to the first relayed byte (vncproxy, upstream, both handshakes). */
  handshakeTimeoutMs: number;
  /** Proxmox's vncwebsocket must be open within this (its proxy gives up after 10 s). */
  upstreamOpenTimeoutMs: number;
  /** How long to wait for a closing handshake before dropping the connection. */
  closeGraceMs: number;
  /** Proxmox's binary frames go to the browser read by read (ws-passthrough.ts); false: as whole
   * messages reassembled by `ws`, as before (the benchmark compares the two in one run). */
  passThrough: boolean;
}

export const DEFAULT_RELAY_TUNING: RelayTuning = {
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  maxUpstreamFrameBytes: 128 * 1024,
  maxUpstreamPayloadBytes: 4 * 1024 * 1024,
  stallTimeoutMs: 30_000,
  // A peer that goes silent right after answering a ping is judged at the second ping after:
  // within 2 × 15 s = 30 s, under the 35 s in which the browser must learn that Proxmox is gone
  // (with 20 s it took up to 40 s).
  keepaliveIntervalMs: 15_000,
  handshakeTimeoutMs: 25_000,
  upstreamOpenTimeoutMs: 8_000,
  closeGraceMs: 2_000,
  passThrough: true,
};

export interface EstablishedInfo {
  desktopName: string;
  width: number;
  height: number;
  /** The shared flag sent to Proxmox (view-only sessions always join shared). */
  shared: boolean;
  /** Milliseconds from start() to the first relayed byte. */
  setupMs: number;
}

export interface RelayResult extends CloseReason {
  /** Whether the console got past both handshakes. */
  established: boolean;
  /** Who ended it. */
  by: 'browser' | 'proxmox' | 'nexus';
  /** RFB bytes sent to Proxmox (after view-only filtering) and to the browser. */
  bytesUp: number;
  bytesDown: number;
  /** Browser input messages dropped because the session is view-only. */
  droppedInput: number;
  setupMs: number | null;
  /** Most bytes ever waiting in Nexus for the browser / for Proxmox (the buffers' real bound). */
  peakBufferedDown: number;
  peakBufferedUp: number;
  /** How the console's recording went (recorded consoles only). */
  recording?: RecordingOutcome;
}

export interface RelayHooks {
  /** Calls vncproxy (once). Rejects with ConsoleUpstreamError when it knows what to say. */
  openUpstream(signal: AbortSignal): Promise<UpstreamGrant>;
  /** The console is live. */
  onEstablished?(info: EstablishedInfo): void;
  /** The browser's socket dropped; Proxmox's console is kept for the re-attach window. */
  onDetached?(): void;
  /** Another browser took over the kept console (`reattach`). */
  onReattached?(info: { detachedMs: number }): void;
  /** When Proxmox drops the console, what to tell the user (e.g. "VM stopped"); null: default. */
  explainUpstreamClose?(abnormal: boolean): Promise<CloseReason | null>;
  /** Exactly once, after both sockets were told to close. */
  onClosed(result: RelayResult): void;
}

export interface RelayOptions {
  viewOnly: boolean;
  /** No user input for this long closes the console; 0 = never. */
  idleTimeoutMs: number;
  /** How long Proxmox's console is kept after the browser's socket dropped without a close frame
   * (1006, or no answer to pings), for `reattach`; 0 or absent: the console ends at once. */
  reattachWindowMs?: number;
  /** Record this console (see recordings/). */
  record?: RecordingSpec;
  tuning?: Partial<RelayTuning>;
  now?: () => number;
}

type BrowserPhase = 'version' | 'security' | 'awaitUpstream' | 'clientInit' | 'awaitServerInit' | 'relay' | 'detached';
type UpstreamPhase =
  | 'preparing'
  | 'connecting'
  | 'version'
  | 'securityTypes'
  | 'challenge'
  | 'result'
  | 'authenticated'
  | 'serverInit'
  | 'relay';

/** Bytes handed to one socket and not yet written to the kernel, and whether its source waits. */
class Flow {
  outstanding = 0;
  peak = 0;
  paused = false;
  stallTimer: NodeJS.Timeout | undefined;
}

const UTF8 = new TextEncoder();

/** Browser bytes that may wait for Proxmox's side of the handshake. A well-behaved client sends
 * nothing between its ClientInit and the ServerInit; a flood there would sit in memory. */
const MAX_EARLY_BROWSER_BYTES = 64 * 1024;

/** The same bound for Proxmox: before the relay starts it owes Nexus only the handshake (a
 * ServerInit's name is capped at 4 KiB); a peer flooding that phase would sit in memory too. */
const MAX_EARLY_UPSTREAM_BYTES = 64 * 1024;

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export function closeReasonText(reason: string): string {
  let text = reason;
  while (UTF8.encode(text).length > 123) text = text.slice(0, -1);
  return text;
}

/**
 * What both relays (graphical and text) share: the tuning and clock, the counters the consoles
 * service reads, and timers that end with the relay.
 */
export abstract class RelayBase {
  protected readonly tuning: RelayTuning;
  protected readonly now: () => number;
  protected finished = false;
  protected bytesUp = 0;
  protected bytesDown = 0;
  protected droppedInput = 0;
  protected readonly timers: NodeJS.Timeout[] = [];
  /** When the browser last sent input; the idle timeout counts from it. */
  protected lastInputAt = 0;
  /** Set once relaying starts on a recorded console. */
  protected recorder: RecordingWriter | undefined;

  /** Aborted when the relay ends: cancels a grant or connection still under way. */
  protected readonly abort = new AbortController();

  constructor(
    protected browser: WebSocket,
    protected readonly hooks: RelayHooks,
    protected readonly options: RelayOptions,
  ) {
    this.tuning = { ...DEFAULT_RELAY_TUNING, ...options.tuning };
    this.now = options.now ?? Date.now;
  }

  /** Whether both sides are relaying (past every handshake). */
  protected abstract get established(): boolean;

  /** Ends the relay once, closing both sides with `why`. */
  protected abstract finish(why: CloseReason, by: RelayResult['by']): void;

  /** Ends the console from outside (revocation, take-over, shutdown). */
  close(reason: CloseReason): void {
    this.finish(reason, 'nexus');
  }

  /** Proxmox's grant (vncproxy or termproxy); null when it failed (after `onError`) or the relay
   * ended while it was asked for. */
  protected async requestGrant(onError: (err: unknown) => void): Promise<UpstreamGrant | null> {
    try {
      const grant = await this.hooks.openUpstream(this.abort.signal);
      return this.finished ? null : grant;
    } catch (err) {
      onError(err);
      return null;
    }
  }

  /** Closes the console when no input came for the tenant's idle timeout (0: never) while the
   * browser is `relaying`; checked a few times per timeout. */
  protected closeWhenIdle(relaying: () => boolean): void {
    const timeout = this.options.idleTimeoutMs;
    if (timeout <= 0) return;
    this.every(Math.max(50, Math.min(30_000, Math.floor(timeout / 4))), () => {
      if (relaying() && this.now() - this.lastInputAt >= timeout) {
        this.finish({ code: CONSOLE_CLOSE.idle, reason: 'idle timeout' }, 'nexus');
      }
    });
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get viewOnly(): boolean {
    return this.options.viewOnly;
  }

  get stats(): { bytesUp: number; bytesDown: number; droppedInput: number; established: boolean } {
    return {
      bytesUp: this.bytesUp,
      bytesDown: this.bytesDown,
      droppedInput: this.droppedInput,
      established: this.established,
    };
  }

  protected after(ms: number, fn: () => void): void {
    const t = setTimeout(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  protected every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Starts recording when the console is recorded (once relaying begins). */
  protected startRecording(): RecordingWriter | undefined {
    const spec = this.options.record;
    if (spec && !this.recorder) this.recorder = new RecordingWriter(spec, this.now);
    return this.recorder;
  }

  /** Reports the result once the recording (if any) is sealed and closed. */
  protected report(result: RelayResult): void {
    const recorder = this.recorder;
    if (!recorder) {
      this.hooks.onClosed(result);
      return;
    }
    void recorder.end().then(
      (recording) => this.hooks.onClosed({ ...result, recording }),
      () => this.hooks.onClosed({ ...result, recording: { bytes: 0, durationMs: 0, error: 'recording failed' } }),
    );
  }
}

export class ConsoleRelay extends RelayBase {
  private browserReader = new ClientHandshakeReader();
  private readonly upstreamReader = new ServerHandshakeReader({ maxNameBytes: 4096, maxReasonBytes: 4096 });
  private parser = new ClientMessageParser();
  private down = new Flow(); // Proxmox → browser
  private readonly up = new Flow(); // browser → Proxmox
  /** Proxmox's stream after ServerInit, message by message; undefined before, or once it could
   * not be framed (the console then cannot be re-attached). */
  private scanner: ServerStreamScanner | undefined;
  private desktopName = '';
  /** Since when no browser is attached (its socket dropped); null while one is. */
  private detachedSince: number | null = null;
  /** A browser took over after a drop: zlib encodings stay off, Proxmox's stream is filtered. */
  private resume: ResumeFilter | undefined;
  private refreshAsked = false;
  private upstream: WebSocket | undefined;
  private password: string | undefined;
  private browserPhase: BrowserPhase = 'version';
  private upstreamPhase: UpstreamPhase = 'preparing';
  private ending = false;
  private startedAt = 0;
  private setupMs: number | null = null;
  private sharedFlag = true;
  /** An upstream failure waiting for the browser to reach a step where RFB can carry a reason. */
  private pendingFailure: { why: CloseReason; by: RelayResult['by'] } | undefined;
  private readonly awaitingPong = new Set<WebSocket>();
  /** Sends a Proxmox frame that came in pieces to the browser in one write. */
  private browserCork: FrameCork;
  /** A recording's keyframe: `due` once a whole picture was asked for (the keyframe starts at
   * the next boundary), `confirming` until a FramebufferUpdate painting the whole screen came. */
  private keyframe: 'none' | 'due' | 'confirming' = 'none';
  private keyframeAt = 0;
  private recordedSinceKeyframe = 0;

  constructor(browser: WebSocket, hooks: RelayHooks, options: RelayOptions) {
    super(browser, hooks, options);
    this.browserCork = new FrameCork(this.tuning.passThrough ? socketOf(browser) : undefined);
  }

  protected get established(): boolean {
    return this.browserPhase === 'relay';
  }

  start(): void {
    this.startedAt = this.now();
    this.lastInputAt = this.startedAt;
    this.attachBrowser(this.browser);
    this.every(this.tuning.keepaliveIntervalMs, () => this.keepalive());
    this.after(this.tuning.handshakeTimeoutMs, () => {
      if (this.setupMs === null) {
        const waitingFor =
          this.upstreamPhase === 'relay' || this.upstreamPhase === 'authenticated' ? 'browser' : 'Proxmox';
        this.finish(
          { code: CONSOLE_CLOSE.handshakeTimeout, reason: `console did not start in time (waiting for ${waitingFor})` },
          'nexus',
        );
      }
    });
    this.closeWhenIdle(() => this.browserPhase === 'relay');
    this.sendToBrowser(encodeProtocolVersion());
    void this.openUpstream();
  }

  /** Events of a socket that is no longer the relay's browser (replaced by a re-attach) are
   * ignored. */
  private attachBrowser(socket: WebSocket): void {
    socket.binaryType = 'nodebuffer';
    const current = () => socket === this.browser && this.browserPhase !== 'detached';
    socket.on('message', (data, isBinary) => {
      if (current()) this.onBrowserMessage(data as Buffer, isBinary);
    });
    socket.on('pong', () => this.awaitingPong.delete(socket));
    socket.on('close', (code) => {
      if (current()) this.onBrowserClose(code);
    });
    socket.on('error', (err) => {
      if (current()) this.onBrowserError(err); // 'close' follows
    });
  }

  /** Whether a browser that drops now leaves Proxmox's console waiting for another. */
  private get canDetach(): boolean {
    return (
      (this.options.reattachWindowMs ?? 0) > 0 &&
      this.upstreamPhase === 'relay' &&
      this.scanner !== undefined &&
      (this.browserPhase === 'relay' || this.detachedSince !== null)
    );
  }

  /** Another browser (the same user, a fresh ticket) takes over a console whose browser dropped:
   * it gets its own handshake (security None, the current size), then Proxmox's stream from the
   * next message on. False when there is nothing to take over (ended, or not detached). */
  reattach(socket: WebSocket): boolean {
    if (this.finished || this.browserPhase !== 'detached') return false;
    this.browser = socket;
    this.down = new Flow();
    this.browserCork = new FrameCork(this.tuning.passThrough ? socketOf(socket) : undefined);
    this.browserReader = new ClientHandshakeReader();
    this.parser = new ClientMessageParser();
    this.browserPhase = 'version';
    this.attachBrowser(socket);
    this.sendToBrowser(encodeProtocolVersion());
    this.after(this.tuning.handshakeTimeoutMs, () => {
      if (socket === this.browser && this.browserPhase !== 'relay' && this.browserPhase !== 'detached') {
        this.finish({ code: CONSOLE_CLOSE.handshakeTimeout, reason: 'console did not resume in time' }, 'nexus');
      }
    });
    return true;
  }

  /** The browser's socket is gone without a close frame: keep Proxmox's console for the window. */
  private detach(): void {
    const since = this.now();
    this.browserPhase = 'detached';
    this.detachedSince = since;
    this.awaitingPong.delete(this.browser);
    this.resume = undefined;
    // Nothing waits for the old browser any more: Proxmox may send again (its bytes are dropped).
    const down = this.down;
    clearTimeout(down.stallTimer);
    if (down.paused) {
      down.paused = false;
      this.upstream?.resume();
    }
    this.down = new Flow();
    this.hooks.onDetached?.();
    this.after(this.options.reattachWindowMs ?? 0, () => {
      if (this.detachedSince === since) {
        this.finish({ code: CONSOLE_CLOSE.stalled, reason: 'browser connection lost' }, 'browser');
      }
    });
  }

  /** The re-attached browser is through its handshake: ServerInit as Proxmox's screen is now. */
  private resumeRelay(): void {
    const scanner = this.scanner as ServerStreamScanner;
    const detachedMs = this.now() - (this.detachedSince ?? this.now());
    this.sendToBrowser(
      encodeServerInit({
        width: scanner.width,
        height: scanner.height,
        pixelFormat: scanner.pixelFormat,
        name: this.desktopName,
      }),
    );
    this.resume = new ResumeFilter(scanner, this.tuning.maxUpstreamPayloadBytes);
    this.refreshAsked = false;
    this.browserPhase = 'relay';
    this.detachedSince = null;
    this.lastInputAt = this.now();
    this.hooks.onReattached?.({ detachedMs });
    const pending = this.browserReader.takeRemaining();
    if (pending.length > 0) this.forwardUp(pending);
  }

  // ---- upstream connection ----------------------------------------------------------------------

  private async openUpstream(): Promise<void> {
    const grant = await this.requestGrant((err) => this.failDuringHandshake(upstreamFailure(err), 'proxmox'));
    if (!grant) return;
    this.password = grant.password;
    this.upstreamPhase = 'connecting';
    const openTimer = setTimeout(() => {
      if (this.upstreamPhase === 'connecting') {
        this.failDuringHandshake(
          { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox unreachable (no console connection)' },
          'proxmox',
        );
      }
    }, this.tuning.upstreamOpenTimeoutMs);
    this.timers.push(openTimer);
    try {
      await grant.connect((socket) => this.attachUpstream(socket), this.abort.signal);
    } catch (err) {
      if (this.upstreamPhase === 'connecting') this.failDuringHandshake(upstreamFailure(err), 'proxmox');
    }
  }

  /** Listeners go on before the socket opens: Proxmox's first bytes may come with the 101. */
  private attachUpstream(socket: WebSocket): void {
    if (this.finished) {
      socket.terminate();
      return;
    }
    this.upstream = socket;
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => {
      if (this.finished || this.upstreamPhase !== 'connecting') return;
      // Frames from Proxmox reach onUpstreamMessage read by read, not reassembled.
      if (this.tuning.passThrough) {
        tapBinaryFrames(socket, this.tuning.maxUpstreamPayloadBytes, (payload, more) =>
          this.onUpstreamMessage(payload, true, more),
        );
      }
      this.upstreamPhase = 'version';
      this.advanceUpstream();
    });
    socket.on('message', (data, isBinary) => this.onUpstreamMessage(data as Buffer, isBinary));
    socket.on('pong', () => this.awaitingPong.delete(socket));
    socket.on('error', () => {}); // 'close' follows; the connect promise reports open failures
    socket.on('close', (code) => this.onUpstreamClose(code));
  }

  /** `more`: a piece of a frame whose rest is still to come (pass-through only). */
  private onUpstreamMessage(data: Buffer, isBinary: boolean, more = false): void {
    if (this.finished || this.pendingFailure) return; // a failing console needs no more bytes
    // Any frame answers a ping; the size check keeps the common case (none out) off the Set.
    if (this.awaitingPong.size > 0) this.awaitingPong.delete(this.upstream as WebSocket);
    if (!isBinary) {
      this.finish(
        { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox sent a text frame on the console' },
        'proxmox',
      );
      return;
    }
    if (this.upstreamPhase === 'relay') {
      if (this.browserPhase === 'relay' && !this.resume) {
        this.scan(data);
        this.browserCork.beforeWrite(more);
        this.sendToBrowser(data);
        this.browserCork.afterWrite(more);
      } else {
        this.relayResumed(data);
      }
      return;
    }
    this.upstreamReader.push(data);
    this.advanceUpstream();
    // Once relaying, the reader is empty (what followed ServerInit went to the browser).
    if (!this.finished && this.upstreamReader.bufferedBytes > MAX_EARLY_UPSTREAM_BYTES) {
      this.failDuringHandshake(
        { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox sent too much data before the console opened' },
        'proxmox',
      );
    }
  }

  /** The RFB client side towards Proxmox, one step per call while bytes allow. */
  private advanceUpstream(): void {
    const reader = this.upstreamReader;
    try {
      for (;;) {
        if (this.finished) return;
        switch (this.upstreamPhase) {
          case 'version': {
            const version = reader.protocolVersion();
            if (!version) return;
            if (version.major !== 3 || version.minor < 8) {
              throw new RfbProtocolError(`Proxmox speaks RFB ${version.major}.${version.minor}`);
            }
            this.sendToUpstream(encodeProtocolVersion());
            this.upstreamPhase = 'securityTypes';
            break;
          }
          case 'securityTypes': {
            const offer = reader.securityTypes();
            if (!offer) return;
            if (!offer.ok) {
              this.failDuringHandshake(
                { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: `Proxmox refused the console: ${offer.reason}` },
                'proxmox',
              );
              return;
            }
            if (offer.types.includes(SecurityType.VncAuth)) {
              this.sendToUpstream(Uint8Array.of(SecurityType.VncAuth));
              this.upstreamPhase = 'challenge';
            } else if (offer.types.includes(SecurityType.None)) {
              this.sendToUpstream(Uint8Array.of(SecurityType.None));
              this.upstreamPhase = 'result';
            } else {
              throw new RfbProtocolError(`no usable security type among [${offer.types.join(', ')}]`);
            }
            break;
          }
          case 'challenge': {
            const challenge = reader.vncAuthChallenge();
            if (!challenge) return;
            this.sendToUpstream(vncAuthResponse(challenge, this.password ?? ''));
            this.upstreamPhase = 'result';
            break;
          }
          case 'result': {
            const result = reader.securityResult();
            if (!result) return;
            this.password = undefined; // not needed any more
            if (!result.ok) {
              this.failDuringHandshake(
                { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox rejected the console password' },
                'proxmox',
              );
              return;
            }
            this.upstreamPhase = 'authenticated';
            this.completeSecurity();
            return;
          }
          case 'serverInit': {
            const init = reader.serverInit();
            if (!init) return;
            this.upstreamPhase = 'relay';
            this.browserPhase = 'relay';
            this.setupMs = this.now() - this.startedAt;
            this.lastInputAt = this.now();
            this.sendToBrowser(init.raw);
            this.scanner = new ServerStreamScanner(init);
            this.desktopName = init.name;
            const recorder = this.startRecording();
            if (recorder) {
              recorder.state(init);
              const every = recorder.spec.keyframeEveryMs;
              if (every > 0) this.every(every, () => this.askKeyframe());
            }
            const early = reader.takeRemaining();
            if (early.length > 0) {
              this.scan(early);
              this.sendToBrowser(early);
            }
            this.hooks.onEstablished?.({
              desktopName: init.name,
              width: init.width,
              height: init.height,
              shared: this.sharedFlag,
              setupMs: this.setupMs,
            });
            const pending = this.browserReader.takeRemaining();
            if (pending.length > 0) this.forwardUp(pending);
            return;
          }
          default:
            return; // waiting for the browser, or relaying
        }
      }
    } catch (err) {
      const detail = err instanceof RfbProtocolError ? `: ${err.message}` : '';
      this.failDuringHandshake(
        { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: `unexpected data from Proxmox${detail}` },
        'proxmox',
      );
    }
  }

  private onUpstreamClose(code: number): void {
    if (this.finished || this.ending) return;
    if (this.upstreamPhase === 'connecting') return; // the connect promise says why
    this.ending = true;
    const established = this.setupMs !== null;
    const abnormal = code !== 1000 && code !== 1005;
    const fallback: CloseReason =
      established && !abnormal
        ? { code: CONSOLE_CLOSE.closedByProxmox, reason: 'console closed by Proxmox' }
        : {
            code: CONSOLE_CLOSE.proxmoxUnreachable,
            reason: established ? 'Proxmox unreachable' : 'Proxmox closed the console connection',
          };
    const conclude = (why: CloseReason): void => {
      if (established) this.finish(why, 'proxmox');
      else this.failDuringHandshake(why, 'proxmox');
    };
    const explain = this.hooks.explainUpstreamClose;
    if (!explain) {
      conclude(fallback);
      return;
    }
    // Ask (briefly) whether the VM stopped, so the user reads the real cause.
    const timeout = new Promise<null>((resolve) => this.after(3_000, () => resolve(null)));
    void Promise.race([explain(abnormal).catch(() => null), timeout]).then((explained) =>
      conclude(explained ?? fallback),
    );
  }

  // ---- browser side -----------------------------------------------------------------------------

  private onBrowserMessage(data: Buffer, isBinary: boolean): void {
    if (this.finished) return;
    if (this.awaitingPong.size > 0) this.awaitingPong.delete(this.browser);
    if (!isBinary) {
      this.finish({ code: CONSOLE_CLOSE.protocolError, reason: 'text frames are not RFB' }, 'nexus');
      return;
    }
    if (this.browserPhase === 'relay') {
      this.forwardUp(data);
      return;
    }
    this.browserReader.push(data);
    this.advanceBrowser();
    if (!this.finished && this.browserReader.bufferedBytes > MAX_EARLY_BROWSER_BYTES) {
      this.finish({ code: CONSOLE_CLOSE.protocolError, reason: 'too much data before the console opened' }, 'nexus');
    }
  }

  /** The RFB server side towards the browser: version, security type None, ClientInit. */
  private advanceBrowser(): void {
    const reader = this.browserReader;
    try {
      for (;;) {
        if (this.finished) return;
        switch (this.browserPhase) {
          case 'version': {
            const version = reader.protocolVersion();
            if (!version) return;
            if (this.pendingFailure) {
              // RFB's first chance to carry a reason: a security-types failure.
              this.sendToBrowser(encodeSecurityTypesFailure(closeReasonText(this.pendingFailure.why.reason)));
              this.finish(this.pendingFailure.why, this.pendingFailure.by);
              return;
            }
            if (version.major !== 3 || version.minor < 8) {
              this.sendToBrowser(encodeSecurityTypesFailure('RFB 3.8 is required'));
              this.finish({ code: CONSOLE_CLOSE.protocolError, reason: 'RFB 3.8 is required' }, 'nexus');
              return;
            }
            this.sendToBrowser(encodeSecurityTypes([SecurityType.None]));
            this.browserPhase = 'security';
            break;
          }
          case 'security': {
            const chosen = reader.securityType();
            if (chosen === undefined) return;
            if (chosen !== SecurityType.None) {
              this.sendToBrowser(encodeSecurityResult('Unsupported security type'));
              this.finish({ code: CONSOLE_CLOSE.protocolError, reason: 'unsupported security type' }, 'nexus');
              return;
            }
            this.browserPhase = 'awaitUpstream';
            if (this.pendingFailure) {
              this.finish(this.pendingFailure.why, this.pendingFailure.by); // sent as the security result
              return;
            }
            this.completeSecurity();
            break;
          }
          case 'clientInit': {
            const init = reader.clientInit();
            if (!init) return;
            if (this.detachedSince !== null) {
              this.resumeRelay(); // Proxmox's side is long past its ClientInit
              return;
            }
            // A view-only viewer must never push others off the console.
            this.sharedFlag = this.options.viewOnly ? true : init.shared;
            this.sendToUpstream(Uint8Array.of(this.sharedFlag ? 1 : 0));
            this.browserPhase = 'awaitServerInit';
            this.upstreamPhase = 'serverInit';
            this.advanceUpstream();
            return;
          }
          default:
            return; // waiting for Proxmox; anything the browser sends meanwhile stays queued
        }
      }
    } catch (err) {
      const detail = err instanceof RfbProtocolError ? err.message : 'malformed handshake';
      this.finish({ code: CONSOLE_CLOSE.protocolError, reason: `invalid RFB handshake: ${detail}` }, 'nexus');
    }
  }

  /** Both sides are through security: tell the browser it may go on. */
  private completeSecurity(): void {
    if (this.browserPhase !== 'awaitUpstream') return;
    const resuming = this.detachedSince !== null && this.upstreamPhase === 'relay';
    if (this.upstreamPhase !== 'authenticated' && !resuming) return;
    this.sendToBrowser(encodeSecurityResult());
    this.browserPhase = 'clientInit';
    this.advanceBrowser();
  }

  /** 1006: the socket died without a close frame (network, sleep) — the console may wait for a
   * re-attach; a close the browser chose (1000, 1001, …) ends it. */
  private onBrowserClose(code: number): void {
    if (this.finished) return;
    if (code === 1006 && this.canDetach) {
      this.detach();
      return;
    }
    this.finish({ code: CONSOLE_CLOSE.normal, reason: 'closed by the browser' }, 'browser');
  }

  /** ws found a WebSocket violation (oversized, unmasked or malformed frame) and has already sent
   * its close code; the console ends with that cause on record, not as a browser's normal close. */
  private onBrowserError(err: Error): void {
    if (this.finished) return;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('WS_ERR_')) return; // a transport error: 'close' follows
    const tooBig = code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    this.finish(
      tooBig
        ? { code: CONSOLE_CLOSE.messageTooBig, reason: 'browser frame too large' }
        : {
            code: CONSOLE_CLOSE.protocolError,
            reason: `invalid WebSocket frame from the browser: ${err.message.replace(/^Invalid WebSocket frame: /, '')}`,
          },
      'nexus',
    );
  }

  // ---- relaying ---------------------------------------------------------------------------------

  /** Browser → Proxmox: parse, drop what a view-only session must not send, split big frames. */
  private forwardUp(chunk: Uint8Array): void {
    let parsed: ReturnType<ClientMessageParser['push']>;
    try {
      parsed = this.parser.push(chunk);
    } catch (err) {
      const detail = err instanceof RfbProtocolError ? err.message : 'malformed message';
      this.finish({ code: CONSOLE_CLOSE.protocolError, reason: `invalid RFB message: ${detail}` }, 'nexus');
      return;
    }
    if (parsed.length === 0) return;
    const out: Uint8Array[] = [];
    for (const { message, raw } of parsed) {
      if (isInputMessage(message)) this.lastInputAt = this.now();
      if (this.options.viewOnly && affectsGuest(message)) {
        this.droppedInput++;
        continue;
      }
      if (this.recorder) this.recordInput(message);
      if (message.type === 'SetPixelFormat') this.scanner?.setPixelFormat(message.pixelFormat);
      if (message.type === 'SetEncodings') {
        // Proxmox is offered only what the scanner can frame (never ExtendedMouseButtons, whose
        // 7-byte pointer events the parser could not frame), and a resumed console no zlib.
        const noZlib = this.resume !== undefined || this.options.record !== undefined;
        const offered = message.encodings.filter((e) => isFramedEncoding(e) && !(noZlib && ZLIB_ENCODINGS.has(e)));
        const same = offered.length === message.encodings.length;
        out.push(same ? raw : encodeClientMessage({ type: 'SetEncodings', encodings: offered }));
        if (this.resume && !this.refreshAsked && this.scanner) {
          // The whole screen, in the encodings just set (Proxmox answers in order).
          this.refreshAsked = true;
          const { width, height } = this.scanner;
          out.push(
            encodeClientMessage({ type: 'FramebufferUpdateRequest', incremental: false, x: 0, y: 0, width, height }),
          );
        }
        continue;
      }
      out.push(raw);
    }
    if (out.length === 0) return;
    const data = out.length === 1 ? (out[0] as Uint8Array) : Buffer.concat(out);
    const max = this.tuning.maxUpstreamFrameBytes;
    for (let at = 0; at < data.length; at += max) this.sendToUpstream(data.subarray(at, at + max));
  }

  private recordInput(message: ClientMessage): void {
    const recorder = this.recorder as RecordingWriter;
    if (message.type === 'KeyEvent' || message.type === 'QemuExtendedKeyEvent') {
      recorder.key(message.down, message.keysym);
    } else if (message.type === 'PointerEvent') {
      recorder.pointer(message.buttonMask, message.x, message.y);
    }
  }

  /** Follows Proxmox's stream; one it cannot frame only rules out a re-attach (and keyframes). */
  private scan(data: Uint8Array): void {
    if (this.scanner) {
      try {
        this.scanner.push(data);
      } catch {
        this.scanner = undefined;
      }
    }
    if (this.recorder) this.record(data);
  }

  /** Proxmox's bytes into the recording, just scanned; a due keyframe starts at the first
   * message boundary in them and holds until the whole picture followed. */
  private record(data: Uint8Array): void {
    const recorder = this.recorder as RecordingWriter;
    const scanner = this.scanner;
    this.recordedSinceKeyframe += data.length;
    if (!scanner) {
      if (this.keyframe !== 'none') recorder.cancelKeyframe();
      this.keyframe = 'none';
      recorder.server(data);
      return;
    }
    const whole = scanner.width * scanner.height;
    if (this.keyframe === 'confirming') {
      if (scanner.largestUpdate >= whole) {
        recorder.confirmKeyframe();
        this.keyframe = 'none';
      } else if (this.now() - this.keyframeAt > 3_000) {
        recorder.cancelKeyframe();
        this.keyframe = 'none';
      }
    }
    const cut = this.keyframe === 'due' ? scanner.firstBoundary : -1;
    if (cut < 0) {
      recorder.server(data);
      return;
    }
    recorder.server(data.subarray(0, cut));
    const { width, height, pixelFormat } = scanner;
    recorder.keyframe({ width, height, pixelFormat, name: this.desktopName });
    recorder.server(data.subarray(cut));
    this.recordedSinceKeyframe = data.length - cut;
    this.keyframe = 'confirming';
    if (scanner.largestUpdateAfterFirstBoundary >= whole) {
      recorder.confirmKeyframe();
      this.keyframe = 'none';
    }
  }

  /** Every keyframe interval, when the screen changed: a whole picture from Proxmox. */
  private askKeyframe(): void {
    const scanner = this.scanner;
    if (!scanner || this.keyframe !== 'none' || this.recordedSinceKeyframe === 0 || !this.recorder?.active) return;
    if (this.upstreamPhase !== 'relay') return;
    this.keyframe = 'due';
    this.keyframeAt = this.now();
    const { width, height } = scanner;
    this.sendToUpstream(
      encodeClientMessage({ type: 'FramebufferUpdateRequest', incremental: false, x: 0, y: 0, width, height }),
    );
  }

  /** Proxmox's bytes while no browser is attached (dropped), while a new one does its handshake
   * (dropped), or after a re-attach (filtered). */
  private relayResumed(data: Uint8Array): void {
    const resume = this.resume;
    if (this.browserPhase !== 'relay' || !resume) {
      this.scan(data);
      if (!this.scanner && this.browserPhase === 'detached') {
        this.finish({ code: CONSOLE_CLOSE.stalled, reason: 'browser connection lost' }, 'browser');
      }
      return;
    }
    let pieces: Uint8Array[];
    try {
      pieces = resume.push(data);
      if (this.recorder) this.record(data);
    } catch (err) {
      const detail = err instanceof RfbProtocolError ? `: ${err.message}` : '';
      this.finish(
        { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: `unexpected data from Proxmox${detail}` },
        'proxmox',
      );
      return;
    }
    for (const piece of pieces) this.sendToBrowser(piece);
  }

  private sendToBrowser(data: Uint8Array): void {
    if (this.upstreamPhase === 'relay' || this.browserPhase === 'relay') this.bytesDown += data.length;
    this.send(this.browser, data, this.down, this.upstream);
  }

  private sendToUpstream(data: Uint8Array): void {
    const socket = this.upstream;
    if (!socket) return;
    if (this.browserPhase === 'relay') this.bytesUp += data.length;
    this.send(socket, data, this.up, this.browser);
  }

  /** Sends with accounting; pauses `source` while `target` holds more than the high-water mark. */
  private send(target: WebSocket, data: Uint8Array, flow: Flow, source: WebSocket | undefined): void {
    if (this.finished || target.readyState !== target.OPEN) return;
    const length = data.length;
    flow.outstanding += length;
    if (flow.outstanding > flow.peak) flow.peak = flow.outstanding;
    target.send(data, { binary: true }, () => {
      flow.outstanding -= length;
      if (flow.paused && flow.outstanding <= this.tuning.lowWaterBytes) {
        flow.paused = false;
        clearTimeout(flow.stallTimer);
        if (!this.finished) source?.resume();
      }
    });
    if (!flow.paused && flow.outstanding > this.tuning.highWaterBytes && source) {
      flow.paused = true;
      source.pause();
      const slow = target === this.browser ? 'browser' : 'Proxmox';
      flow.stallTimer = setTimeout(
        () =>
          this.finish(
            { code: CONSOLE_CLOSE.stalled, reason: `${slow} stopped reading (connection too slow)` },
            'nexus',
          ),
        this.tuning.stallTimeoutMs,
      );
    }
  }

  /** Pings both sides; one that did not answer the previous ping is gone. A side we paused
   * ourselves cannot deliver its pong, so it is not judged while paused. */
  private keepalive(): void {
    const sides: [WebSocket | undefined, Flow, CloseReason][] = [
      [this.browser, this.up, { code: CONSOLE_CLOSE.stalled, reason: 'browser connection lost' }],
      [
        this.upstreamPhase === 'preparing' || this.upstreamPhase === 'connecting' ? undefined : this.upstream,
        this.down,
        { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox unreachable (no keepalive answer)' },
      ],
    ];
    for (const [socket, readingPausedBy, lost] of sides) {
      if (!socket || socket.readyState !== socket.OPEN) continue;
      if (readingPausedBy.paused) continue;
      if (this.awaitingPong.has(socket)) {
        if (socket === this.browser && this.canDetach) {
          this.detach(); // silent, not closed: the same wait as for a dropped socket
          socket.terminate();
          continue;
        }
        this.finish(lost, socket === this.browser ? 'browser' : 'proxmox');
        return;
      }
      this.awaitingPong.add(socket);
      socket.ping();
    }
  }

  // ---- ending -----------------------------------------------------------------------------------

  /** Before the browser is through security, a failure waits (briefly) until RFB can carry its
   * reason, so noVNC shows "VM stopped" rather than a bare disconnect. */
  private failDuringHandshake(why: CloseReason, by: RelayResult['by']): void {
    if (this.finished || this.pendingFailure) return;
    if (this.browserPhase !== 'version' && this.browserPhase !== 'security') {
      this.finish(why, by);
      return;
    }
    this.pendingFailure = { why, by };
    this.after(1_000, () => this.finish(why, by));
  }

  protected finish(why: CloseReason, by: RelayResult['by']): void {
    if (this.finished) return;
    this.finished = true;
    this.ending = true;
    for (const t of this.timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    clearTimeout(this.down.stallTimer);
    clearTimeout(this.up.stallTimer);
    this.abort.abort();
    this.password = undefined;
    const reason = closeReasonText(why.reason);
    const browser = this.browser;
    if (browser.readyState === browser.OPEN) {
      // A browser waiting for the security result reads the reason there too (noVNC shows it).
      if (this.browserPhase === 'awaitUpstream') {
        browser.send(encodeSecurityResult(reason), { binary: true });
      }
      browser.close(why.code, reason);
    }
    const upstream = this.upstream;
    if (upstream) {
      if (upstream.readyState === upstream.OPEN) upstream.close(1000);
      else if (upstream.readyState === upstream.CONNECTING) upstream.terminate();
    }
    // A peer that does not complete the closing handshake (stalled, gone) is dropped.
    const grace = setTimeout(() => {
      if (browser.readyState !== browser.CLOSED) browser.terminate();
      if (upstream && upstream.readyState !== upstream.CLOSED) upstream.terminate();
    }, this.tuning.closeGraceMs);
    grace.unref();
    this.report({
      code: why.code,
      reason,
      by,
      established: this.setupMs !== null,
      bytesUp: this.bytesUp,
      bytesDown: this.bytesDown,
      droppedInput: this.droppedInput,
      setupMs: this.setupMs,
      peakBufferedDown: this.down.peak,
      peakBufferedUp: this.up.peak,
    });
  }
}

/** The books' result for a console whose browser left before its relay began. */
export function neverOpened(reason: string): RelayResult {
  return {
    code: CONSOLE_CLOSE.normal,
    reason,
    by: 'browser',
    established: false,
    bytesUp: 0,
    bytesDown: 0,
    droppedInput: 0,
    setupMs: null,
    peakBufferedDown: 0,
    peakBufferedUp: 0,
  };
}

export function upstreamFailure(err: unknown): CloseReason {
  if (err instanceof ConsoleUpstreamError) return err.close;
  return { code: CONSOLE_CLOSE.proxmoxUnreachable, reason: 'Proxmox unreachable' };
}
