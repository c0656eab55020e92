// Nexus instances on one database (as behind a load balancer): a ticket issued on A is upgraded
// on B, B's live console shows up in A's listing, and a logout on A closes it on B; a share link
// made on A is opened through B, relayed by C, and revoking it on A closes it on C.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PveSim, startPveSim } from '../../pve-sim/index';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import type { SimServer } from '../../pve-sim/sim-server';
import { MemoryHub } from '../../server/src/realtime/hub';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { makeTenant, makeUser, type TestUser } from '../helpers/factories';
import { type ConsoleEnv, openConsoleSocket, registerSimServer, requestTicket } from './console-kit';

let sim: PveSim;
let db: TestDatabase;
let a: TestApp;
let b: TestApp;
let c: TestApp;
let admin: TestUser;
let tenantId: string;
let serverId: string;

beforeAll(async () => {
  sim = await startPveSim({
    authFailDelayMs: 20,
    scenario: {
      seed: 1,
      clusters: [
        {
          name: null,
          nodes: [{ name: 'pve1' }],
          guests: [{ vmid: 100, type: 'qemu', node: 'pve1', name: 'shared-01', status: 'running' }],
        },
      ],
    } as never,
  });
  db = await createTestDatabase();
  // PostgreSQL: each instance its own LISTEN/NOTIFY hub, as in production. SQLite (one process
  // only in production): a hub shared in-process stands in.
  const hub = TEST_DIALECT === 'postgres' ? undefined : new MemoryHub();
  a = await startTestApp({ testDb: db, deps: hub ? { hub } : {} });
  b = await startTestApp({ testDb: db, deps: hub ? { hub } : {} });
  c = await startTestApp({ testDb: db, deps: hub ? { hub } : {} });
  admin = await makeUser(a, { globalRole: 'admin' });
  tenantId = (await makeTenant(a, admin)).id;
  serverId = await registerSimServer(admin.client, tenantId, sim.servers[0] as SimServer);
});
afterAll(async () => {
  await c?.close();
  await b?.close();
  await a?.close();
  await db?.drop();
  await sim?.close();
});

/** The kit's helpers need an env; only `t` (where the socket goes) and the ids matter. */
const envOn = (t: TestApp) => ({ t, tenantId, serverId }) as unknown as ConsoleEnv;

describe(`consoles across instances (${TEST_DIALECT})`, () => {
  it('a share link made on A opens through B on C, and revoking it on A closes it on C', async () => {
    expect((await admin.client.put(`/api/tenants/${tenantId}/settings`, { consoleSharing: 'control' })).status).toBe(
      200,
    );
    const shares = `/api/tenants/${tenantId}/servers/${serverId}/vms/100/shares`;
    const created = await admin.client.post(shares, { mode: 'control', maxUses: 2 });
    expect(created.status, created.text).toBe(201);
    const token = String(created.body.url).split('/').at(-1);
    const opened = await new ApiClient(b.url).post(`/api/shares/${token}/console`, {});
    expect(opened.status, opened.text).toBe(201);
    const socket = await openConsoleSocket(envOn(c), opened.body.wsPath, null);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    await rfb.update(false);
    expect(c.nexus.services.consoles.liveCount).toBe(1);
    // A's listing sees C's console through the link.
    const listed = await admin.client.get(shares);
    expect(listed.body.shares[0]).toMatchObject({
      uses: 1,
      watching: [expect.objectContaining({ ip: expect.any(String) })],
    });
    const started = Date.now();
    expect((await admin.client.delete(`${shares}/${created.body.id}`)).status).toBe(200);
    expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'the share link was revoked' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await new ApiClient(c.url).post(`/api/shares/${token}/console`, {})).status).toBe(404);
  });

  it('upgrades on B a ticket issued on A, and a logout on A closes it on B', async () => {
    const running = { vmid: 100 };
    const ticket = await requestTicket(envOn(a), admin.client, running.vmid);
    expect(ticket.status).toBe(201);
    const socket = await openConsoleSocket(envOn(b), ticket.body.wsPath, admin.client);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    await rfb.update(false);
    expect(b.nexus.services.consoles.liveCount).toBe(1);
    expect(a.nexus.services.consoles.liveCount).toBe(0);
    const viewers = await admin.client.get(`/api/tenants/${tenantId}/servers/${serverId}/vms/${running.vmid}/consoles`);
    expect(viewers.body.consoles).toHaveLength(1);

    const started = Date.now();
    await admin.client.post('/api/auth/logout');
    expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'session revoked' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
