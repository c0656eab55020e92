// Text consoles end to end: the termproxy calls (containers, VM serial ports, node shells), the
// vncwebsocket upgrade, termproxy's auth line and timings, its lenient framing, the simulated
// shell and /bin/login, and what the terminal recorder saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from '../index';
import type { SimServer } from '../sim-server';
import { rawUpgrade } from '../test-support/raw-websocket';
import { call, waitForTask } from '../test-support/sim-client';
import { TermTestClient, termproxy } from '../test-support/term-client';
import { testScenario } from '../test-support/test-scenario';

let sim: PveSim;
let a: SimServer;
let quick: PveSim;
let q: SimServer;

const CT = '/nodes/pve-a/lxc/200';
const SERIAL_VM = '/nodes/pve-a/qemu/100';

beforeAll(async () => {
  const scenario = testScenario();
  const lab = scenario.clusters[0];
  for (const guest of lab?.guests ?? []) {
    if (guest.vmid === 100) guest.config = { serial0: 'socket' };
    if (guest.vmid === 101) guest.config = { serial0: 'socket' };
  }
  [sim, quick] = await Promise.all([
    startPveSim({ scenario, authFailDelayMs: 50, taskDurationMs: 40 }),
    startPveSim({ servers: 1, vms: 3, authFailDelayMs: 50, vncAcceptWindowMs: 300, termAuthWindowMs: 300 }),
  ]);
  a = sim.servers[0] as SimServer;
  q = quick.servers[0] as SimServer;
});
afterAll(async () => {
  await Promise.all([sim.close(), quick.close()]);
});

async function taskOf(server: SimServer, upid: string) {
  const status = await waitForTask(server, upid);
  const node = upid.split(':')[1] ?? '';
  const log = await call(server, 'GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, {
    token: server.token,
    query: { limit: 0 },
  });
  return { status, log: (log.body.data as { t: string }[]).map((l) => l.t) };
}

describe('termproxy calls', () => {
  it('answer {user, ticket, port, upid} like vncproxy, from the same port pool', async () => {
    const vnc = (await call(a, 'POST', `${CT}/vncproxy`, { token: a.token })).body.data;
    const reply = await termproxy(a, CT);
    expect(Object.keys(reply).sort()).toEqual(['port', 'ticket', 'upid', 'user']);
    expect(reply.user).toBe('root@pam!pve-sim');
    // Perl's JSON writes the port as a string once it went through a string (the ticket's data).
    expect(reply.port).toMatch(/^59\d\d$/);
    expect(reply.port).not.toBe(vnc.port);
    expect(a.node.consoles.get(Number(reply.port))?.target.kind).toBe('term');
    // A plain PVEVNC ticket (no VNC password in front) that breaks unless percent-encoded.
    expect(reply.ticket).toMatch(/^PVEVNC:[0-9A-F]{8}::\S+$/);
    for (const ch of ['+', '/', '=']) expect(reply.ticket).toContain(ch);
    expect(reply.upid).toMatch(/^UPID:pve-a:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vncproxy:200:root@pam!pve-sim:$/);
    const shell = await termproxy(a, '/nodes/pve-a');
    expect(shell.upid).toMatch(/:vncshell::root@pam!pve-sim:$/);
  });

  it('need VM.Console on the guest or Sys.Console on the node', async () => {
    const auditor = a.addToken({ privsep: true, acls: [{ path: '/', role: 'PVEAuditor' }] });
    const guest = await call(a, 'POST', `${CT}/termproxy`, { token: auditor });
    expect([guest.status, guest.reason]).toEqual([403, 'Permission check failed (/vms/200, VM.Console)']);
    const node = await call(a, 'POST', '/nodes/pve-a/termproxy', { token: auditor });
    expect([node.status, node.reason]).toEqual([403, 'Permission check failed (/nodes/pve-a, Sys.Console)']);
    const bad = await call(a, 'POST', `${SERIAL_VM}/termproxy`, { token: a.token, form: { serial: 'serial9' } });
    expect(bad.body.errors).toEqual({
      serial: "value 'serial9' does not have a value in the enumeration 'serial0, serial1, serial2, serial3'",
    });
    const lxcSerial = await call(a, 'POST', `${CT}/termproxy`, { token: a.token, form: { serial: 'serial0' } });
    expect(lxcSerial.status).toBe(400);
  });

  it('refuse an unknown guest like every config load', async () => {
    const res = await call(a, 'POST', '/nodes/pve-a/lxc/999/termproxy', { token: a.token });
    expect([res.status, res.reason]).toEqual([500, "Configuration file 'nodes/pve-a/lxc/999.conf' does not exist"]);
  });
});

