// A console's guest changes under it: stopped through Nexus's own power action (QEMU's VNC server
// goes away, the browser reads 4001 "VM stopped"), or migrated to another node — before the
// console opens (the cached location names the old node: vncproxy there fails, the guest is
// located afresh once and the console opens on the new node) and while it is open.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../helpers/db';
import { type ConsoleEnv, openConsole, startConsoleEnv, waitUntil } from './console-kit';

let env: ConsoleEnv;

const SCENARIO = {
  seed: 11,
  clusters: [
    {
      name: 'moving',
      nodes: [{ name: 'pve1' }, { name: 'pve2' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'stop-me', status: 'running' as const },
        { vmid: 101, type: 'lxc' as const, node: 'pve1', name: 'ct-shut-me', status: 'running' as const },
        { vmid: 102, type: 'qemu' as const, node: 'pve1', name: 'moved-before', status: 'running' as const },
        { vmid: 103, type: 'qemu' as const, node: 'pve1', name: 'moved-during', status: 'running' as const },
      ],
    },
  ],
};

beforeAll(async () => {
  // A long list TTL, so the cached location is surely the pre-migration one.
  env = await startConsoleEnv({
    sim: { scenario: SCENARIO as never },
    app: { deps: { inventory: { cache: { ttlMs: 60_000, maxStaleMs: 10 * 60_000, graceMs: 250 } } } },
  });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
});
afterAll(async () => env?.close());

const guestUrl = (vmid: number) => `/api/tenants/${env.tenantId}/servers/${env.serverId}/vms/${vmid}`;

async function consoleRow(vmid: number) {
  return env.t.database.db
    .selectFrom('console_sessions')
    .selectAll()
    .where('vmid', '=', vmid)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

describe(`a console's guest changes (${TEST_DIALECT})`, () => {
  for (const [vmid, action] of [
    [100, 'stop'],
    [101, 'shutdown'],
  ] as const) {
    it(`${action} through Nexus closes the live console with 4001 "VM stopped"`, async () => {
      const { rfb, socket } = await openConsole(env, env.admin.client, vmid);
      await rfb.update(false);
      const started = Date.now();
      const res = await env.admin.client.post(`${guestUrl(vmid)}/actions/${action}`);
      expect(res.status, res.text).toBe(200);
      expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.vmStopped, reason: 'VM stopped' });
      expect(Date.now() - started).toBeLessThan(5000);
      await waitUntil(async () => (await consoleRow(vmid)).closed_at !== null, 5000, 'the row to close');
      expect((await consoleRow(vmid)).close_reason).toBe('VM stopped');
      expect(env.t.nexus.services.consoles.liveCount).toBe(0);
    });
  }

  it('opens the console on the new node when the cached location predates a migration', async () => {
    // The earlier tests' tasks end by invalidating the cache; under load the last of them could
    // land after the migration below and hand the console a fresh location.
    const inventory = env.t.nexus.services.inventory;
    await waitUntil(async () => inventory.tasks.active === 0, 30_000, 'earlier tasks to be followed to their end');
    // The inventory caches where 102 lives (pve1) …
    for (let i = 0; i < 2; i++) expect((await env.admin.client.get(guestUrl(102))).body.node).toBe('pve1');
    // … then it migrates, and the ticket is issued from that cache.
    env.simServer.migrateGuest(102, 'pve2');
    const proxyCalls = () =>
      env.simServer.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/qemu/102/vncproxy'));
    const before = proxyCalls().length;
    const { rfb, socket } = await openConsole(env, env.admin.client, 102);
    expect(rfb.desktopName).toBe('moved-before');
    await rfb.update(false);
    expect(
      proxyCalls()
        .slice(before)
        .map((r) => r.path),
    ).toEqual(['/api2/json/nodes/pve1/qemu/102/vncproxy', '/api2/json/nodes/pve2/qemu/102/vncproxy']);
    // The console now counts on the node it is on.
    await waitUntil(async () => (await consoleRow(102)).node === 'pve2', 5000, 'the row to follow the guest');
    rfb.close();
    await socket.closed;
  });

  it('tells a live console that its guest migrated', async () => {
    const { rfb, socket } = await openConsole(env, env.admin.client, 103);
    await rfb.update(false);
    env.simServer.migrateGuest(103, 'pve2');
    expect(await socket.closed).toEqual({
      code: CONSOLE_CLOSE.closedByProxmox,
      reason: 'VM migrated to node pve2',
    });
    // A new console opens on the new node straight away.
    const again = await openConsole(env, env.admin.client, 103);
    expect(again.rfb.desktopName).toBe('moved-during');
    again.rfb.close();
  });
});
