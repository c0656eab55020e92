// The console path: vncproxy → vncwebsocket upgrade → RFB inside, with every rule a real server
// enforces (ticket bound to caller, guest and port; one connection; accept window; ticket
// lifetime; password window; same host; subprotocol; frame rules) and the traps of PVE-API.md.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type PveSim, startPveSim } from './index';
import { RfbHandshakeError, RfbTestClient, SIM_COLOURS, simFrameLayout } from './rfb/index';
import type { SimServer } from './sim-server';
import { rawUpgrade, type UpgradeResult } from './test-support/raw-websocket';
import { call, waitForTask } from './test-support/sim-client';
import { HOSTILE_NAME, testScenario } from './test-support/test-scenario';

interface ProxyReply {
  user: string;
  ticket: string;
  port: string;
  upid: string;
  cert: string;
  password: string;
}

let sim: PveSim;
let a: SimServer;
let b: SimServer;
let solo: SimServer;
/** Short windows, for the timing rules. */
let quick: PveSim;
let q: SimServer;

beforeAll(async () => {
  [sim, quick] = await Promise.all([
    startPveSim({ scenario: testScenario(), authFailDelayMs: 50, taskDurationMs: 40 }),
    startPveSim({
      servers: 1,
      vms: 3,
      authFailDelayMs: 50,
      vncAcceptWindowMs: 300,
      vncPasswordWindowMs: 300,
      consoleIdleMs: 300,
    }),
  ]);
  [a, b, solo] = sim.servers as [SimServer, SimServer, SimServer];
  q = quick.servers[0] as SimServer;
});
afterAll(async () => {
  await Promise.all([sim.close(), quick.close()]);
});

async function vncproxy(server: SimServer, path: string, token = server.token): Promise<ProxyReply> {
  const res = await call(server, 'POST', `${path}/vncproxy`, { token, form: { websocket: 1 } });
  expect(res.status, res.reason).toBe(200);
  return res.body.data as ProxyReply;
}

function wsPath(path: string, port: string, ticket: string, encode = true): string {
  return `/api2/json${path}/vncwebsocket?port=${port}&vncticket=${encode ? encodeURIComponent(ticket) : ticket}`;
}

function upgraded(result: UpgradeResult) {
  if (result.kind !== 'upgraded') throw new Error(`expected an upgrade, got ${JSON.stringify(result)}`);
  return result;
}

const VM = '/nodes/pve-a/qemu/100';

describe('vncproxy', () => {
  it('returns user, ticket, port, upid, cert and password as qemu-server ≥ 9.1.7 does', async () => {
    const reply = await vncproxy(a, VM);
    expect(Object.keys(reply).sort()).toEqual(['cert', 'password', 'port', 'ticket', 'upid', 'user']);
    expect(reply.user).toBe('root@pam!pve-sim');
    expect(reply.port).toMatch(/^59\d\d$/);
    expect(Number(reply.port)).toBeGreaterThanOrEqual(5900);
    expect(Number(reply.port)).toBeLessThanOrEqual(5999);
    expect(reply.password).toMatch(/^[!-~]{8}$/);
    expect(reply.ticket.startsWith(`${reply.password}:PVEVNC:`)).toBe(true);
    expect(reply.ticket).toMatch(/^.{8}:PVEVNC:[0-9A-F]{8}::\S+$/);
    for (const ch of ['+', '/', '=', ';']) expect(reply.ticket).toContain(ch);
    expect(reply.upid).toMatch(/^UPID:pve-a:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vncproxy:100:root@pam!pve-sim:$/);
    expect(new X509Certificate(reply.cert).fingerprint256).toBe(a.fingerprint);
  });

  it('runs the proxy on the host that answered, for a guest on another node too', async () => {
    const reply = await vncproxy(a, '/nodes/pve-b/qemu/300');
    expect(reply.upid).toMatch(/^UPID:pve-a:/);
    expect(a.node.consoles.has(Number(reply.port))).toBe(true);
    expect(b.node.consoles.has(Number(reply.port))).toBe(false);
  });

  it('takes width and height for containers and needs VM.Console', async () => {
    const ct = await call(a, 'POST', '/nodes/pve-a/lxc/200/vncproxy', {
      token: a.token,
      form: { width: 800, height: 600 },
    });
    expect(ct.status).toBe(200);
    const bad = await call(a, 'POST', '/nodes/pve-a/lxc/200/vncproxy', { token: a.token, form: { width: 8 } });
    expect(bad.body.errors).toEqual({ width: 'value must have a minimum value of 16' });
    const auditor = a.addToken({ privsep: true, acls: [{ path: '/vms', role: 'PVEAuditor' }] });
    const denied = await call(a, 'POST', `${VM}/vncproxy`, { token: auditor });
    expect([denied.status, denied.reason]).toEqual([403, 'Permission check failed (/vms/100, VM.Console)']);
  });

  it('hands out each of the 100 ports once, then fails', async () => {
    const ports = await startPveSim({ servers: 1, vms: 1, authFailDelayMs: 10 });
    try {
      const p = ports.servers[0] as SimServer;
      const replies = await Promise.all(Array.from({ length: 100 }, () => vncproxy(p, '/nodes/pve1/qemu/100')));
      expect(replies.map((r) => Number(r.port)).sort()).toEqual(Array.from({ length: 100 }, (_, i) => 5900 + i));
      const full = await call(p, 'POST', '/nodes/pve1/qemu/100/vncproxy', { token: p.token });
      expect([full.status, full.reason]).toEqual([500, 'unable to find free port (5900-5999)']);
    } finally {
      await ports.close();
    }
  });
});