describe('container console', () => {
  it('authenticates with <authid>:<ticket>, answers OK, shows a prompt and runs echo', async () => {
    const guest = a.guest(200);
    guest?.terminal.clear();
    const term = await TermTestClient.open(a, CT);
    await term.waitFor('root@ct-running:~# ');
    term.type('echo hello\r');
    await term.waitFor('echo hello\r\nhello\r\nroot@ct-running:~# ');
    expect(guest?.terminal.inputText).toBe('echo hello\r');
    expect(guest?.terminal.authAttempts.at(-1)).toMatchObject({ ok: true, authid: 'root@pam!pve-sim' });
    expect(guest?.terminal.activeSessions).toBe(1);
    term.close();
    await guest?.terminal.waitFor((r) => r.activeSessions === 0);
  });

  it('tracks the window size: 80x20 at first, then what resize messages say', async () => {
    const term = await TermTestClient.open(a, CT);
    term.type('stty size\r');
    await term.waitFor('stty size\r\n20 80\r\n');
    term.resize(132, 43);
    term.type('stty size\r');
    await term.waitFor('43 132\r\n');
    expect(a.guest(200)?.terminal.resizes.at(-1)).toEqual({ cols: 132, rows: 43 });
    term.close();
  });

  it('behaves like a small bash on a tty', async () => {
    const term = await TermTestClient.open(a, CT);
    const run = async (line: string, expected: string) => {
      term.type(`${line}\r`);
      await term.waitFor(`${line}\r\n${expected}root@ct-running:~# `);
    };
    await run('hostname', 'ct-running\r\n');
    await run('whoami', 'root\r\n');
    term.type('uname -a\r');
    await term.waitFor(
      /uname -a\r\nLinux ct-running 6\.17\.2-1-pve #1 SMP PREEMPT_DYNAMIC [^\r]* x86_64 GNU\/Linux\r\n.*# $/,
    );
    await run('ls', 'notes.txt\r\n');
    await run('frobnicate now', 'bash: frobnicate: command not found\r\n');
    await run('echo "two  spaces" \'and quotes\'', 'two  spaces and quotes\r\n');
    // Backspace erases on screen; Ctrl+C abandons the line with ^C.
    term.type('ecx\x7fho fixed\r');
    await term.waitFor('ecx\b \bho fixed\r\nfixed\r\n');
    term.type('half a line\x03');
    await term.waitFor('half a line^C\r\nroot@ct-running:~# ');
    // UTF-8 arrives as bytes and comes back as text.
    await run('echo ünïcødé ✓', 'ünïcødé ✓\r\n');
    term.close();
  });

  it('exit ends the session, the connection and the task (OK)', async () => {
    const reply = await termproxy(a, CT);
    const term = await TermTestClient.connect(a, CT, reply, { token: a.token });
    await term.authenticate(reply.user, reply.ticket);
    term.type('exit\r');
    await term.closed;
    expect(term.output).toContain('exit\r\n');
    const { status, log } = await taskOf(a, reply.upid);
    expect(status.exitstatus).toBe('OK');
    expect(log[0]).toMatch(/^client connection: 127\.0\.0\.1:\d+$/);
  });

  it('refuses a wrong ticket or authid in the first line by closing, without OK', async () => {
    const attempts = async (line: (r: { user: string; ticket: string }) => string) => {
      const reply = await termproxy(a, CT);
      const term = await TermTestClient.connect(a, CT, reply, { token: a.token });
      term.send(line(reply));
      await term.closed;
      expect(term.raw.length).toBe(0);
      return (await taskOf(a, reply.upid)).status.exitstatus;
    };
    const other = a.addToken({ userid: 'root@pam', tokenid: 'other', privsep: false });
    const before = a.guest(200)?.terminal.authAttempts.length ?? 0;
    const status = await attempts((r) => `${r.user}:${r.ticket.replace(/::.{4}/, '::AAAA')}\n`);
    expect(status).toMatch(
      /^command '\/usr\/bin\/termproxy \d+ --path \/vms\/200 --perm VM\.Console .*' failed: exit code 1$/,
    );
    await attempts((r) => `${other.split('=')[0]}:${r.ticket}\n`);
    await attempts(() => 'no colon in this line\n');
    const failures = a
      .guest(200)
      ?.terminal.authAttempts.slice(before)
      .map((x) => x.failure);
    expect(failures).toEqual(['ticket', 'ticket', 'format']);
  });

  it('refuses a bad vncticket with 401 before the upgrade', async () => {
    const reply = await termproxy(a, CT);
    const path = `/api2/json${CT}/vncwebsocket?port=${reply.port}&vncticket=${encodeURIComponent(`${reply.ticket}x`)}`;
    const up = await rawUpgrade(a, path, { token: a.token, protocol: 'binary' });
    expect(up).toMatchObject({ kind: 'refused', status: 401 });
    // A container's termproxy ticket is not a node shell's.
    const nodePath = `/api2/json/nodes/pve-a/vncwebsocket?port=${reply.port}&vncticket=${encodeURIComponent(reply.ticket)}`;
    expect(await rawUpgrade(a, nodePath, { token: a.token, protocol: 'binary' })).toMatchObject({ status: 401 });
  });

  it('ignores malformed framing as termproxy does: the session stays, nothing reaches the shell', async () => {
    const guest = a.guest(200);
    const term = await TermTestClient.open(a, CT);
    guest?.terminal.clear();
    term.send('0:abc:hello');
    term.send('9');
    term.send('x0');
    term.send(`0:${'1'.repeat(30)}`);
    term.type('echo still here\r');
    await term.waitFor('still here\r\n');
    expect(guest?.terminal.inputText).toBe('echo still here\r');
    const ignored = guest?.terminal.events
      .filter((e) => e.kind === 'ignored')
      .map((e) => e.kind === 'ignored' && e.reason);
    expect(ignored).toContain('error parsing number');
    expect(term.isClosed).toBe(false);
    term.close();
  });

  it('closes on websocket framing pveproxy refuses (a fragmented frame), as for every console', async () => {
    const term = await TermTestClient.open(a, CT);
    term.ws.sendFrame(1, Buffer.from('0:2:ab'), { fin: false });
    await term.closed;
    expect(term.isClosed).toBe(true);
  });

  it('records nothing but pings for a session that only watches', async () => {
    const guest = a.guest(200);
    const term = await TermTestClient.open(a, CT);
    guest?.terminal.clear();
    term.ping();
    term.ping();
    await guest?.terminal.waitFor((r) => r.events.length >= 1);
    expect(guest?.terminal.receivedInput).toBe(false);
    term.close();
  });

  it('shows lxc-console refusing a stopped container, then closes', async () => {
    const term = await TermTestClient.open(a, '/nodes/pve-a/lxc/201');
    await term.closed;
    expect(term.output).toMatch(/^lxc-console: 201: .* 201 is not running\r\n$/);
  });

  it('ends when the container stops', async () => {
    const term = await TermTestClient.open(a, '/nodes/pve-b/lxc/301');
    await term.waitFor('# ');
    a.guest(301)?.setRunning(false, Date.now());
    await term.closed;
    a.guest(301)?.setRunning(true, Date.now());
  });
});

