// The simulated shell and /bin/login without a network: what a tty echoes, what the commands
// print, and how login treats passwords.
import { describe, expect, it } from 'vitest';
import { LOGIN_RETRIES, LoginProgram } from './login-program';
import { SimShell, shellWords } from './sim-shell';
import type { TerminalIo } from './terminal-program';

function harness() {
  const out: Buffer[] = [];
  let exited = false;
  const io: TerminalIo = {
    output: (data) => {
      out.push(typeof data === 'string' ? Buffer.from(data) : data);
    },
    exit: () => {
      exited = true;
    },
  };
  return {
    io,
    get text() {
      return Buffer.concat(out).toString('utf8');
    },
    get exited() {
      return exited;
    },
  };
}

const kernel = { release: '6.17.2-1-pve', version: '#1 SMP' };

function shell(login = false) {
  const h = harness();
  const sh = new SimShell(h.io, { hostname: 'box', kernel, files: ['a.txt', 'b'], login });
  sh.start();
  const type = (text: string) => sh.input(Buffer.from(text, 'utf8'));
  return { h, sh, type };
}

describe('shellWords', () => {
  it('splits on blanks and groups quotes', () => {
    expect(shellWords(`echo  a "b  c" 'd e'f`)).toEqual(['echo', 'a', 'b  c', 'd ef']);
    expect(shellWords('echo ""')).toEqual(['echo', '']);
    expect(shellWords('echo "unclosed')).toBeNull();
  });
});

describe('SimShell', () => {
  it('echoes input, answers with CRLF and prompts again', () => {
    const { h, type } = shell();
    type('echo hi\r');
    expect(h.text).toBe('root@box:~# echo hi\r\nhi\r\nroot@box:~# ');
  });

  it('erases whole UTF-8 characters and ignores escape sequences (arrow keys)', () => {
    const { h, type } = shell();
    type('echo ä\x7fb\x1b[A\x1bOB\r');
    expect(h.text).toContain('echo ä\b \bb\r\nb\r\n');
  });

  it('reports the window size after a resize and knows a few commands', () => {
    const { h, sh, type } = shell();
    sh.resize(100, 30);
    type('stty size\rls\rpwd\rwhoami\runame\runame -sr\runame -x\r');
    expect(h.text).toContain('stty size\r\n30 100\r\n');
    expect(h.text).toContain('ls\r\na.txt  b\r\n');
    expect(h.text).toContain('pwd\r\n/root\r\n');
    expect(h.text).toContain('whoami\r\nroot\r\n');
    expect(h.text).toContain('uname\r\nLinux\r\n');
    expect(h.text).toContain('uname -sr\r\nLinux 6.17.2-1-pve\r\n');
    expect(h.text).toContain("uname: invalid option -- 'x'");
  });

  it('names itself -bash in a login shell and says logout on exit or Ctrl+D', () => {
    const login = shell(true);
    login.type('nope\r');
    expect(login.h.text).toContain('-bash: nope: command not found\r\n');
    login.type('\x04');
    expect(login.h.text.endsWith('logout\r\n')).toBe(true);
    expect(login.h.exited).toBe(true);
    const plain = shell(false);
    plain.type('partial\x04');
    expect(plain.h.exited).toBe(false);
    plain.type('\x15exit\r');
    expect(plain.h.text.endsWith('exit\r\n')).toBe(true);
    expect(plain.h.exited).toBe(true);
    // Nothing more after the end.
    plain.type('echo late\r');
    expect(plain.h.text).not.toContain('late');
  });
});

describe('LoginProgram', () => {
  it('asks for a login and a password it does not echo, then says Login incorrect', () => {
    const h = harness();
    const login = new LoginProgram(h.io, 'pve1');
    login.start();
    login.input(Buffer.from('admin\rhunter2\r'));
    expect(h.text).toBe('pve1 login: admin\r\nPassword: \r\nLogin incorrect\r\n\r\npve1 login: ');
  });

  it(`gives up after the first attempt and ${LOGIN_RETRIES} retries`, () => {
    const h = harness();
    const login = new LoginProgram(h.io, 'pve1');
    login.start();
    for (let i = 0; i < LOGIN_RETRIES; i++) login.input(Buffer.from('root\rwrong\r'));
    expect(h.exited).toBe(false);
    login.input(Buffer.from('root\rwrong\r'));
    expect(h.text.endsWith('Password: \r\n\r\nLogin incorrect\r\n')).toBe(true);
    expect(h.exited).toBe(true);
  });
});
