// Relays in worker processes (NEXUS_RELAY_WORKERS, issue 23): the browser's socket travels to a
// child process before the 101 and the relay runs there; everything the console path promises
// holds as it does in one process — the handshake and pictures, input reaching Proxmox, view-only
// dropping it, revocation within 5 s, text consoles, re-attach without a second vncproxy — and a
// worker that dies takes its consoles down in the books and is replaced.

import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import { TEST_DIALECT } from '../helpers/db';
import { singleNodeScenario } from '../helpers/scenario';
import {
  type ConsoleEnv,
  consolePath,
  member,
  openConsole,
  openConsoleSocket,
  requestTicket,
  startConsoleEnv,
  waitUntil,
} from './console-kit';

let env: ConsoleEnv;
/** While set, the next console of guest 101 is handed to the worker as a plain URL at a refused
 * address, 0.0.0.0 (the benchmark's stand-in source is a plain URL too): the worker's dial must refuse it. */
let refusedUrl = false;

const SCENARIO = singleNodeScenario(5, [
  { vmid: 100, name: 'web-01' },
  { vmid: 101, name: 'db-01' },
  { vmid: 102, name: 'ct-01', type: 'lxc' },
]);

beforeAll(async () => {
  env = await startConsoleEnv({
    sim: { scenario: SCENARIO },
    app: {
      env: { NEXUS_RELAY_WORKERS: '2' },
      deps: {
        consoleUpstream: (real) => ({
          ...real,
          grant: async (target, signal) => {
            const grant = await real.grant(target, signal);
            if (!refusedUrl || target.vmid !== 101) return grant;
            return { ...grant, spec: { kind: 'url', url: 'ws://0.0.0.0:1/vnc' } };
          },
        }),
      },
    },
  });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
}, 30_000);
afterAll(async () => env?.close());

const consoles = () => env.t.nexus.services.consoles;
const vncproxies = (vmid: number) =>
  env.simServer.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith(`/qemu/${vmid}/vncproxy`)).length;
const row = (id: string) =>
  env.t.database.db.selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const newestRow = (vmid: number) =>
  env.t.database.db
    .selectFrom('console_sessions')
    .selectAll()
    .where('vmid', '=', vmid)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();

