// Console re-attach (issue 23, DESIGN.md "Console re-attach"): a browser whose socket drops
// without a close frame leaves Proxmox's console waiting; a fresh ticket of the same user for the
// same guest continues it — a new RFB handshake with the current size, a full picture, input
// reaching the guest — with no second vncproxy. Another user, a clean close, the end of the window
// or a revocation end it instead.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_COLOURS } from '../../pve-sim/rfb/guest-frame';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import { TEST_DIALECT } from '../helpers/db';
import type { TestUser } from '../helpers/factories';
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
let alice: TestUser;

const SCENARIO = singleNodeScenario(11, [{ vmid: 100, name: 'web-01' }]);

beforeAll(async () => {
  env = await startConsoleEnv({ sim: { scenario: SCENARIO } });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
  alice = await member(env, 'manager');
});
afterAll(async () => env?.close());
beforeEach(() => {
  env.t.nexus.services.consoles.tuning.reattachWindowMs = 5_000;
});

const vncproxyCalls = () =>
  env.simServer.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/qemu/100/vncproxy')).length;

const db = () => env.t.database.db;

async function consoleRow(id: string) {
  return db().selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The newest console row of a user on vmid 100. */
async function newestConsole(userId: string) {
  return db()
    .selectFrom('console_sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('vmid', '=', 100)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

/** A console with a first picture, then its socket dropped as a network failure would (no close
 * frame: the server sees 1006). */
async function openThenDrop(user: TestUser) {
  const first = await openConsole(env, user.client, 100);
  await first.rfb.update(false);
  const row = await newestConsole(user.id);
  await waitUntil(async () => (await consoleRow(row.id)).opened_at !== null);
  first.socket.ws.terminate();
  await first.socket.closed;
  return { first, row };
}

async function resume(user: TestUser) {
  const res = await requestTicket(env, user.client, 100);
  expect(res.status).toBe(201);
  const socket = await openConsoleSocket(env, res.body.wsPath, user.client);
  const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
  return { socket, rfb };
}

describe(`console re-attach (${TEST_DIALECT})`, () => {
  it('continues the same Proxmox console for the same user: fresh handshake, full picture, input, no second vncproxy', async () => {
    const recorder = env.simServer.guest(100)?.recorder;
    expect(recorder).toBeDefined();
    const { first, row } = await openThenDrop(alice);
    const proxies = vncproxyCalls();

    const started = Date.now();
    const again = await resume(alice);
    expect(again.rfb.desktopName).toBe('web-01');
    expect([again.rfb.width, again.rfb.height]).toEqual([first.rfb.width, first.rfb.height]);
    const update = await again.rfb.update(false);
    const firstPictureMs = Date.now() - started;
    expect(update.rects.length).toBeGreaterThan(0);
    // The guest's screen as the first browser saw it (the header band is fixed).
    expect(again.rfb.pixel(2, 2)).toBe(SIM_COLOURS.header);
    expect(again.rfb.pixel(2, 2)).toBe(first.rfb.pixel(2, 2));
    expect(firstPictureMs).toBeLessThan(2000);
    expect(vncproxyCalls()).toBe(proxies);

    recorder?.clear();
    again.rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    await recorder?.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));

    // The books: the console goes on under its first row; the ticket's row closed as resumed.
    expect((await consoleRow(row.id)).closed_at).toBeNull();
    const ticketRow = await newestConsole(alice.id);
    expect(ticketRow.id).not.toBe(row.id);
    expect(ticketRow.close_reason).toBe(`resumed console ${row.id}`);
    const audit = await db()
      .selectFrom('audit_logs')
      .selectAll()
      .where('target_id', '=', row.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['console.opened', 'console.resumed']);
    expect(JSON.parse(audit[1]?.details ?? '{}')).toMatchObject({ vmid: 100, reconnectId: ticketRow.id });
    const list = await alice.client.get(`${consolePath(env, 100)}s`);
    expect(list.body.consoles.map((c: { consoleId: string }) => c.consoleId)).toEqual([row.id]);

    again.rfb.close();
    await again.socket.closed;
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null);
    expect((await consoleRow(row.id)).close_reason).toBe('closed by the browser');
  });

  it('survives more than one drop', async () => {
    const { row } = await openThenDrop(alice);
    const proxies = vncproxyCalls();
    for (let i = 0; i < 2; i++) {
      const again = await resume(alice);
      await again.rfb.update(false);
      again.socket.ws.terminate();
      await again.socket.closed;
    }
    const last = await resume(alice);
    await last.rfb.update(false);
    expect(vncproxyCalls()).toBe(proxies);
    expect((await consoleRow(row.id)).closed_at).toBeNull();
    last.rfb.close();
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null);
  });

  it('is not another user’s: their ticket opens a console of their own', async () => {
    const bob = await member(env, 'manager');
    const { row } = await openThenDrop(alice);
    const proxies = vncproxyCalls();
    const other = await resume(bob);
    await other.rfb.update(false);
    expect(vncproxyCalls()).toBe(proxies + 1);
    const bobs = await newestConsole(bob.id);
    expect(bobs.id).not.toBe(row.id);
    expect(bobs.close_reason).toBeNull();
    other.rfb.close();
    // Alice's console still waits, then ends with the window.
    env.t.nexus.services.consoles.tuning.reattachWindowMs = 5_000;
    const again = await resume(alice);
    await again.rfb.update(false);
    expect((await newestConsole(alice.id)).close_reason).toBe(`resumed console ${row.id}`);
    again.rfb.close();
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null);
  });

  it('ends when the window passes: the next ticket opens a new console', async () => {
    env.t.nexus.services.consoles.tuning.reattachWindowMs = 300;
    const { row } = await openThenDrop(alice);
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null, 3000, 'the window to end');
    expect((await consoleRow(row.id)).close_reason).toBe('browser connection lost');
    const proxies = vncproxyCalls();
    const fresh = await resume(alice);
    await fresh.rfb.update(false);
    expect(vncproxyCalls()).toBe(proxies + 1);
    fresh.rfb.close();
  });

  it('ends at once on a close the browser chose (1000)', async () => {
    const first = await openConsole(env, alice.client, 100);
    await first.rfb.update(false);
    const row = await newestConsole(alice.id);
    first.socket.ws.close(1000);
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null, 2000, 'an immediate close');
    expect((await consoleRow(row.id)).close_reason).toBe('closed by the browser');
  });

  it('still obeys revocation while it waits', async () => {
    const carol = await member(env, 'manager');
    const { row } = await openThenDrop(carol);
    await env.admin.client.delete(`/api/tenants/${env.tenantId}/members/${carol.id}`);
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null, 5000, 'revocation');
    expect((await consoleRow(row.id)).close_reason).toBe('membership removed');
  });

  it('a demotion while it waits ends it; the viewer’s next ticket opens a view-only console afresh', async () => {
    const dave = await member(env, 'manager');
    const { row } = await openThenDrop(dave);
    const res = await env.admin.client.put(`/api/tenants/${env.tenantId}/members/${dave.id}`, { role: 'viewer' });
    expect(res.status).toBe(200);
    await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null, 5000, 'the role change');
    expect((await consoleRow(row.id)).close_reason).toBe('role changed');
    const proxies = vncproxyCalls();
    const view = await resume(dave);
    await view.rfb.update(false);
    expect(vncproxyCalls()).toBe(proxies + 1);
    expect((await newestConsole(dave.id)).view_only).toBe(1);
    view.rfb.close();
  });

  it('at the tenant’s console limit, the reconnect continues its own waiting console; someone else is still refused', async () => {
    const settings = `/api/tenants/${env.tenantId}/settings`;
    const openNow = async () =>
      (
        await db()
          .selectFrom('console_sessions')
          .select('id')
          .where('tenant_id', '=', env.tenantId)
          .where('closed_at', 'is', null)
          .where('consumed_at', 'is not', null)
          .execute()
      ).length;
    await waitUntil(async () => (await openNow()) === 0, 5000, 'the earlier consoles to close');
    expect((await env.admin.client.put(settings, { maxConcurrentConsoles: 1 })).status).toBe(200);
    try {
      const erin = await member(env, 'manager');
      const { row } = await openThenDrop(erin);
      const proxies = vncproxyCalls();
      const again = await resume(erin);
      await again.rfb.update(false);
      expect(vncproxyCalls()).toBe(proxies);
      expect((await consoleRow(row.id)).closed_at).toBeNull();
      const frank = await member(env, 'manager');
      const refused = await requestTicket(env, frank.client, 100);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('console.limit_reached');
      again.rfb.close();
      await waitUntil(async () => (await consoleRow(row.id)).closed_at !== null, 5000, 'the close');
    } finally {
      await env.admin.client.put(settings, { maxConcurrentConsoles: 50 });
    }
  });
});