describe('vncwebsocket and the console inside', () => {
  it('upgrades, echoes `binary`, and carries RFB 3.8 with VNC auth showing the guest', async () => {
    const reply = await vncproxy(a, VM);
    const up = upgraded(
      await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: a.token, protocol: 'binary' }),
    );
    expect(up.headers['sec-websocket-protocol']).toBe('binary');
    expect(up.headers['sec-websocket-extensions']).toBeUndefined();
    const client = await RfbTestClient.connect(up.ws, { password: reply.password });
    expect(client.serverVersion).toMatchObject({ major: 3, minor: 8 });
    expect(client.desktopName).toBe('web');
    await client.update(false);
    const layout = simFrameLayout(client.width, client.height);
    expect(client.regionIs(layout.marker, SIM_COLOURS.marker)).toBe(true);
    expect(up.ws.frames.every((f) => f.opcode === 2 && f.fin && f.length <= 128 * 1024)).toBe(true);

    // The vncproxy task runs while the console is open.
    const task = (
      await call(a, 'GET', `/nodes/pve-a/tasks/${encodeURIComponent(reply.upid)}/status`, { token: a.token })
    ).body.data;
    expect(task.status).toBe('running');

    const guest = a.guest(100);
    client.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    client.cutText('pasted text');
    await guest?.recorder.waitFor(
      (r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']) && r.clientCutText.includes('pasted text'),
    );
    guest?.recorder.sendServerCutText('from the guest');
    await client.waitFor((c) => c.serverCutText.includes('from the guest'), 2000, 'server cut text');

    client.close();
    expect(await waitForTask(a, reply.upid)).toMatchObject({ exitstatus: 'OK' });
    expect(a.node.consoles.has(Number(reply.port))).toBe(false);
  });

  it('accepts the ticket itself as VNC password (its first 8 characters are the password)', async () => {
    const reply = await vncproxy(a, VM);
    const up = upgraded(await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: a.token }));
    expect(up.headers['sec-websocket-protocol']).toBeUndefined();
    const client = await RfbTestClient.connect(up.ws, { password: reply.ticket });
    expect(client.desktopName).toBe('web');
    client.close();
  });

  it('serves containers and hostile names alike', async () => {
    const ct = await vncproxy(a, '/nodes/pve-a/lxc/200');
    const up = upgraded(await rawUpgrade(a, wsPath('/nodes/pve-a/lxc/200', ct.port, ct.ticket), { token: a.token }));
    const client = await RfbTestClient.connect(up.ws, { password: ct.password });
    expect(client.desktopName).toBe('ct-running');
    client.close();
    a.guest(101)?.setRunning(true, Date.now());
    const vm = await vncproxy(a, '/nodes/pve-a/qemu/101');
    const up2 = upgraded(await rawUpgrade(a, wsPath('/nodes/pve-a/qemu/101', vm.port, vm.ticket), { token: a.token }));
    const hostile = await RfbTestClient.connect(up2.ws, { password: vm.password });
    expect(hostile.desktopName).toBe(HOSTILE_NAME);
    hostile.close();
  });

  it('answers a plain GET with the port, as a string', async () => {
    const reply = await vncproxy(a, VM);
    const res = await call(a, 'GET', `${VM}/vncwebsocket`, {
      token: a.token,
      query: { port: reply.port, vncticket: reply.ticket },
    });
    expect(res.body).toEqual({ data: { port: reply.port } });
  });

  it('opens and closes at once for a stopped guest', async () => {
    const reply = await vncproxy(a, '/nodes/pve-a/qemu/105');
    const up = upgraded(
      await rawUpgrade(a, wsPath('/nodes/pve-a/qemu/105', reply.port, reply.ticket), { token: a.token }),
    );
    await up.ws.whenClosed();
    await expect(RfbTestClient.connect(up.ws, { password: reply.password, timeoutMs: 500 })).rejects.toThrow();
  });

  it('splits big server writes into frames of at most 128 KiB', async () => {
    const { wsDuplex } = await import('./console/ws-duplex');
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const address = wss.address() as { port: number };
    wss.on('connection', (ws) => wsDuplex(ws).end(Buffer.alloc(300 * 1024, 7)));
    const sizes: number[] = [];
    const client = new WebSocket(`ws://127.0.0.1:${address.port}`);
    client.on('message', (data: Buffer, isBinary) => {
      expect(isBinary).toBe(true);
      sizes.push(data.length);
    });
    await new Promise((r) => client.once('close', r));
    wss.close();
    expect(sizes).toEqual([128 * 1024, 128 * 1024, 44 * 1024]);
  });
});

