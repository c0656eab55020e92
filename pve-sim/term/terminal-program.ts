// What runs on the simulated pty behind termproxy, and the line discipline they share: a tty in
// canonical mode echoes what is typed, turns Enter (CR) into a new line, erases with DEL or
// backspace, and sends CRLF line endings; escape sequences (arrow keys) are swallowed.

export interface TerminalIo {
  /** Bytes to the client (the terminal's output). */
  output(data: string | Buffer): void;
  /** The program ended: termproxy reads EOF from the pty and closes the connection. */
  exit(): void;
}

export interface TerminalProgram {
  start(): void;
  /** Bytes typed (the data of termproxy's `0:` messages). */
  input(data: Buffer): void;
  /** The pty's new window size (SIGWINCH). */
  resize(cols: number, rows: number): void;
}

/** Pty::set_size(80, 20) right after termproxy spawns the command. */
export const INITIAL_SIZE = { cols: 80, rows: 20 } as const;

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const CTRL_U = 0x15;
const ESC = 0x1b;
const DEL = 0x7f;

/** A line editor over raw tty input: collects a line, echoes like a tty (optionally not, for
 * passwords) and reports complete lines and control keys. */
export abstract class LineProgram implements TerminalProgram {
  protected size: { cols: number; rows: number } = { ...INITIAL_SIZE };
  protected echo = true;
  private line: number[] = [];
  /** 0: none, 1: after ESC, 2: in a CSI/SS3 sequence. */
  private escape = 0;
  private ended = false;

  constructor(protected readonly io: TerminalIo) {}

  abstract start(): void;
  /** A complete line (without its end). */
  protected abstract onLine(line: string): void;
  /** Ctrl+C: the line is discarded. */
  protected abstract onInterrupt(): void;
  /** Ctrl+D on an empty line. */
  protected abstract onEof(): void;

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
  }

  protected print(text: string | Buffer): void {
    if (!this.ended) this.io.output(text);
  }

  protected end(): void {
    if (this.ended) return;
    this.ended = true;
    this.io.exit();
  }

  input(data: Buffer): void {
    for (const byte of data) {
      if (this.ended) return;
      this.key(byte);
    }
  }

  private key(byte: number): void {
    if (this.escape === 1) {
      // ESC [ (CSI) and ESC O (SS3) start a sequence; any other byte ends a two-byte one.
      this.escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
      return;
    }
    if (this.escape === 2) {
      if (byte >= 0x40 && byte <= 0x7e) this.escape = 0;
      return;
    }
    switch (byte) {
      case ESC:
        this.escape = 1;
        return;
      case CR:
      case LF: {
        const line = Buffer.from(this.line).toString('utf8');
        this.line = [];
        this.print('\r\n');
        this.onLine(line);
        return;
      }
      case DEL:
      case BACKSPACE:
        this.erase();
        return;
      case CTRL_U:
        while (this.line.length > 0) this.erase();
        return;
      case CTRL_C:
        this.line = [];
        this.print('^C\r\n');
        this.onInterrupt();
        return;
      case CTRL_D:
        if (this.line.length === 0) this.onEof();
        return;
      case TAB:
        this.print('\x07');
        return;
    }
    if (byte < 0x20) return;
    this.line.push(byte);
    if (this.echo) this.print(Buffer.from([byte]));
  }

  /** Removes the last character (all bytes of a UTF-8 sequence) and erases it on screen. */
  private erase(): void {
    if (this.line.length === 0) return;
    let last = this.line.pop() ?? 0;
    while ((last & 0xc0) === 0x80 && this.line.length > 0) last = this.line.pop() ?? 0;
    if (this.echo) this.print('\b \b');
  }
}
