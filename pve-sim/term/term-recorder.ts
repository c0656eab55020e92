// What a simulated terminal (container console, serial port, node shell) received through
// termproxy, for tests: every input byte, every resize, every ping and everything termproxy
// dropped as unparsable — so a test can assert "the simulator received nothing" for a view-only
// session — plus the authentication attempts and the output the terminal produced.

export type TermEvent =
  /** Bytes that reached the terminal (the `data` of `0:<length>:<data>` messages). */
  | { kind: 'input'; data: Buffer; at: number }
  /** `1:<cols>:<rows>:` — the window size the terminal now has. */
  | { kind: 'resize'; cols: number; rows: number; at: number }
  /** `2`: a keep-alive; termproxy ignores it. */
  | { kind: 'ping'; at: number }
  /** Bytes termproxy skipped because they were not a message it understands (an unparsable
   * length, an unknown message type). They never reach the terminal. */
  | { kind: 'ignored'; data: Buffer; reason: string; at: number };

export interface TermAuthAttempt {
  ok: boolean;
  /** The authid the client sent on its first line. */
  authid: string;
  /** Why it failed: 'ticket', 'timeout', 'format', 'closed'. */
  failure?: string;
  at: number;
}

type UnstampedEvent = { [K in TermEvent['kind']]: Omit<Extract<TermEvent, { kind: K }>, 'at'> }[TermEvent['kind']];

type Waiter = () => void;

export class TermRecorder {
  readonly events: TermEvent[] = [];
  readonly authAttempts: TermAuthAttempt[] = [];
  private readonly outputChunks: Buffer[] = [];
  private readonly waiters = new Set<Waiter>();
  private sessions = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Terminal sessions past authentication right now. */
  get activeSessions(): number {
    return this.sessions;
  }

  /** Every input byte, in order. */
  get input(): Buffer {
    return Buffer.concat(this.events.flatMap((e) => (e.kind === 'input' ? [e.data] : [])));
  }

  /** The input as text (UTF-8). */
  get inputText(): string {
    return this.input.toString('utf8');
  }

  get resizes(): { cols: number; rows: number }[] {
    return this.events.flatMap((e) => (e.kind === 'resize' ? [{ cols: e.cols, rows: e.rows }] : []));
  }

  /** Input or resize messages received: what a view-only session must never produce. */
  get receivedInput(): boolean {
    return this.events.some((e) => e.kind === 'input' || e.kind === 'resize');
  }

  /** Everything the terminal wrote, as text (CRLF line endings as a tty sends them). */
  get output(): string {
    return Buffer.concat(this.outputChunks).toString('utf8');
  }

  /** Resolves with the first truthy value of `predicate(this)`, checked now and after each
   * recorded event or output; rejects after `timeoutMs`. */
  waitFor<T>(predicate: (recorder: TermRecorder) => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
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
        reject(new Error(`TermRecorder.waitFor: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Forgets everything recorded (sessions stay attached). */
  clear(): void {
    this.events.length = 0;
    this.authAttempts.length = 0;
    this.outputChunks.length = 0;
  }

  /** @internal */
  record(event: UnstampedEvent): void {
    this.events.push({ ...event, at: this.now() } as TermEvent);
    this.notify();
  }

  /** @internal */
  recordAuth(attempt: Omit<TermAuthAttempt, 'at'>): void {
    this.authAttempts.push({ ...attempt, at: this.now() });
    this.notify();
  }

  /** @internal */
  recordOutput(chunk: Buffer): void {
    this.outputChunks.push(chunk);
    this.notify();
  }

  /** @internal A session past authentication; returns the function that detaches it. */
  attach(): () => void {
    this.sessions++;
    this.notify();
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.sessions--;
      this.notify();
    };
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
