// What a simulated guest received on its console, for tests ("did Ctrl+Alt+Del arrive?", "did the
// pasted text arrive?"), and the way to push clipboard text to whoever is watching it.
import { keysymName, keysymOf } from '@common/rfb/keysyms';
import type { ClientMessage } from '@common/rfb/rfb-messages';

export interface RecordedKeyEvent {
  keysym: number;
  /** keysymName(keysym), e.g. 'Control_L' or 'a'. */
  name: string;
  down: boolean;
  /** Set for QEMU extended key events: the XT scancode (RFB form) noVNC sent alongside. */
  keycode?: number;
  at: number;
}

export interface RecordedPointerEvent {
  x: number;
  y: number;
  buttonMask: number;
  at: number;
}

export interface RecordedMessage {
  message: ClientMessage;
  at: number;
}

export interface AuthAttempt {
  ok: boolean;
  /** Why it failed: 'password', 'deadline', 'security-type', 'bridge' or 'protocol'. */
  failure?: string;
  at: number;
}

/** Where a live session receives server cut text; internal to pve-sim/rfb. */
export interface CutTextSink {
  sendServerCutText(text: string): void;
}

type Waiter = () => void;

export class RfbRecorder {
  readonly keyEvents: RecordedKeyEvent[] = [];
  readonly pointerEvents: RecordedPointerEvent[] = [];
  /** Clipboard text the client sent (classic ClientCutText, Latin-1 decoded). */
  readonly clientCutText: string[] = [];
  /** Every client message after the handshake, in order. */
  readonly messages: RecordedMessage[] = [];
  /** Security handshakes: one entry per connection that got as far as a result. */
  readonly authAttempts: AuthAttempt[] = [];
  private readonly sinks = new Set<CutTextSink>();
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Sessions currently past the handshake. */
  get activeSessions(): number {
    return this.sinks.size;
  }

  /** Whether all `keys` (names such as 'Control_L', single characters, or keysyms) were held down
   * at the same moment, pressed in any order. */
  hasKeyCombo(keys: readonly (string | number)[]): boolean {
    const wanted = keys.map(keysymOf);
    const held = new Set<number>();
    for (const event of this.keyEvents) {
      if (event.down) {
        held.add(event.keysym);
        if (wanted.every((k) => held.has(k))) return true;
      } else {
        held.delete(event.keysym);
      }
    }
    return false;
  }

  /** Sends clipboard text (Latin-1; other characters become '?') to every client currently
   * connected to this guest's built-in console. Sessions bridged to an external VNC server can't
   * take it (their server→client stream is not ours to interleave) and ignore it. */
  sendServerCutText(text: string): void {
    for (const sink of this.sinks) sink.sendServerCutText(text);
  }

  /** Resolves with the first truthy value of `predicate(this)`, checked now and after each recorded
   * event; rejects after `timeoutMs`. */
  waitFor<T>(predicate: (recorder: RfbRecorder) => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check: Waiter = () => {
        let value: T | undefined | null | false;
        try {
          value = predicate(this);
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (value) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`RfbRecorder.waitFor: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Forgets everything recorded (connected sessions stay attached). */
  clear(): void {
    this.keyEvents.length = 0;
    this.pointerEvents.length = 0;
    this.clientCutText.length = 0;
    this.messages.length = 0;
    this.authAttempts.length = 0;
  }

  /** @internal Called by the RFB session for each client message. */
  record(message: ClientMessage): void {
    const at = this.now();
    this.messages.push({ message, at });
    switch (message.type) {
      case 'KeyEvent':
        this.keyEvents.push({
          keysym: message.keysym,
          name: keysymName(message.keysym),
          down: message.down,
          at,
        });
        break;
      case 'QemuExtendedKeyEvent':
        this.keyEvents.push({
          keysym: message.keysym,
          name: keysymName(message.keysym),
          down: message.down,
          keycode: message.keycode,
          at,
        });
        break;
      case 'PointerEvent':
        this.pointerEvents.push({ x: message.x, y: message.y, buttonMask: message.buttonMask, at });
        break;
      case 'ClientCutText':
        this.clientCutText.push(message.text);
        break;
    }
    this.notify();
  }

  /** @internal */
  recordAuth(ok: boolean, failure?: string): void {
    this.authAttempts.push(failure === undefined ? { ok, at: this.now() } : { ok, failure, at: this.now() });
    this.notify();
  }

  /** @internal A session past its handshake; returns the function that detaches it. */
  attach(sink: CutTextSink): () => void {
    this.sinks.add(sink);
    this.notify();
    return () => {
      this.sinks.delete(sink);
      this.notify();
    };
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
