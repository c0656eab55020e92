// Issue 14, findings 3 and 4: being restricted to guests is a property of the membership, and it
// keeps only guest-level rights. Deleting a server (which takes its assignment rows with it)
// once made a restricted member unrestricted; a restricted manager could manage servers, read
// the whole tenant audit log and see the member list.
import type { TenantEvent } from '@common/events';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/src/db/database';
import { migrationProvider } from '../../server/src/db/migrations';
import { newId } from '../../server/src/lib/ids';
import { createTestDatabase, TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { openSse } from '../helpers/sse';
import { type Kit, registerAll, simAt, startInventoryKit, tokenOf } from '../inventory/inventory-kit';

let k: Kit;
let s1: string;
let s2: string;

beforeAll(async () => {
  // Three simulated servers; the third is registered (and deleted) by one test only.
  k = await startInventoryKit({ sim: { servers: 3, vms: 4 } });
  [s1 = '', s2 = ''] = await registerAll(k, k.sim.servers.slice(0, 2));
}, 60_000);
afterAll(async () => k?.close());

const api = (path = '') => `/api/tenants/${k.tenantId}${path}`;

async function member(role: 'viewer' | 'manager'): Promise<TestUser> {
  const u = await makeUser(k.t, { login: false });
  await addMember(k.t, k.tenantId, u, role);
  await u.client.login(u.email, PASSWORD);
  return u;
}

async function restrict(u: TestUser, body: Record<string, unknown>) {
  return k.root.client.put(api(`/members/${u.id}/assignments`), body);
}

/** Everything a member can see of the tenant's guests and servers, as keys. */
async function seen(u: TestUser) {
  const vms = await u.client.get(api('/vms'));
  const servers = await u.client.get(api('/servers'));
  expect(vms.status).toBe(200);
  expect(servers.status).toBe(200);
  return {
    vms: (vms.body.vms as { serverId: string; vmid: number }[]).map((g) => `${g.serverId}:${g.vmid}`).sort(),
    servers: (servers.body.servers as { id: string }[]).map((s) => s.id).sort(),
  };
}

describe(`restriction survives what removes its guests (${TEST_DIALECT})`, () => {
  it('a restricted member whose only server is deleted sees nothing, not everything', async () => {
    // A server of its own for this test: deleting the shared ones would disturb the others.
    const [doomed = ''] = await registerAll(k, [simAt(k, 2)]);
    const u = await member('viewer');
    expect((await restrict(u, { assignments: [{ serverId: doomed, vmid: 100, permissions: ['view'] }] })).status).toBe(
      200,
    );
    expect(await seen(u)).toEqual({ vms: [`${doomed}:100`], servers: [doomed] });

    expect((await k.manager.client.delete(api(`/servers/${doomed}`))).status).toBe(200);

    expect(await seen(u)).toEqual({ vms: [], servers: [] });
    expect((await u.client.get(api(`/servers/${s2}/vms/100`))).status).toBe(404);
    expect((await u.client.get(api(`/servers/${s2}`))).status).toBe(404);
    const stats = await u.client.get(api('/stats'));
    expect(stats.body.servers.total).toBe(0);
    expect(stats.body.guests.total).toBe(0);
    const state = await k.root.client.get(api(`/members/${u.id}/assignments`));
    expect(state.body).toEqual({ restricted: true, assignments: [] });
    const listed = await k.root.client.get(api('/members'));
    expect(listed.body.members.find((m: { userId: string }) => m.userId === u.id).restricted).toBe(true);
  });

  it('an empty list keeps a restricted member restricted; only an explicit restricted:false lifts it', async () => {
    const u = await member('viewer');
    await restrict(u, { assignments: [{ serverId: s1, vmid: 100, permissions: ['view'] }] });
    const emptied = await restrict(u, { assignments: [] });
    expect(emptied.status).toBe(200);
    expect(emptied.body).toEqual({ restricted: true, assignments: [] });
    expect(await seen(u)).toEqual({ vms: [], servers: [] });

    const contradictory = await restrict(u, {
      restricted: false,
      assignments: [{ serverId: s1, vmid: 100, permissions: ['view'] }],
    });
    expect(contradictory.status).toBe(400);

    const lifted = await restrict(u, { restricted: false, assignments: [] });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toEqual({ restricted: false, assignments: [] });
    const after = await seen(u);
    expect(after.servers).toEqual([s1, s2].sort());
    expect(after.vms.length).toBeGreaterThan(4);
    const audit = await k.root.client.get(api('/audit?action=member.assignments_changed'));
    expect(audit.body.events[0]).toMatchObject({ targetId: u.id, details: { count: 0, restricted: false } });
  });

  it('restricted:true with no guests restricts an unrestricted member to nothing', async () => {
    const u = await member('manager');
    expect((await seen(u)).servers).toEqual([s1, s2].sort());
    const res = await restrict(u, { restricted: true, assignments: [] });
    expect(res.status).toBe(200);
    expect(await seen(u)).toEqual({ vms: [], servers: [] });
  });

  it('a restricted member cannot be made tenant admin until the restriction is lifted', async () => {
    const u = await member('manager');
    await restrict(u, { assignments: [{ serverId: s1, vmid: 100, permissions: ['view'] }] });
    const promoted = await k.root.client.put(api(`/members/${u.id}`), { role: 'admin' });
    expect(promoted.status).toBe(409);
    expect(promoted.body.error.code).toBe('member.restricted');
    await restrict(u, { restricted: false, assignments: [] });
    expect((await k.root.client.put(api(`/members/${u.id}`), { role: 'admin' })).status).toBe(200);
  });
});

describe(`restricted members keep only guest-level rights (${TEST_DIALECT})`, () => {
  let rm: TestUser;

  beforeAll(async () => {
    rm = await member('manager');
    await restrict(rm, { assignments: [{ serverId: s1, vmid: 100, permissions: ['view', 'console', 'power'] }] });
  });

  it('no server management: probe, test, import, create, edit, delete', async () => {
    const sim = simAt(k, 0);
    const attempts: [string, () => Promise<{ status: number; body: any }>][] = [
      [
        'create',
        () =>
          rm.client.post(api('/servers'), {
            name: 'x',
            host: sim.host,
            port: sim.port,
            apiToken: tokenOf(sim).apiToken,
            tlsMode: 'pinned',
            tlsFingerprint: sim.fingerprint,
          }),
      ],
      ['probe', () => rm.client.post(api('/servers/probe'), { host: sim.host, port: sim.port })],
      ['import', () => rm.client.post(api('/servers/import'), { csv: 'name,host\nx,127.0.0.1\n', dryRun: true })],
      ['edit', () => rm.client.patch(api(`/servers/${s1}`), { name: 'taken over' })],
      ['test', () => rm.client.post(api(`/servers/${s1}/test`))],
      ['delete', () => rm.client.delete(api(`/servers/${s1}`))],
    ];
    for (const [what, attempt] of attempts) {
      const res = await attempt();
      expect(res.status, what).toBe(403);
      expect(res.body.error.code, what).toBe('policy.forbidden');
    }
    expect((await k.root.client.get(api(`/servers/${s1}`))).body.name).not.toBe('taken over');
    // Their server is visible read-only, and the tenant says what they may do.
    const server = await rm.client.get(api(`/servers/${s1}`));
    expect(server.status).toBe(200);
    expect(server.body.can.manage).toBe(false);
    const tenant = await rm.client.get(api());
    expect(tenant.body.can).toMatchObject({ manageServers: false, viewMembers: false, explorer: 'none' });
  });

  it('no member list, no explorer', async () => {
    expect((await rm.client.get(api('/members'))).status).toBe(403);
    expect((await rm.client.get(api(`/members/${rm.id}/assignments`))).status).toBe(403);
    expect((await rm.client.get(api(`/servers/${s1}/pve/version`))).status).toBe(403);
    expect((await rm.client.get(api('/stats'))).body.members).toBeNull();
  });

  it('the tenant audit log shows them only their own actions', async () => {
    // Something of their own (a power action on their guest), and plenty by others.
    const guest = await rm.client.get(api(`/servers/${s1}/vms/100`));
    const act = guest.body.status === 'running' ? 'reboot' : 'start';
    expect((await rm.client.post(api(`/servers/${s1}/vms/100/actions/${act}`))).status).toBe(200);
    const all = await k.root.client.get(api('/audit?limit=500'));
    expect(all.body.events.some((e: { actorUserId: string }) => e.actorUserId !== rm.id)).toBe(true);
    const mine = await rm.client.get(api('/audit?limit=500'));
    expect(mine.status).toBe(200);
    expect(mine.body.events.length).toBeGreaterThan(0);
    expect(mine.body.events.filter((e: { actorUserId: string }) => e.actorUserId !== rm.id)).toEqual([]);
    // Asking for someone else's actions gives nothing either.
    const others = await rm.client.get(api(`/audit?actor=${k.root.id}`));
    expect(others.body.events).toEqual([]);
    const csv = await rm.client.get(api('/audit.csv'));
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain(k.root.id);
    expect(csv.text).toContain(rm.id);
  });

  it('realtime: no event and no notification announcement about guests they may not see', async () => {
    const stream = await openSse(rm.client, api('/events'));
    const at = () => new Date().toISOString();
    const action = (serverId: string, vmid: number): TenantEvent => ({
      type: 'vm.action',
      tenantId: k.tenantId,
      at: at(),
      serverId,
      vmid,
      action: 'reboot',
      upid: `UPID:pve1:00000001:00000001:00000001:qmreboot:${vmid}:root@pam:`,
      actorUserId: k.root.id,
    });
    await k.t.nexus.hub.publishTenant(action(s1, 101));
    await k.t.nexus.hub.publishTenant(action(s2, 100));
    await k.t.nexus.hub.publishTenant({
      type: 'task.finished',
      tenantId: k.tenantId,
      at: at(),
      serverId: s1,
      vmid: null,
      upid: 'UPID:pve1:00000002:00000002:00000002:aptupdate::root@pam:',
      ok: true,
      exitstatus: 'OK',
      guestStatus: null,
    });
    await k.t.nexus.hub.publishTenant(action(s1, 100));
    await stream.waitFor((e) => e.event === 'vm.action');
    await stream.waitFor((e) => e.event === 'notification.created');
    await k.t.nexus.hub.publishTenant({ type: 'tenant.updated', tenantId: k.tenantId, at: at() });
    await stream.waitFor((e) => e.event === 'tenant.updated');
    stream.close();
    const got = stream.events.map((e) => `${e.event}:${e.data.serverId ?? ''}:${e.data.vmid ?? ''}`);
    expect(got.filter((e) => e.startsWith('vm.action') || e.startsWith('task.finished'))).toEqual([
      `vm.action:${s1}:100`,
    ]);
    expect(stream.events.filter((e) => e.event === 'notification.created')).toHaveLength(1);
    // The listing agrees: of the power actions, only the one on their guest (their own
    // membership change is theirs to see too).
    const list = await rm.client.get(api('/notifications'));
    const actions = (list.body.notifications as { kind: string; payload: { serverId: string; vmid: number } }[])
      .filter((n) => n.kind === 'vm.action')
      .map((n) => `${n.payload.serverId}:${n.payload.vmid}`);
    expect(actions).toEqual([`${s1}:100`]);
  });
});

describe(`migrating existing restrictions (${TEST_DIALECT})`, () => {
  it('members with assignment rows become restricted; others do not', async () => {
    const testDb = await createTestDatabase();
    const handle = testDb.open();
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: migrationProvider(handle.dialect),
        migrationTableName: 'nexus_migrations',
        migrationLockTableName: 'nexus_migrations_lock',
        allowUnorderedMigrations: true,
      });
      const before = await migrator.migrateTo('202611281500-leases');
      expect(before.error).toBeUndefined();
      const db = handle.db as never as import('kysely').Kysely<any>;
      const now = Date.now();
      const [tenant, server, restricted, free] = [newId(), newId(), newId(), newId()];
      await db
        .insertInto('tenants')
        .values({ id: tenant, name: 'T', slug: 't', is_active: 1, created_at: now, updated_at: now })
        .execute();
      for (const id of [restricted, free]) {
        await db
          .insertInto('users')
          .values({
            id,
            email: `${id}@example.test`,
            password_hash: 'x',
            global_role: 'user',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await db
          .insertInto('user_tenant_assignments')
          .values({ id: newId(), user_id: id, tenant_id: tenant, role: 'viewer', created_at: now })
          .execute();
      }
      await db
        .insertInto('proxmox_servers')
        .values({
          id: server,
          tenant_id: tenant,
          name: 's',
          host: '127.0.0.1',
          port: 9,
          token_id: 'a@pam!b',
          token_secret_encrypted: 'x',
          tls_mode: 'insecure',
          connection_timeout_ms: 1000,
          is_active: 1,
          connection_status: 'unknown',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto('user_vm_assignments')
        .values({
          id: newId(),
          tenant_id: tenant,
          user_id: restricted,
          server_id: server,
          vmid: 100,
          permissions: 'view',
          created_at: now,
        })
        .execute();

      await migrate(handle);
      const rows = await sql<{
        user_id: string;
        restricted: number;
      }>`select user_id, restricted from user_tenant_assignments`.execute(handle.db);
      const flags = Object.fromEntries(rows.rows.map((r) => [r.user_id, Number(r.restricted)]));
      expect(flags).toEqual({ [restricted]: 1, [free]: 0 });
    } finally {
      await handle.close();
      await testDb.drop();
    }
  });
});
