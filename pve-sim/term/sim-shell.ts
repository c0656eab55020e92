// A very small bash: a prompt, a handful of commands (echo, hostname, whoami, uname, ls, pwd,
// stty size, clear, exit) and bash's own words for the rest, so tests can type and read.
import { LineProgram, type TerminalIo } from './terminal-program';

export interface ShellOptions {
  hostname: string;
  /** `uname -r`/`uname -v` of the kernel the shell runs on. */
  kernel: { release: string; version: string };
  /** What `ls` lists in the home directory. */
  files: readonly string[];
  /** Printed before the first prompt (a login's motd). */
  banner?: readonly string[];
  /** A login shell says `logout` on exit and calls itself `-bash` in errors. */
  login: boolean;
}

/** Splits a command line into words: blanks separate, single and double quotes group (no
 * expansions, no escapes beyond `\\` and `\"` in double quotes). */
export function shellWords(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== null) return null;
  if (inWord) words.push(word);
  return words;
}

export class SimShell extends LineProgram {
  constructor(
    io: TerminalIo,
    private readonly opts: ShellOptions,
  ) {
    super(io);
  }

  private get prompt(): string {
    return `root@${this.opts.hostname}:~# `;
  }

  start(): void {
    for (const line of this.opts.banner ?? []) this.print(`${line}\r\n`);
    this.print(this.prompt);
  }

  protected onInterrupt(): void {
    this.print(this.prompt);
  }

  protected onEof(): void {
    this.print(this.opts.login ? 'logout\r\n' : 'exit\r\n');
    this.end();
  }

  protected onLine(line: string): void {
    const words = shellWords(line);
    if (words === null) {
      // bash would wait for the closing quote; a one-line shell reports it instead.
      this.say(`${this.name}: unexpected EOF while looking for matching quote`);
    } else if (words.length > 0) {
      if (this.run(words[0] ?? '', words.slice(1)) === 'exit') return;
    }
    this.print(this.prompt);
  }

  private get name(): string {
    return this.opts.login ? '-bash' : 'bash';
  }

  private say(text: string): void {
    this.print(`${text}\r\n`);
  }

  private run(command: string, args: string[]): 'exit' | undefined {
    const { hostname } = this.opts;
    switch (command) {
      case 'echo':
        this.say(args.join(' '));
        return;
      case 'hostname':
        this.say(hostname);
        return;
      case 'whoami':
        this.say('root');
        return;
      case 'pwd':
        this.say('/root');
        return;
      case 'ls':
        if (this.opts.files.length > 0) this.say(this.opts.files.join('  '));
        return;
      case 'uname':
        this.uname(args);
        return;
      case 'stty':
        if (args.length === 1 && args[0] === 'size') this.say(`${this.size.rows} ${this.size.cols}`);
        else this.say(`stty: invalid argument '${args[0] ?? ''}'\r\nTry 'stty --help' for more information.`);
        return;
      case 'clear':
        this.print('\x1b[H\x1b[2J\x1b[3J');
        return;
      case 'exit':
      case 'logout':
        this.print(this.opts.login ? 'logout\r\n' : 'exit\r\n');
        this.end();
        return 'exit';
      default:
        this.say(`${this.name}: ${command}: command not found`);
        return;
    }
  }

  private uname(args: string[]): void {
    const { hostname, kernel } = this.opts;
    const fields: Record<string, string> = {
      s: 'Linux',
      n: hostname,
      r: kernel.release,
      v: kernel.version,
      m: 'x86_64',
      o: 'GNU/Linux',
    };
    if (args.length === 0) {
      this.say('Linux');
      return;
    }
    const flags = args.map((a) => (a === '--all' ? '-a' : a));
    const bad = flags.find((f) => !/^-[snrvmoa]+$/.test(f));
    if (bad !== undefined) {
      this.say(
        `uname: invalid option -- '${bad.replace(/^-+/, '')[0] ?? ''}'\r\nTry 'uname --help' for more information.`,
      );
      return;
    }
    const wanted = flags.join('').replace(/-/g, '');
    const order = wanted.includes('a')
      ? 'snrvmo'
      : 'snrvmo'
          .split('')
          .filter((k) => wanted.includes(k))
          .join('');
    this.say(
      order
        .split('')
        .map((k) => fields[k])
        .join(' '),
    );
  }
}
