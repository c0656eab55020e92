// A stand-in for the console's WebSocket that noVNC reads a recording from. noVNC accepts any
// object shaped like a WebSocket or an RTCDataChannel (`Websock.attach`); this one plays the
// server's side of the RFB handshake (version 3.8, security None, the recorded ServerInit) and
// then hands noVNC the recorded server bytes it is given. What noVNC sends after the handshake
// (pixel format, encodings, update requests) goes nowhere: the picture comes from the recording.
import { encodeServerInit, type ScreenState } from './records';

type Step = 'version' | 'security' | 'clientInit' | 'relay';

export class RecordingChannel {
  // The raw-channel properties noVNC checks for (rawChannelProps in noVNC's websock.js).
  binaryType = 'arraybuffer';
  protocol = '';
  readyState: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting';
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  private step: Step = 'version';
  private pending: Uint8Array[] = [];

  constructor(private readonly state: ScreenState) {
    // Opened on the next turn, once noVNC has attached its handlers.
    setTimeout(() => {
      if (this.readyState !== 'connecting') return;
      this.readyState = 'open';
      this.onopen?.(new Event('open'));
      this.deliver(new TextEncoder().encode('RFB 003.008\n'));
    }, 0);
  }

  /** The handshake is done: recorded bytes reach noVNC at once. */
  get ready(): boolean {
    return this.step === 'relay';
  }

  /** Recorded server bytes (kept until the handshake is through). */
  push(bytes: Uint8Array): void {
    if (this.readyState !== 'open' || this.step !== 'relay') {
      this.pending.push(bytes);
      return;
    }
    this.deliver(bytes);
  }

  send(_data: ArrayBuffer | Uint8Array): void {
    if (this.readyState !== 'open') return;
    switch (this.step) {
      case 'version':
        this.step = 'security';
        this.deliver(Uint8Array.of(1, 1)); // one security type: None
        return;
      case 'security':
        this.step = 'clientInit';
        this.deliver(Uint8Array.of(0, 0, 0, 0)); // SecurityResult: OK
        return;
      case 'clientInit':
        this.step = 'relay';
        this.deliver(encodeServerInit(this.state));
        for (const bytes of this.pending.splice(0)) this.deliver(bytes);
        return;
      default:
        return;
    }
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.onclose?.({ code: 1000, reason: '', wasClean: true });
  }

  private deliver(bytes: Uint8Array): void {
    // noVNC copies each message into its receive queue; it wants an ArrayBuffer of its own.
    // Answers to noVNC's own sends arrive after its send returns, as from a socket: noVNC's
    // handshake does not expect to be re-entered from inside a send.
    const data = bytes.slice().buffer;
    queueMicrotask(() => {
      if (this.readyState === 'open') this.onmessage?.({ data });
    });
  }
}
