// Console tickets cannot be hoarded (issue 14, finding 6): unused tickets do not count against
// the tenant's or the node's console limits; a user holds only a few unused tickets and gets
// only so many per minute; refusals are audited; and the open-console limit is enforced again,
// atomically, when a ticket is upgraded, so a burst of tickets cannot open more than the limit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config/config';
import { DEFAULT_CONSOLE_TUNING } from '../../server/src/modules/consoles/consoles.service';
import {
  type ConsoleEnv,
  member,
  openConsole,
  openConsoleSocket,
  requestTicket,
  startConsoleEnv,
  upgradeStatus,
  waitUntil,
} from '../consoles/console-kit';
import { TEST_DIALECT } from '../helpers/db';
import type { TestUser } from '../helpers/factories';

let env: ConsoleEnv;

const SCENARIO = {
  seed: 11,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'a', status: 'running' as const },
        { vmid: 101, type: 'qemu' as const, node: 'pve1', name: 'b', status: 'running' as const },
        { vmid: 102, type: 'qemu' as const, node: 'pve1', name: 'c', status: 'running' as const },
      ],
    },
  ],
};

/** The budgets a deployment gets without setting anything. */
const defaults = (() => {
  const r = loadConfig({});
  if (!r.ok) throw new Error('default config invalid');
  return r.config.consoleTickets;
})();

beforeAll(async () => {
  env = await startConsoleEnv({
    sim: { scenario: SCENARIO as never },
    app: {
      env: {
        NEXUS_CONSOLE_PENDING_TICKETS: String(defaults.maxPendingPerUser),
        NEXUS_CONSOLE_TICKETS_PER_MINUTE: String(defaults.perUserPerMinute),
      },
    },
  });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 100 };
});
afterAll(async () => env?.close());

const db = () => env.t.database.db;
const settings = (body: Record<string, unknown>) => env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, body);
/** Ends every console row and ticket, so each test starts from nothing open or pending. */
const clearConsoles = async () => {
  await waitUntil(() => env.t.nexus.services.consoles.liveCount === 0, 5000, 'live consoles closed');
  await db().updateTable('console_sessions').set({ closed_at: Date.now() }).where('closed_at', 'is', null).execute();
  await db().updateTable('console_sessions').set({ expires_at: 0 }).where('consumed_at', 'is', null).execute();
};

beforeEach(async () => {
  await settings({ maxConcurrentConsoles: 50, viewerConsole: 'view-only' });
  await clearConsoles();
});

async function refusals(userId: string) {
  const rows = await db()
    .selectFrom('audit_logs')
    .select(['details', 'result'])
    .where('actor_user_id', '=', userId)
    .where('action', '=', 'console.ticket_refused')
    .execute();
  return rows.map((r) => ({ result: r.result, ...(JSON.parse(r.details ?? '{}') as { code?: string }) }));
}