describe('serial terminal', () => {
  it('runs qm terminal on the first socket port, then the guest console', async () => {
    const term = await TermTestClient.open(a, SERIAL_VM);
    await term.waitFor('starting serial terminal on interface serial0\r\nroot@web:~# ');
    term.type('echo hello\r');
    await term.waitFor('hello\r\n');
    expect(a.guest(100)?.terminal.inputText).toContain('echo hello\r');
    term.close();
  });

  it('takes the port of a serial display (vga: serial1) when none is asked for', async () => {
    const guest = a.guest(300);
    if (!guest) throw new Error('no guest');
    guest.hardware = { ...guest.hardware, vga: 'serial1', serial0: 'socket', serial1: 'socket' };
    const term = await TermTestClient.open(a, '/nodes/pve-b/qemu/300');
    await term.waitFor('starting serial terminal on interface serial1\r\n');
    term.close();
  });

  it.each([
    [
      'an unconfigured serial port',
      SERIAL_VM,
      { serial: 'serial1' },
      "serial interface 'serial1' is not configured\r\n",
    ],
    ['a VM without a serial port', '/nodes/pve-a/qemu/102', {}, 'unable to find a serial interface\r\n'],
    ['a stopped VM', '/nodes/pve-a/qemu/101', { serial: 'serial0' }, 'VM 101 not running\r\n'],
  ])('tells about %s after OK and closes (the call itself succeeds)', async (_what, base, form, words) => {
    const reply = await termproxy(a, base, { form });
    const term = await TermTestClient.connect(a, base, reply, { token: a.token });
    await term.authenticate(reply.user, reply.ticket);
    await term.closed;
    expect(term.output).toBe(words);
  });
});

