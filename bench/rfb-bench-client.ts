// The benchmark's RFB client over a WebSocket: handshake (None or VNC auth), then either counts
// bytes (throughput) or follows server messages to time ClientCutText → ServerCutText echoes
// (latency). Lean on purpose: it must not be the bottleneck it measures.
import { performance } from 'node:perf_hooks';
import { encodeProtocolVersion, SecurityType, ServerHandshakeReader } from '@common/rfb/rfb-handshake';
import { encodeClientMessage, latin1Encode } from '@common/rfb/rfb-messages';
import { vncAuthResponse } from '@common/rfb/vnc-auth';
import type { WebSocket } from 'ws';

/** 8-byte header + 56 bytes of text = a 64-byte message each way. */
const PING = Buffer.from(
  encodeClientMessage({ type: 'ClientCutText', text: 'x'.repeat(56), data: latin1Encode('x'.repeat(56)) }),
);

export class BenchClient {
  /** Bytes received after ServerInit. */
  bytes = 0;
  readonly ready: Promise<void>;
  readonly closed: Promise<void>;
  private readonly reader = new ServerHandshakeReader();
  private phase: 'version' | 'types' | 'challenge' | 'result' | 'init' | 'running' = 'version';
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;
  // Server message parsing (only with `parse`).
  private header = Buffer.alloc(16);
  private headerHave = 0;
  private headerNeed = 1;
  private skip = 0;
  private state: 'type' | 'fbu' | 'rect' | 'cut' | 'cutText' = 'type';
  private rectsLeft = 0;
  private pending: { sent: number; resolve: (ms: number) => void }[] = [];

  constructor(
    readonly ws: WebSocket,
    private readonly password: string | null,
    private readonly parse: boolean,
  ) {
    ws.binaryType = 'nodebuffer';
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('error', (err) => this.rejectReady(err));
    ws.once('close', (code, reason) => this.rejectReady(new Error(`closed ${code} ${reason.toString()}`)));
    ws.on('message', (data: Buffer) => this.onMessage(data));
  }

  private onMessage(data: Buffer): void {
    if (this.phase === 'running') {
      this.bytes += data.length;
      if (this.parse) this.follow(data);
      if (this.bytesWaiter && this.bytes >= this.bytesWaiter.bytes) {
        this.bytesWaiter.resolve();
        this.bytesWaiter = undefined;
      }
      return;
    }
    this.reader.push(data);
    for (;;) {
      switch (this.phase) {
        case 'version':
          if (!this.reader.protocolVersion()) return;
          this.ws.send(encodeProtocolVersion());
          this.phase = 'types';
          break;
        case 'types': {
          const offer = this.reader.securityTypes();
          if (!offer) return;
          if (!offer.ok) {
            this.rejectReady(new Error(offer.reason));
            return;
          }
          const useAuth = this.password !== null && offer.types.includes(SecurityType.VncAuth);
          this.ws.send(Uint8Array.of(useAuth ? SecurityType.VncAuth : SecurityType.None));
          this.phase = useAuth ? 'challenge' : 'result';
          break;
        }
        case 'challenge': {
          const challenge = this.reader.vncAuthChallenge();
          if (!challenge) return;
          this.ws.send(vncAuthResponse(challenge, this.password ?? ''));
          this.phase = 'result';
          break;
        }
        case 'result': {
          const result = this.reader.securityResult();
          if (!result) return;
          if (!result.ok) {
            this.rejectReady(new Error(result.reason));
            return;
          }
          this.ws.send(Uint8Array.of(1));
          this.phase = 'init';
          break;
        }
        case 'init': {
          if (!this.reader.serverInit()) return;
          this.phase = 'running';
          const rest = Buffer.from(this.reader.takeRemaining());
          this.resolveReady();
          if (rest.length > 0) this.onMessage(rest);
          return;
        }
        default:
          return;
      }
    }
  }

  private bytesWaiter: { bytes: number; resolve: () => void } | undefined;

  /** Resolves once `bytes` have arrived after ServerInit in all. */
  receivedBytes(bytes: number): Promise<void> {
    if (this.bytes >= bytes) return Promise.resolve();
    return new Promise((resolve) => {
      this.bytesWaiter = { bytes, resolve };
    });
  }

  /** Asks for updates (the blaster then streams in its mode). */
  start(): void {
    this.ws.send(
      encodeClientMessage({
        type: 'FramebufferUpdateRequest',
        incremental: false,
        x: 0,
        y: 0,
        width: 1024,
        height: 768,
      }),
    );
  }

  /** One 64-byte round trip, in milliseconds. */
  ping(): Promise<number> {
    return new Promise((resolve) => {
      this.pending.push({ sent: performance.now(), resolve });
      this.ws.send(PING);
    });
  }

  /** Follows FramebufferUpdate (raw rectangles) and ServerCutText, the only messages sent. */
  private follow(data: Buffer): void {
    let at = 0;
    while (at < data.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(this.headerNeed - this.headerHave, data.length - at);
      data.copy(this.header, this.headerHave, at, at + n);
      this.headerHave += n;
      at += n;
      if (this.headerHave < this.headerNeed) return;
      this.headerHave = 0;
      this.advance();
    }
  }

  private advance(): void {
    const h = this.header;
    switch (this.state) {
      case 'type':
        if (h[0] === 0) {
          this.state = 'fbu';
          this.headerNeed = 3;
        } else if (h[0] === 3) {
          this.state = 'cut';
          this.headerNeed = 7;
        } else {
          throw new Error(`unexpected server message ${h[0]}`);
        }
        return;
      case 'fbu':
        this.rectsLeft = h.readUInt16BE(1);
        this.state = this.rectsLeft > 0 ? 'rect' : 'type';
        this.headerNeed = this.rectsLeft > 0 ? 12 : 1;
        return;
      case 'rect': {
        this.skip = h.readUInt16BE(4) * h.readUInt16BE(6) * 4;
        this.rectsLeft--;
        this.state = this.rectsLeft > 0 ? 'rect' : 'type';
        this.headerNeed = this.rectsLeft > 0 ? 12 : 1;
        return;
      }
      case 'cut':
        this.skip = h.readUInt32BE(3);
        this.state = 'type';
        this.headerNeed = 1;
        {
          const p = this.pending.shift();
          p?.resolve(performance.now() - p.sent);
        }
        return;
      default:
        return;
    }
  }

  /** Stops reading at the TCP level (a stalled browser). */
  stall(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  close(): void {
    this.ws.terminate();
  }

  /** A browser leaving the page: a close frame (the console ends at once, no re-attach wait). */
  closeCleanly(): void {
    this.ws.close(1000);
  }
}