describe('websocket handshake and frame rules', () => {
  async function openRaw(opts: { protocol?: string; extensions?: string } = {}) {
    const reply = await vncproxy(a, VM);
    return { reply, result: await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: a.token, ...opts }) };
  }

  it('echoes a subprotocol list verbatim, which a client offering two values rejects', async () => {
    const { result } = await openRaw({ protocol: 'binary, base64' });
    expect(upgraded(result).headers['sec-websocket-protocol']).toBe('binary, base64');
    upgraded(result).ws.destroy();
    const reply = await vncproxy(a, VM);
    const ws = new WebSocket(`wss://127.0.0.1:${a.port}${wsPath(VM, reply.port, reply.ticket)}`, ['binary', 'base64'], {
      rejectUnauthorized: false,
      headers: { Authorization: `PVEAPIToken=${a.token}` },
    });
    const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
    expect(error.message).toMatch(/invalid subprotocol/i);
  });

  it('refuses a subprotocol other than binary', async () => {
    const { result } = await openRaw({ protocol: 'base64' });
    expect(result).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('does not negotiate permessage-deflate', async () => {
    const { result } = await openRaw({ extensions: 'permessage-deflate; client_max_window_bits' });
    const up = upgraded(result);
    expect(up.headers['sec-websocket-extensions']).toBeUndefined();
    up.ws.destroy();
  });

  it('keeps a connection that sends proper frames', async () => {
    const up = upgraded((await openRaw()).result);
    up.ws.sendFrame(2, Buffer.from('RFB 003.008\n'));
    await new Promise((r) => setTimeout(r, 100));
    expect(up.ws.socket.destroyed).toBe(false);
    expect(up.ws.frames.length).toBeGreaterThan(0);
    up.ws.destroy();
  });

  it.each([
    [
      'an unmasked frame',
      (ws: import('./test-support/raw-websocket').RawWebSocket) =>
        ws.sendFrame(2, Buffer.from('RFB 003.008\n'), { mask: false }),
    ],
    [
      'a fragmented message',
      (ws: import('./test-support/raw-websocket').RawWebSocket) => {
        ws.sendFrame(2, Buffer.from('RFB 003'), { fin: false });
        ws.sendFrame(0, Buffer.from('.008\n'));
      },
    ],
    [
      'a frame over 128 KiB',
      (ws: import('./test-support/raw-websocket').RawWebSocket) => ws.sendFrame(2, Buffer.alloc(128 * 1024 + 1)),
    ],
  ])('closes the connection on %s', async (_what, send) => {
    const up = upgraded((await openRaw()).result);
    send(up.ws);
    await Promise.race([
      up.ws.whenClosed(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), 2000)),
    ]);
  });
});