describe('node shell', () => {
  it('gives an API token /bin/login: a login prompt, a silent password prompt, Login incorrect', async () => {
    const term = await TermTestClient.open(a, '/nodes/pve-a');
    await term.waitFor(/^pve-a login: $/);
    term.type('root\r');
    await term.waitFor('pve-a login: root\r\nPassword: ');
    term.type('s3cret\r');
    await term.waitFor('Password: \r\nLogin incorrect\r\n\r\npve-a login: ');
    expect(term.output).not.toContain('s3cret');
    expect(a.node.terminal.inputText).toContain('s3cret\r');
    term.close();
  });

  it('gives a root@pam ticket a root shell', async () => {
    const login = await call(a, 'POST', '/access/ticket', { form: { username: 'root@pam', password: a.rootPassword } });
    const cookie = `PVEAuthCookie=${encodeURIComponent(login.body.data.ticket)}`;
    const reply = await termproxy(a, '/nodes/pve-a', { cookie, csrf: login.body.data.CSRFPreventionToken });
    expect(reply.user).toBe('root@pam');
    const term = await TermTestClient.connect(a, '/nodes/pve-a', reply, { headers: { Cookie: cookie } });
    await term.authenticate(reply.user, reply.ticket);
    await term.waitFor(/^Linux pve-a 6\.17\.2-1-pve .*\r\n\r\nroot@pve-a:~# $/);
    term.type('hostname\r');
    await term.waitFor('pve-a\r\n');
    term.close();
  });

  it('reaches another node over ssh, which fails when that node is offline', async () => {
    const term = await TermTestClient.open(a, '/nodes/pve-b');
    await term.waitFor('pve-b login: ');
    term.close();
    a.setNodeOnline('pve-b', false);
    try {
      const offline = await TermTestClient.open(a, '/nodes/pve-b');
      await offline.closed;
      expect(offline.output).toBe('ssh: connect to host 10.10.0.2 port 22: No route to host\r\n');
    } finally {
      a.setNodeOnline('pve-b', true);
    }
  });
});

describe("termproxy's timings", () => {
  it('gives up when nobody connects within the accept window', async () => {
    const reply = await termproxy(q, '/nodes/pve1/qemu/100');
    const { status, log } = await taskOf(q, reply.upid);
    expect(status.exitstatus).toMatch(/^command '.*' failed: exit code 1$/);
    expect(log).toContain('failed waiting for client: timed out');
    const path = `/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=${reply.port}&vncticket=${encodeURIComponent(reply.ticket)}`;
    expect((await rawUpgrade(q, path, { token: q.token, protocol: 'binary' })).kind).toBe('dropped');
  });

  it('closes a connection that sends no auth line within the auth window', async () => {
    const reply = await termproxy(q, '/nodes/pve1/lxc/9001');
    const term = await TermTestClient.connect(q, '/nodes/pve1/lxc/9001', reply, { token: q.token });
    const started = Date.now();
    await term.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const { log } = await taskOf(q, reply.upid);
    expect(log).toContain('failed reading ticket: timed out');
    expect(q.guest(9001)?.terminal.authAttempts.at(-1)).toMatchObject({ ok: false, failure: 'timeout' });
  });

  it('closes a first line longer than its 4096-byte buffer', async () => {
    const reply = await termproxy(q, '/nodes/pve1');
    const term = await TermTestClient.connect(q, '/nodes/pve1', reply, { token: q.token });
    term.send('x'.repeat(5000));
    await term.closed;
    const { log } = await taskOf(q, reply.upid);
    expect(log).toContain('failed reading ticket: authentication data is incomplete');
  });
});
