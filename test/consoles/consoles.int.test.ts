// The console path end to end (issue 7): ticket → WebSocket upgrade → Nexus's own VNC
// authentication with pve-sim → RFB with security type None to a raw RFB client; view-only,
// secrets never on the browser side, refusals without a 101, limits, bookkeeping, revocation.

import type { TenantEvent } from '@common/events';
import { Encoding } from '@common/rfb/rfb-messages';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubMessage } from '../../server/src/realtime/hub';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { makeUser } from '../helpers/factories';
import {
  type ConsoleEnv,
  consolePath,
  member,
  openConsole,
  openConsoleSocket,
  requestTicket,
  startConsoleEnv,
  upgradeStatus,
  waitUntil,
} from './console-kit';

let env: ConsoleEnv;

const SCENARIO = {
  seed: 7,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'web-01', status: 'running' as const },
        { vmid: 101, type: 'qemu' as const, node: 'pve1', name: 'db-01', status: 'running' as const },
        { vmid: 102, type: 'lxc' as const, node: 'pve1', name: 'ct-01', status: 'running' as const },
        { vmid: 103, type: 'qemu' as const, node: 'pve1', name: 'off-01', status: 'stopped' as const },
      ],
    },
  ],
};

beforeAll(async () => {
  env = await startConsoleEnv({ sim: { scenario: SCENARIO as never } });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
});
afterAll(async () => env?.close());

const guest = (vmid: number) => env.simServer.guest(vmid);

