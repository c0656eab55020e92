// Issue 14, finding 1: a vmid is only ever its canonical decimal spelling. A member restricted to
// guest 100 once reached guest 102 as `0x66`, `1.02e2`, `102.0`, `+102` or `%20102` (the policy
// saw a server, the route schema then coerced the text to 102). Every other spelling of any vmid
// is refused on every guest route, for every caller, before anything reaches Proxmox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { type Kit, registerAll, startInventoryKit } from '../inventory/inventory-kit';

/** Spellings JavaScript's Number() (or a lenient parser) reads as 102, and a few more. */
const NON_CANONICAL_102 = ['0x66', '1.02e2', '102.0', '+102', '%20102', '102%20', '%2B102', '0102', '0o146'];
/** The same for the assigned guest 100. */
const NON_CANONICAL_100 = ['0x64', '1e2', '100.0', '+100', '%20100', '0100', '100.', '00100'];

let k: Kit;
let serverId: string;
let restrictedViewer: TestUser;
let restrictedManager: TestUser;

async function restricted(role: 'viewer' | 'manager', permissions: string[]): Promise<TestUser> {
  const u = await makeUser(k.t, { login: false });
  await addMember(k.t, k.tenantId, u, role);
  await u.client.login(u.email, PASSWORD);
  const res = await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}/assignments`, {
    assignments: [{ serverId, vmid: 100, permissions }],
  });
  if (res.status !== 200) throw new Error(`restricting failed: ${res.status} ${res.text}`);
  return u;
}

beforeAll(async () => {
  // Guests 100, 101, 102 and a template.
  k = await startInventoryKit({ sim: { servers: 1, vms: 4 } });
  [serverId = ''] = await registerAll(k);
  restrictedViewer = await restricted('viewer', ['view', 'console']);
  restrictedManager = await restricted('manager', ['view', 'console', 'power']);
}, 60_000);
afterAll(async () => k?.close());

const guestRoutes = (vmid: string): { method: string; path: string }[] => {
  const base = `/api/tenants/${k.tenantId}/servers/${serverId}/vms/${vmid}`;
  return [
    { method: 'GET', path: base },
    { method: 'GET', path: `${base}/rrddata` },
    { method: 'POST', path: `${base}/actions/start` },
    { method: 'POST', path: `${base}/console` },
    { method: 'GET', path: `${base}/consoles` },
  ];
};

describe(`non-canonical vmids (${TEST_DIALECT})`, () => {
  it('the canonical spelling still works where the caller may act', async () => {
    expect((await restrictedViewer.client.get(guestRoutes('100')[0]?.path ?? '')).status).toBe(200);
    expect((await restrictedViewer.client.get(guestRoutes('102')[0]?.path ?? '')).status).toBe(404);
  });

  it('never answers 2xx to another spelling of an unassigned or assigned guest, for any caller', async () => {
    const callers: [string, ApiClient][] = [
      ['restricted viewer', restrictedViewer.client],
      ['restricted manager', restrictedManager.client],
      ['manager', k.manager.client],
      ['viewer', k.viewer.client],
      ['global admin', k.root.client],
    ];
    const problems: string[] = [];
    const before = k.sim.servers[0]?.requestLog.length ?? 0;
    for (const spelling of [...NON_CANONICAL_102, ...NON_CANONICAL_100]) {
      for (const route of guestRoutes(spelling)) {
        for (const [who, client] of callers) {
          const res = await client.request(route.method, route.path);
          const code = res.body?.error?.code;
          // Refused as malformed (400) by whoever could reach guests at all, else the policy's denial.
          const refused =
            (res.status === 400 && code === 'http.validation_failed') ||
            ((res.status === 403 || res.status === 404) && typeof code === 'string');
          if (!refused) problems.push(`${who} ${route.method} ${route.path}: ${res.status} ${res.text.slice(0, 100)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Nothing of it reached Proxmox.
    const guestCalls = (k.sim.servers[0]?.requestLog ?? []).slice(before).filter((r) => /\/(qemu|lxc)\//.test(r.path));
    expect(guestCalls.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('refuses other spellings as invalid input, not as a server-level request', async () => {
    const res = await k.manager.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/vms/0x66`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('http.validation_failed');
    // Out of Proxmox's range (100–999999999) is malformed too.
    for (const vmid of ['99', '0', '1000000000', '-100']) {
      const r = await k.manager.client.get(`/api/tenants/${k.tenantId}/servers/${serverId}/vms/${vmid}`);
      expect(r.status, vmid).toBe(400);
    }
  });

  it('takes only canonical vmids in assignment bodies', async () => {
    const u = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, u, 'viewer');
    for (const vmid of ['102', 102.5, 99, 1e9, -102, '0x66']) {
      const res = await k.root.client.put(`/api/tenants/${k.tenantId}/members/${u.id}/assignments`, {
        assignments: [{ serverId, vmid, permissions: ['view'] }],
      });
      expect(res.status, String(vmid)).toBe(400);
    }
  });
});