describe('the traps of PVE-API.md', () => {
  it('a ticket that is not percent-encoded fails', async () => {
    const reply = await vncproxy(a, VM);
    const raw = await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket, false), { token: a.token });
    expect(raw.kind).toBe('refused');
    expect([400, 401]).toContain(raw.kind === 'refused' ? raw.status : 0);
    // Only `+` left unencoded: it decodes to a space and the ticket no longer matches.
    const plusOnly = encodeURIComponent(reply.ticket).replace(/%2B/g, '+');
    const res = await rawUpgrade(a, `/api2/json${VM}/vncwebsocket?port=${reply.port}&vncticket=${plusOnly}`, {
      token: a.token,
    });
    expect(res).toMatchObject({ kind: 'refused', status: 401, reason: 'permission denied - invalid PVEVNC ticket' });
    // The listener is still there for a correct request.
    const ok = upgraded(await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: a.token }));
    ok.ws.destroy();
  });

  it('a second vncproxy call gives another port and password; mixing them fails', async () => {
    const first = await vncproxy(a, VM);
    const second = await vncproxy(a, VM);
    expect(second.port).not.toBe(first.port);
    expect(second.password).not.toBe(first.password);
    const crossed = await rawUpgrade(a, wsPath(VM, second.port, first.ticket), { token: a.token });
    expect(crossed).toMatchObject({ kind: 'refused', status: 401 });
    const up = upgraded(await rawUpgrade(a, wsPath(VM, second.port, second.ticket), { token: a.token }));
    const error = await RfbTestClient.connect(up.ws, { password: first.password }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RfbHandshakeError);
    expect((error as RfbHandshakeError).stage).toBe('security-result');
    const one = upgraded(await rawUpgrade(a, wsPath(VM, first.port, first.ticket), { token: a.token }));
    const client = await RfbTestClient.connect(one.ws, { password: first.password });
    client.close();
  });

  it('the proxy accepts one connection only', async () => {
    const reply = await vncproxy(a, VM);
    const first = upgraded(await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: a.token }));
    const second = await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: a.token });
    expect(second.kind).toBe('dropped');
    first.ws.destroy();
  });

  it('too late for the accept window: the connection is dropped and the task fails', async () => {
    const reply = await vncproxy(q, '/nodes/pve1/qemu/100');
    await new Promise((r) => setTimeout(r, 400));
    const res = await rawUpgrade(q, wsPath('/nodes/pve1/qemu/100', reply.port, reply.ticket), { token: q.token });
    expect(res.kind).toBe('dropped');
    expect(await waitForTask(q, reply.upid)).toMatchObject({ exitstatus: 'connection timed out' });
    // The port is free again.
    expect(q.node.consoles.has(Number(reply.port))).toBe(false);
  });

  it('too late for the password: VNC auth after the password window fails', async () => {
    q.guest(100)?.setRunning(true, Date.now());
    const reply = await vncproxy(q, '/nodes/pve1/qemu/100');
    const up = upgraded(
      await rawUpgrade(q, wsPath('/nodes/pve1/qemu/100', reply.port, reply.ticket), { token: q.token }),
    );
    await new Promise((r) => setTimeout(r, 450));
    await expect(RfbTestClient.connect(up.ws, { password: reply.password, timeoutMs: 500 })).rejects.toThrow();
  });

  it('an idle QEMU console is closed', async () => {
    q.guest(100)?.setRunning(true, Date.now());
    const reply = await vncproxy(q, '/nodes/pve1/qemu/100');
    const up = upgraded(
      await rawUpgrade(q, wsPath('/nodes/pve1/qemu/100', reply.port, reply.ticket), { token: q.token }),
    );
    await RfbTestClient.connect(up.ws, { password: reply.password });
    await Promise.race([
      up.ws.whenClosed(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), 2000)),
    ]);
  });

  it('an expired ticket is refused with 401', async () => {
    const short = await startPveSim({ servers: 1, vms: 1, authFailDelayMs: 20, vncTicketValidityMs: 150 });
    try {
      const s = short.servers[0] as SimServer;
      const reply = await vncproxy(s, '/nodes/pve1/qemu/100');
      await new Promise((r) => setTimeout(r, 250));
      const res = await rawUpgrade(s, wsPath('/nodes/pve1/qemu/100', reply.port, reply.ticket), { token: s.token });
      expect(res).toMatchObject({ kind: 'refused', status: 401 });
    } finally {
      await short.close();
    }
  });

  it('another endpoint of the same cluster accepts the ticket but has no listener: dropped', async () => {
    const reply = await vncproxy(a, VM);
    const get = await call(b, 'GET', `${VM}/vncwebsocket`, {
      token: b.token,
      query: { port: reply.port, vncticket: reply.ticket },
    });
    expect(get.status).toBe(200);
    const res = await rawUpgrade(b, wsPath(VM, reply.port, reply.ticket), { token: b.token });
    expect(res.kind).toBe('dropped');
  });

  it('another server refuses the ticket', async () => {
    const reply = await vncproxy(a, VM);
    const res = await rawUpgrade(solo, wsPath(VM, reply.port, reply.ticket), { token: solo.token });
    expect(res).toMatchObject({ kind: 'refused', status: 401 });
  });

  it('another token, even with full rights, cannot use the ticket', async () => {
    const reply = await vncproxy(a, VM);
    const other = a.addToken({ privsep: false });
    const res = await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket), { token: other });
    expect(res).toMatchObject({ kind: 'refused', status: 401, reason: 'permission denied - invalid PVEVNC ticket' });
    const noToken = await rawUpgrade(a, wsPath(VM, reply.port, reply.ticket));
    expect(noToken).toMatchObject({ kind: 'refused', status: 401, reason: 'No ticket' });
  });

  it('a ticket for another guest does not open this one', async () => {
    const reply = await vncproxy(a, VM);
    const res = await rawUpgrade(a, wsPath('/nodes/pve-a/qemu/104', reply.port, reply.ticket), { token: a.token });
    expect(res).toMatchObject({ kind: 'refused', status: 401 });
  });
});