describe(`console relays in worker processes (${TEST_DIALECT})`, () => {
  it('runs two workers beside the server', () => {
    const pids = consoles().relayWorkerPids;
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(process.pid);
  });

  it('relays a console from a worker: handshake, pictures, keys, books', async () => {
    const recorder = env.simServer.guest(100)?.recorder;
    expect(recorder).toBeDefined();
    recorder?.clear();
    const { rfb, socket } = await openConsole(env, env.admin.client, 100);
    expect(socket.protocol()).toBe('binary');
    expect(rfb.desktopName).toBe('web-01');
    const update = await rfb.update(false);
    expect(update.rects.length).toBeGreaterThan(0);
    rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    await recorder?.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
    const opened = await newestRow(100);
    await waitUntil(async () => (await row(opened.id)).opened_at !== null);
    rfb.close();
    await socket.closed;
    await waitUntil(async () => (await row(opened.id)).closed_at !== null);
    const closed = await row(opened.id);
    expect(closed.close_reason).toBe('closed by the browser');
    expect(Number(closed.bytes_down)).toBeGreaterThan(400 * 300);
  });

  it('counts a worker’s console as a connection of the server until it ends (the per-address cap sees it)', async () => {
    const server = env.t.nexus.app.server;
    const connections = () => new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
    const res = await requestTicket(env, env.admin.client, 100);
    const before = await connections();
    const socket = await openConsoleSocket(env, res.body.wsPath, env.admin.client);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    await rfb.update(false);
    expect(await connections()).toBe(before + 1);
    rfb.close();
    await socket.closed;
    await waitUntil(async () => (await connections()) === before, 3000, 'the connection to be let go');
  });

  it('drops a viewer’s input in the worker', async () => {
    const viewer = await member(env, 'viewer');
    const recorder = env.simServer.guest(101)?.recorder;
    recorder?.clear();
    const { ticket, rfb, socket } = await openConsole(env, viewer.client, 101);
    expect(ticket.viewOnly).toBe(true);
    rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    rfb.pointer(5, 5, 1);
    await rfb.update(false);
    await rfb.update(true);
    expect(recorder?.keyEvents).toEqual([]);
    expect(recorder?.pointerEvents).toEqual([]);
    rfb.close();
    await socket.closed;
  });

  it('closes a worker’s console within 5 s of a revocation', async () => {
    const m = await member(env, 'manager');
    const { rfb, socket } = await openConsole(env, m.client, 100);
    await rfb.update(false);
    const started = Date.now();
    await env.admin.client.delete(`/api/tenants/${env.tenantId}/members/${m.id}`);
    expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'membership removed' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('passes a worker’s every dial through the egress policy, a plain URL too', async () => {
    refusedUrl = true;
    try {
      const res = await requestTicket(env, env.admin.client, 101);
      expect(res.status).toBe(201);
      const socket = await openConsoleSocket(env, res.body.wsPath, env.admin.client);
      expect(await socket.closed).toEqual({
        code: CONSOLE_CLOSE.proxmoxUnreachable,
        reason: 'The egress policy refuses this server’s address',
      });
    } finally {
      refusedUrl = false;
    }
  });

  it('runs text consoles in workers too', async () => {
    const ticket = await env.admin.client.post(`/api/tenants/${env.tenantId}/servers/${env.serverId}/vms/102/terminal`);
    expect(ticket.status).toBe(201);
    const s = await openConsoleSocket(env, ticket.body.wsPath, env.admin.client);
    const text = () => Buffer.concat(s.received).toString('utf8');
    await waitUntil(() => /[#$] $/m.test(text()), 5000, 'the prompt');
    s.ws.send('0:11:echo hello\r');
    await waitUntil(() => /\r?\nhello\r?\n/.test(text()), 5000, 'the echo');
    s.ws.close(1000);
    await s.closed;
  });

  it('re-attaches a dropped console inside its worker, with no second vncproxy', async () => {
    const m = await member(env, 'manager');
    const first = await openConsole(env, m.client, 101);
    await first.rfb.update(false);
    const opened = await newestRow(101);
    await waitUntil(async () => (await row(opened.id)).opened_at !== null);
    first.socket.ws.terminate();
    await first.socket.closed;
    const proxies = vncproxies(101);
    const res = await requestTicket(env, m.client, 101);
    const socket = await openConsoleSocket(env, res.body.wsPath, m.client);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    await rfb.update(false);
    expect(rfb.desktopName).toBe('db-01');
    expect(vncproxies(101)).toBe(proxies);
    expect((await row(opened.id)).closed_at).toBeNull();
    rfb.close();
    await waitUntil(async () => (await row(opened.id)).closed_at !== null);
  });

  it('ends the consoles of a worker that dies, in the books, and starts another', async () => {
    const { rfb, socket } = await openConsole(env, env.admin.client, 100);
    await rfb.update(false);
    const opened = await newestRow(100);
    await waitUntil(async () => (await row(opened.id)).opened_at !== null);
    const before = consoles().relayWorkerPids;
    for (const pid of before) process.kill(pid, 'SIGKILL');
    await socket.closed;
    await waitUntil(async () => (await row(opened.id)).closed_at !== null, 5000, 'the books');
    expect((await row(opened.id)).close_reason).toBe('the relay worker stopped');
    await waitUntil(
      () => consoles().relayWorkerPids.length === 2 && !consoles().relayWorkerPids.some((p) => before.includes(p)),
      5000,
      'replacements',
    );
    // The replacements relay.
    const again = await openConsole(env, env.admin.client, 100);
    await again.rfb.update(false);
    again.rfb.close();
    const list = await env.admin.client.get(`${consolePath(env, 100)}s`);
    expect(list.status).toBe(200);
  });
});
