// Quotas are the operator's (issue 14, finding 10): only global admins change `maxServers` and
// `maxConcurrentConsoles`; tenant admins see them, may echo them unchanged, and are refused
// (403 `settings.quota_forbidden`, nothing changed) when a PUT would change one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';

let t: TestApp;
let root: TestUser;
let tenantId: string;
let admin: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  root = await makeUser(t, { globalRole: 'admin' });
  tenantId = (await makeTenant(t, root)).id;
  admin = await makeUser(t, { login: false });
  await addMember(t, tenantId, admin, 'admin');
  await admin.client.login(admin.email, PASSWORD);
});
afterAll(async () => t?.close());

const settingsUrl = () => `/api/tenants/${tenantId}/settings`;

describe(`quotas in tenant settings (${TEST_DIALECT})`, () => {
  it('tenant admins see the quotas but cannot raise them; nothing else in that PUT changes', async () => {
    const before = await admin.client.get(settingsUrl());
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ maxServers: 50, maxConcurrentConsoles: 50, viewerConsole: 'view-only' });

    for (const patch of [
      { maxServers: 1000 },
      { maxConcurrentConsoles: 10_000 },
      { maxServers: 10, viewerConsole: 'none' },
      { viewerConsole: 'none', maxConcurrentConsoles: 51 },
    ]) {
      const res = await admin.client.put(settingsUrl(), patch);
      expect(res.status, JSON.stringify(patch)).toBe(403);
      expect(res.body.error.code).toBe('settings.quota_forbidden');
      expect(res.body.error.details.fields.length).toBeGreaterThan(0);
    }
    expect((await admin.client.get(settingsUrl())).body).toEqual(before.body);

    const denials = await t.nexus.services.audit.list({ tenantId, action: 'tenant.settings_updated', limit: 50 });
    expect(denials.filter((r) => r.result === 'denied')).toHaveLength(4);
  });

  it('a tenant admin may echo the same quota values with other changes', async () => {
    const current = (await admin.client.get(settingsUrl())).body;
    const res = await admin.client.put(settingsUrl(), { ...current, viewerConsole: 'none' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ viewerConsole: 'none', maxServers: current.maxServers });
    expect((await admin.client.put(settingsUrl(), { viewerConsole: 'view-only' })).status).toBe(200);
  });

  it('global admins set the quotas, and tenant admins then see them', async () => {
    const res = await root.client.put(settingsUrl(), { maxServers: 7, maxConcurrentConsoles: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ maxServers: 7, maxConcurrentConsoles: 3 });
    expect((await admin.client.get(settingsUrl())).body).toMatchObject({ maxServers: 7, maxConcurrentConsoles: 3 });
    expect((await admin.client.put(settingsUrl(), { maxServers: 8 })).status).toBe(403);
    expect((await admin.client.put(settingsUrl(), { maxServers: 7 })).status).toBe(200);
  });

  it('a global admin who is also the tenant admin keeps the right', async () => {
    await addMember(t, tenantId, root, 'admin');
    expect((await root.client.put(settingsUrl(), { maxServers: 9 })).status).toBe(200);
  });
});