describe(`console tickets (${TEST_DIALECT})`, () => {
  it('a view-only viewer asking for 50 tickets blocks nobody else', async () => {
    const viewer = await member(env, 'viewer');
    const manager = await member(env, 'manager');
    const results = [];
    for (let i = 0; i < 50; i++) results.push(await requestTicket(env, viewer.client, 100 + (i % 3)));

    // The manager and the global admin still open consoles.
    for (const api of [manager.client, env.admin.client]) {
      const ticket = await requestTicket(env, api, 100);
      expect(ticket.status, ticket.text).toBe(201);
      const socket = await openConsoleSocket(env, ticket.body.wsPath, api);
      socket.ws.close();
      await socket.closed;
    }

    const issued = results.filter((r) => r.status === 201);
    expect(issued.length).toBe(defaults.maxPendingPerUser);
    expect(issued.every((r) => r.body.viewOnly === true)).toBe(true);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 429 && r.body.error.code === 'console.too_many_tickets')).toBe(true);
    expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Every refusal was audited with its reason.
    const audited = await refusals(viewer.id);
    expect(audited.length).toBe(refused.length);
    expect(audited.every((a) => a.result === 'denied' && a.code === 'console.too_many_tickets')).toBe(true);
  });

  it('a used or expired ticket frees its place; issuing is rate-limited per minute', async () => {
    const m: TestUser = await member(env, 'manager');
    const perMinute = defaults.perUserPerMinute;
    let issued = 0;
    while (issued < perMinute) {
      const res = await requestTicket(env, m.client, 100);
      expect(res.status, res.text).toBe(201);
      issued++;
      // Expire the unused tickets once the pending cap is reached.
      if (issued % defaults.maxPendingPerUser === 0) {
        await db()
          .updateTable('console_sessions')
          .set({ expires_at: Date.now() - 1 })
          .where('user_id', '=', m.id)
          .where('consumed_at', 'is', null)
          .execute();
      }
    }
    const limited = await requestTicket(env, m.client, 100);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('console.rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refusals(m.id)).map((a) => a.code)).toEqual(['console.rate_limited']);
  });

  it('unused tickets do not count against the tenant limit; open consoles do', async () => {
    await settings({ maxConcurrentConsoles: 2 });
    const a = await member(env, 'manager');
    const b = await member(env, 'manager');
    // Six pending tickets (three users) while nothing is open: all issued.
    for (const u of [a, b])
      for (let i = 0; i < 3; i++) expect((await requestTicket(env, u.client, 100)).status).toBe(201);
    expect((await requestTicket(env, env.admin.client, 101)).status).toBe(201);
    await clearConsoles();
    const first = await openConsole(env, a.client, 100);
    const second = await openConsole(env, b.client, 101);
    const third = await requestTicket(env, env.admin.client, 102);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('console.limit_reached');
    for (const c of [first, second]) {
      c.rfb.close();
      await c.socket.closed;
    }
    await waitUntil(() => env.t.nexus.services.consoles.liveCount === 0, 5000, 'consoles closed');
    expect((await requestTicket(env, env.admin.client, 102)).status).toBe(201);
  });

  it('a burst of tickets cannot open more consoles than the limit: the upgrade counts again', async () => {
    await settings({ maxConcurrentConsoles: 2 });
    const users = [await member(env, 'manager'), await member(env, 'manager'), await member(env, 'manager')];
    const tickets = [];
    for (const [i, u] of users.entries()) {
      const res = await requestTicket(env, u.client, 100 + i);
      expect(res.status).toBe(201);
      tickets.push({ u, wsPath: String(res.body.wsPath) });
    }
    const outcomes = await Promise.all(
      tickets.map(async ({ u, wsPath }) => {
        try {
          const socket = await openConsoleSocket(env, wsPath, u.client);
          return { status: 101, socket };
        } catch (err) {
          const e = err as { status?: number; body?: string };
          return { status: e.status ?? 0, code: JSON.parse(e.body ?? '{}').error?.code as string | undefined };
        }
      }),
    );
    expect(outcomes.filter((o) => o.status === 101).length).toBe(2);
    const refused = outcomes.find((o) => o.status !== 101);
    expect(refused).toMatchObject({ status: 429, code: 'console.limit_reached' });
    for (const o of outcomes) if ('socket' in o && o.socket) o.socket.ws.close();
  });

  it('the per-node limit counts open consoles too, also at the upgrade', async () => {
    const consoles = env.t.nexus.services.consoles;
    consoles.tuning.maxPerNode = 1;
    try {
      const a = await member(env, 'manager');
      const b = await member(env, 'manager');
      const ta = await requestTicket(env, a.client, 100);
      const tb = await requestTicket(env, b.client, 101);
      expect([ta.status, tb.status]).toEqual([201, 201]);
      const open = await openConsoleSocket(env, ta.body.wsPath, a.client);
      const late = await upgradeStatus(env, tb.body.wsPath, b.client);
      expect(late).toEqual({ status: 429, code: 'console.limit_reached' });
      const next = await requestTicket(env, b.client, 101);
      expect(next.status).toBe(429);
      expect(next.body.error.message).toMatch(/pve1/);
      open.ws.close();
    } finally {
      consoles.tuning.maxPerNode = DEFAULT_CONSOLE_TUNING.maxPerNode;
    }
  });
});