describe(`consoles (${TEST_DIALECT})`, () => {
  it('relays a console: RFB 3.8, security None, the VM name, pictures and Ctrl+Alt+Del', async () => {
    const events: HubMessage<TenantEvent>[] = [];
    const off = env.t.nexus.hub.subscribeTenant(env.tenantId, (m) => events.push(m));
    const api = env.admin.client;
    const recorder = guest(100)?.recorder;
    recorder?.clear();
    const { ticket, socket, rfb } = await openConsole(env, api, 100);
    expect(ticket.viewOnly).toBe(false);
    expect(ticket.wsPath).toMatch(/^\/api\/consoles\/[A-Za-z0-9_-]{43}\/ws$/);
    expect(new Date(ticket.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(30_000);
    expect(socket.protocol()).toBe('binary');
    expect(rfb.serverVersion).toEqual({ major: 3, minor: 8 });
    expect(rfb.securityTypes).toEqual([1]);
    expect(rfb.desktopName).toBe('web-01');
    const update = await rfb.update(false);
    expect(update.rects.some((r) => r.encoding === Encoding.Raw)).toBe(true);
    rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    await recorder?.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));

    // Who is on this console now.
    const list = await api.get(`${consolePath(env, 100)}s`);
    expect(list.status).toBe(200);
    expect(list.body.consoles).toHaveLength(1);
    expect(list.body.consoles[0]).toMatchObject({
      userId: env.admin.id,
      email: env.admin.email,
      viewOnly: false,
      mine: true,
    });

    rfb.close();
    await socket.closed;
    await waitUntil(async () => (await api.get(`${consolePath(env, 100)}s`)).body.consoles.length === 0);

    const db = env.t.database.db;
    const row = await db
      .selectFrom('console_sessions')
      .selectAll()
      .where('vmid', '=', 100)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.opened_at).not.toBeNull();
    expect(row.closed_at).not.toBeNull();
    expect(Number(row.bytes_down)).toBeGreaterThan(400 * 300);
    expect(Number(row.bytes_up)).toBeGreaterThan(0);
    expect(row.close_reason).toBe('closed by the browser');
    expect(row.ticket_hash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await db
      .selectFrom('audit_logs')
      .selectAll()
      .where('target_id', '=', row.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['console.opened', 'console.closed']);
    const closedDetails = JSON.parse(audit[1]?.details ?? '{}');
    expect(closedDetails.durationMs).toBeGreaterThan(0);
    expect(closedDetails.bytesDown).toBe(Number(row.bytes_down));
    const metrics = await db.selectFrom('connection_metrics').selectAll().where('kind', '=', 'console').execute();
    expect(metrics.some((m) => m.success === 1 && m.server_id === env.serverId)).toBe(true);
    await waitUntil(() => events.some((m) => m.event.type === 'console.closed'));
    expect(events.map((m) => m.event.type).filter((t) => t.startsWith('console.'))).toEqual([
      'console.opened',
      'console.closed',
    ]);
    off();
  });

  it('opens container consoles the same way', async () => {
    const { rfb } = await openConsole(env, env.admin.client, 102);
    expect(rfb.desktopName).toBe('ct-01');
    await rfb.update(false);
    rfb.close();
  });

  it('gives viewers a view-only console: input never reaches Proxmox, the screen does', async () => {
    const viewer = await member(env, 'viewer');
    const recorder = guest(101)?.recorder;
    recorder?.clear();
    const { ticket, rfb, socket } = await openConsole(env, viewer.client, 101, {
      encodings: [Encoding.Raw, Encoding.QemuExtendedKeyEvent],
    });
    expect(ticket.viewOnly).toBe(true);
    rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    rfb.qemuKey('Return', 0x1c, true);
    rfb.pointer(5, 5, 1);
    rfb.cutText('shutdown -h now');
    const first = await rfb.update(false);
    expect(first.rects.length).toBeGreaterThan(0);
    await rfb.update(true);
    expect(recorder?.keyEvents).toEqual([]);
    expect(recorder?.pointerEvents).toEqual([]);
    expect(recorder?.clientCutText).toEqual([]);
    expect(recorder?.messages.some((m) => m.message.type === 'FramebufferUpdateRequest')).toBe(true);
    const list = await env.admin.client.get(`${consolePath(env, 101)}s`);
    expect(list.body.consoles[0]).toMatchObject({ userId: viewer.id, viewOnly: true, mine: false });
    rfb.close();
    await socket.closed;

    // With the tenant setting `none`, viewers get no console at all, and lose the open one.
    const second = await openConsole(env, viewer.client, 101);
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { viewerConsole: 'none' });
    try {
      expect(await second.socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'console access changed' });
      const refused = await requestTicket(env, viewer.client, 101);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('console.disabled');
    } finally {
      await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { viewerConsole: 'view-only' });
    }
  });

  it('never shows the browser Proxmox’s ticket or password', async () => {
    const passwordsBefore = env.proxmoxPasswords.length;
    const { rfb, socket } = await openConsole(env, env.admin.client, 100);
    await rfb.update(false);
    rfb.close();
    await socket.closed;
    const password = env.proxmoxPasswords[passwordsBefore];
    expect(password).toBeTruthy();
    const vncTickets = [...env.simServer.cluster.vncTickets.keys()];
    expect(vncTickets.length).toBeGreaterThan(0);
    const browserBytes = Buffer.concat(socket.received);
    const transcript = ApiClient.transcript.map((e) => e.text).join('\n');
    const logs = env.t.logs.join('\n');
    for (const secret of [password as string, ...vncTickets]) {
      for (const form of [secret, encodeURIComponent(secret)]) {
        expect(browserBytes.includes(Buffer.from(form))).toBe(false);
        expect(transcript.includes(form)).toBe(false);
        expect(logs.includes(form)).toBe(false);
      }
    }
  });

  it('keeps console tickets out of the logs', async () => {
    const res = await requestTicket(env, env.admin.client, 100);
    const ticket = String(res.body.wsPath).split('/')[3] ?? '';
    const socket = await openConsoleSocket(env, res.body.wsPath, env.admin.client);
    socket.ws.close();
    await socket.closed;
    expect((await upgradeStatus(env, res.body.wsPath, env.admin.client)).status).toBe(404);
    await env.admin.client.get(res.body.wsPath);
    const logs = env.t.logs.join('\n');
    expect(logs).toContain('/api/consoles/[redacted]/ws');
    expect(ticket.length).toBe(43);
    expect(logs).not.toContain(ticket);
  });

  describe('refuses the upgrade without a 101', () => {
    const cases: {
      name: string;
      expect: number;
      code?: string;
      run: () => Promise<{ status: number; code?: string }>;
    }[] = [
      {
        name: 'foreign Origin',
        expect: 403,
        code: 'auth.origin_refused',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          return upgradeStatus(env, res.body.wsPath, env.admin.client, { origin: 'https://evil.example' });
        },
      },
      {
        name: 'no Origin with a cookie session',
        expect: 403,
        code: 'auth.origin_refused',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          return upgradeStatus(env, res.body.wsPath, env.admin.client, { origin: null });
        },
      },
      {
        name: 'reused ticket',
        expect: 404,
        code: 'console.ticket_invalid',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          const first = await openConsoleSocket(env, res.body.wsPath, env.admin.client);
          try {
            return await upgradeStatus(env, res.body.wsPath, env.admin.client);
          } finally {
            first.ws.close();
          }
        },
      },
      {
        name: 'expired ticket',
        expect: 404,
        code: 'console.ticket_invalid',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          await env.t.database.db
            .updateTable('console_sessions')
            .set({ expires_at: Date.now() - 1 })
            .where('consumed_at', 'is', null)
            .execute();
          return upgradeStatus(env, res.body.wsPath, env.admin.client);
        },
      },
      {
        name: 'unknown ticket',
        expect: 404,
        code: 'console.ticket_invalid',
        run: () => upgradeStatus(env, `/api/consoles/${'A'.repeat(43)}/ws`, env.admin.client),
      },
      {
        name: "another user's ticket",
        expect: 404,
        code: 'console.ticket_invalid',
        run: async () => {
          const other = await member(env, 'admin');
          const res = await requestTicket(env, env.admin.client, 100);
          return upgradeStatus(env, res.body.wsPath, other.client);
        },
      },
      {
        name: "the same user's other session",
        expect: 404,
        code: 'console.ticket_invalid',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          const second = new ApiClient(env.t.url);
          await second.login(env.admin.email, env.admin.password);
          return upgradeStatus(env, res.body.wsPath, second);
        },
      },
      {
        name: 'no session',
        expect: 401,
        code: 'auth.unauthenticated',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          return upgradeStatus(env, res.body.wsPath, null);
        },
      },
      {
        name: 'permission removed meanwhile',
        expect: 404,
        code: 'tenant.not_found',
        run: async () => {
          const m = await member(env, 'manager');
          const res = await requestTicket(env, m.client, 100);
          expect(res.status).toBe(201);
          await env.admin.client.delete(`/api/tenants/${env.tenantId}/members/${m.id}`);
          return upgradeStatus(env, res.body.wsPath, m.client);
        },
      },
      {
        name: 'restricted to other guests meanwhile',
        expect: 404,
        code: 'vm.not_found',
        run: async () => {
          const m = await member(env, 'manager');
          const res = await requestTicket(env, m.client, 100);
          await env.admin.client.put(`/api/tenants/${env.tenantId}/members/${m.id}/assignments`, {
            assignments: [{ serverId: env.serverId, vmid: 101, permissions: ['view', 'console'] }],
          });
          return upgradeStatus(env, res.body.wsPath, m.client);
        },
      },
      {
        name: 'a subprotocol other than binary',
        expect: 400,
        code: 'http.bad_request',
        run: async () => {
          const res = await requestTicket(env, env.admin.client, 100);
          return upgradeStatus(env, res.body.wsPath, env.admin.client, { protocols: ['base64'] });
        },
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const result = await c.run();
        expect(result.status).toBe(c.expect);
        if (c.code) expect(result.code).toBe(c.code);
      });
    }

    it('a plain GET (no upgrade) is told to upgrade and keeps the ticket', async () => {
      const res = await requestTicket(env, env.admin.client, 100);
      const plain = await env.admin.client.get(res.body.wsPath);
      expect(plain.status).toBe(426);
      const socket = await openConsoleSocket(env, res.body.wsPath, env.admin.client);
      socket.ws.close();
    });

    it('accepts API tokens (bound to the token) without an Origin', async () => {
      const tokenRes = await env.admin.client.post('/api/auth/tokens', { name: 'console script', scopes: ['console'] });
      const api = new ApiClient(env.t.url);
      api.bearer = tokenRes.body.token;
      const res = await requestTicket(env, api, 100);
      expect(res.status).toBe(201);
      // The session of the same user may not use a token-bound ticket.
      expect((await upgradeStatus(env, res.body.wsPath, env.admin.client)).status).toBe(404);
      const res2 = await requestTicket(env, api, 100);
      const socket = await openConsoleSocket(env, res2.body.wsPath, null, {
        bearer: tokenRes.body.token,
        origin: null,
      });
      socket.ws.close();
    });
  });

  // Issue 14: unused tickets no longer hold a slot (a viewer could block everyone); open consoles do.
  it('enforces the per-tenant and per-node limits on open consoles', async () => {
    const api = env.admin.client;
    await api.put(`/api/tenants/${env.tenantId}/settings`, { maxConcurrentConsoles: 2 });
    const db = env.t.database.db;
    const closeAll = () =>
      db.updateTable('console_sessions').set({ closed_at: Date.now() }).where('closed_at', 'is', null).execute();
    await closeAll();
    const open: Awaited<ReturnType<typeof openConsoleSocket>>[] = [];
    try {
      for (const vmid of [100, 101]) {
        const res = await requestTicket(env, api, vmid);
        expect(res.status).toBe(201);
        open.push(await openConsoleSocket(env, res.body.wsPath, api));
      }
      const third = await requestTicket(env, api, 102);
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe('console.limit_reached');
      for (const s of open.splice(0)) s.ws.close();
      await waitUntil(() => env.t.nexus.services.consoles.liveCount === 0, 5000, 'consoles closed');
      await closeAll();
      await api.put(`/api/tenants/${env.tenantId}/settings`, { maxConcurrentConsoles: 50 });
      env.t.nexus.services.consoles.tuning.maxPerNode = 1;
      const res = await requestTicket(env, api, 100);
      expect(res.status).toBe(201);
      open.push(await openConsoleSocket(env, res.body.wsPath, api));
      const perNode = await requestTicket(env, api, 101);
      expect(perNode.status).toBe(429);
      expect(perNode.body.error.message).toMatch(/pve1/);
    } finally {
      for (const s of open) s.ws.close();
      await waitUntil(() => env.t.nexus.services.consoles.liveCount === 0, 5000, 'consoles closed');
      env.t.nexus.services.consoles.tuning.maxPerNode = 90;
      await api.put(`/api/tenants/${env.tenantId}/settings`, { maxConcurrentConsoles: 50 });
      await closeAll();
    }
  });

  it('answers an unknown guest with 404 and a stopped VM with 409 vm.not_running before any ticket (issue 16)', async () => {
    const missing = await requestTicket(env, env.admin.client, 999);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('vm.not_found');
    const stopped = await requestTicket(env, env.admin.client, 103);
    expect(stopped.status).toBe(409);
    expect(stopped.body.error).toMatchObject({ code: 'vm.not_running', message: 'The VM is not running' });
    const issued = await env.t.database.db
      .selectFrom('console_sessions')
      .select('id')
      .where('vmid', '=', 103)
      .execute();
    expect(issued).toHaveLength(0);
  });

  it('closes with 4001 "VM stopped" when the guest stopped between the ticket and the upgrade', async () => {
    const guest = env.simServer.guest(103);
    expect(guest).toBeDefined();
    guest?.setRunning(true, Date.now());
    try {
      const res = await requestTicket(env, env.admin.client, 103);
      expect(res.status).toBe(201);
      guest?.setRunning(false, Date.now());
      const socket = await openConsoleSocket(env, res.body.wsPath, env.admin.client);
      expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' });
    } finally {
      guest?.setRunning(false, Date.now());
    }
  });

  describe('revocation closes live consoles within 5 s', () => {
    const cases: {
      name: string;
      reason: string;
      revoke: (user: { id: string; client: ApiClient }) => Promise<unknown>;
    }[] = [
      { name: 'logout', reason: 'session revoked', revoke: (u) => u.client.post('/api/auth/logout') },
      {
        name: 'membership removal',
        reason: 'membership removed',
        revoke: (u) => env.admin.client.delete(`/api/tenants/${env.tenantId}/members/${u.id}`),
      },
      {
        name: 'role downgrade (interactive → viewer)',
        reason: 'role changed',
        revoke: (u) => env.admin.client.put(`/api/tenants/${env.tenantId}/members/${u.id}`, { role: 'viewer' }),
      },
      {
        name: 'user deletion',
        reason: 'session revoked',
        revoke: (u) => env.admin.client.delete(`/api/users/${u.id}`),
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const m = await member(env, 'manager');
        const { rfb, socket } = await openConsole(env, m.client, 100);
        await rfb.update(false);
        const started = Date.now();
        await c.revoke(m);
        const closed = await socket.closed;
        expect(Date.now() - started).toBeLessThan(5000);
        expect(closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: c.reason });
      });
    }

    it('API token revocation', async () => {
      const tokenRes = await env.admin.client.post('/api/auth/tokens', {
        name: 'short console script',
        scopes: ['console'],
      });
      const api = new ApiClient(env.t.url);
      api.bearer = tokenRes.body.token;
      const res = await requestTicket(env, api, 100);
      const socket = await openConsoleSocket(env, res.body.wsPath, null, { bearer: tokenRes.body.token, origin: null });
      const { RfbTestClient } = await import('../../pve-sim/rfb/index');
      await RfbTestClient.connect(socket.stream);
      const started = Date.now();
      await env.admin.client.delete(`/api/auth/tokens/${tokenRes.body.id}`);
      expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'token revoked' });
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('tenant deactivation', async () => {
      const admin2 = await makeUser(env.t, { globalRole: 'admin' });
      const tenant = await admin2.client.post('/api/tenants', { name: 'Short-lived', slug: `short-${Date.now()}` });
      const { registerSimServer } = await import('./console-kit');
      const serverId = await registerSimServer(admin2.client, tenant.body.id, env.simServer);
      const res = await admin2.client.post(`/api/tenants/${tenant.body.id}/servers/${serverId}/vms/100/console`);
      expect(res.status).toBe(201);
      const socket = await openConsoleSocket(env, res.body.wsPath, admin2.client);
      const { RfbTestClient } = await import('../../pve-sim/rfb/index');
      await RfbTestClient.connect(socket.stream);
      await admin2.client.patch(`/api/tenants/${tenant.body.id}`, { isActive: false });
      expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'tenant deactivated' });
    });

    it('server deletion', async () => {
      const admin2 = await makeUser(env.t, { globalRole: 'admin' });
      const tenant = await admin2.client.post('/api/tenants', { name: 'Server going', slug: `going-${Date.now()}` });
      const { registerSimServer } = await import('./console-kit');
      const serverId = await registerSimServer(admin2.client, tenant.body.id, env.simServer);
      const res = await admin2.client.post(`/api/tenants/${tenant.body.id}/servers/${serverId}/vms/101/console`);
      const socket = await openConsoleSocket(env, res.body.wsPath, admin2.client);
      const { RfbTestClient } = await import('../../pve-sim/rfb/index');
      await RfbTestClient.connect(socket.stream);
      const started = Date.now();
      expect((await admin2.client.delete(`/api/tenants/${tenant.body.id}/servers/${serverId}`)).status).toBeLessThan(
        300,
      );
      expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'server deleted' });
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('keeps a console the new role still allows (manager → admin)', async () => {
      const m = await member(env, 'manager');
      const { rfb, socket } = await openConsole(env, m.client, 100);
      await env.admin.client.put(`/api/tenants/${env.tenantId}/members/${m.id}`, { role: 'admin' });
      await new Promise((r) => setTimeout(r, 300));
      await rfb.update(false);
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      rfb.close();
    });

    it('an exclusive console (shared=0) takes over the others', async () => {
      const first = await openConsole(env, env.admin.client, 101);
      await first.rfb.update(false);
      const second = await openConsole(env, env.admin.client, 101, { shared: false });
      expect(await first.socket.closed).toEqual({ code: CONSOLE_CLOSE.takenOver, reason: 'console taken over' });
      await second.rfb.update(false);
      second.rfb.close();
    });
  });

  it('closes a stalled browser without growing memory', async () => {
    const consoles = env.t.nexus.services.consoles;
    consoles.tuning.relay = {
      closeGraceMs: 200,
      stallTimeoutMs: 1000,
      highWaterBytes: 256 * 1024,
      lowWaterBytes: 64 * 1024,
    };
    try {
      const { rfb, socket } = await openConsole(env, env.admin.client, 100);
      await rfb.update(false);
      const before = process.memoryUsage();
      const tcp = (socket.ws as unknown as { _socket: import('node:net').Socket })._socket;
      tcp.pause();
      const asking = setInterval(() => rfb.requestUpdate(false), 5);
      try {
        const closed = await socket.closed.catch(() => null);
        void closed;
        await waitUntil(
          async () => {
            const row = await env.t.database.db
              .selectFrom('console_sessions')
              .select(['close_reason'])
              .where('closed_at', 'is not', null)
              .orderBy('closed_at', 'desc')
              .executeTakeFirst();
            return /stopped reading/.test(row?.close_reason ?? '');
          },
          10_000,
          'the stalled console to close',
        );
      } finally {
        clearInterval(asking);
        tcp.resume();
      }
      const after = process.memoryUsage();
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * 1024 * 1024);
    } finally {
      consoles.tuning.relay = { closeGraceMs: 200 };
    }
  });

  it('closes live consoles with a reason on shutdown', async () => {
    const { rfb, socket } = await openConsole(env, env.admin.client, 100);
    await rfb.update(false);
    await env.t.nexus.services.consoles.shutdown();
    expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.goingAway, reason: 'Nexus is restarting' });
  });
});
