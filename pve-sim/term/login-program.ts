// /bin/login as the node shell runs it for anyone but a root@pam ticket (pve-manager's
// get_shell_command: "non-root must always login for now, we do not have a superuser role!"):
// a login prompt, a password prompt without echo, and "Login incorrect" — the simulator knows no
// system passwords. util-linux login (Debian 13) retries LOGIN_RETRIES times (5 in Debian's
// login.defs) after the first attempt, then says "Login incorrect" once more and exits. The
// failure delay of pam_faildelay is left out.
import { LineProgram, type TerminalIo } from './terminal-program';

export const LOGIN_RETRIES = 5;

export class LoginProgram extends LineProgram {
  private stage: 'user' | 'password' = 'user';
  private failures = 0;

  constructor(
    io: TerminalIo,
    private readonly hostname: string,
  ) {
    super(io);
  }

  start(): void {
    this.askUser();
  }

  private askUser(): void {
    this.stage = 'user';
    this.echo = true;
    this.print(`${this.hostname} login: `);
  }

  protected onLine(line: string): void {
    if (this.stage === 'user') {
      if (line.trim() === '') {
        this.askUser();
        return;
      }
      this.stage = 'password';
      this.echo = false;
      this.print('Password: ');
      return;
    }
    this.failures++;
    if (this.failures > LOGIN_RETRIES) {
      this.print('\r\nLogin incorrect\r\n');
      this.end();
      return;
    }
    this.print('Login incorrect\r\n\r\n');
    this.askUser();
  }

  protected onInterrupt(): void {
    this.askUser();
  }

  protected onEof(): void {
    if (this.stage === 'user') this.end();
  }
}
