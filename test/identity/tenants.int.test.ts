// Tenants, settings, members, invitations, guest assignments, profile and user admin (issue 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/lib/ids';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';

let t: TestApp;
let root: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  root = await makeUser(t, { globalRole: 'admin' });
});
afterAll(async () => t?.close());

async function memberOf(tenantId: string, role: 'admin' | 'manager' | 'viewer') {
  const u = await makeUser(t, { login: false });
  await addMember(t, tenantId, u, role);
  await u.client.login(u.email, PASSWORD);
  return u;
}

describe(`tenants (${TEST_DIALECT})`, () => {
  it('validates slugs and logo URLs and refuses duplicates', async () => {
    const bad = await root.client.post('/api/tenants', {
      name: 'X',
      slug: 'Bad Slug!',
      logoUrl: 'javascript:alert(1)',
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['logoUrl', 'slug']);
    for (const slug of ['-edge', 'edge-', 'a--b', 'admin', 'x']) {
      expect((await root.client.post('/api/tenants', { name: 'X', slug })).status, slug).toBe(400);
    }
    const ok = await root.client.post('/api/tenants', {
      name: 'Acme',
      slug: 'acme-co',
      logoUrl: 'https://cdn.example/logo.png',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ slug: 'acme-co', logoUrl: 'https://cdn.example/logo.png', isActive: true });
    const dup = await root.client.post('/api/tenants', { name: 'Acme 2', slug: 'acme-co' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('tenant.slug_taken');
  });

  it('lists only the caller’s tenants (all of them for global admins), with abilities', async () => {
    const a = await makeTenant(t, root);
    const b = await makeTenant(t, root);
    const viewer = await memberOf(a.id, 'viewer');
    const list = await viewer.client.get('/api/tenants');
    expect(list.body.tenants.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect(list.body.tenants[0]).toMatchObject({
      role: 'viewer',
      can: { update: false, manageServers: false, explorer: 'read' },
    });
    const all = await root.client.get('/api/tenants');
    expect(all.body.tenants.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('locks members out of an inactive tenant; only global admins toggle it', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await memberOf(tenant.id, 'admin');
    const denied = await admin.client.patch(`/api/tenants/${tenant.id}`, { isActive: false });
    expect(denied.status).toBe(403);
    expect((await root.client.patch(`/api/tenants/${tenant.id}`, { isActive: false })).status).toBe(200);
    const blocked = await admin.client.get(`/api/tenants/${tenant.id}`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('tenant.inactive');
    expect((await root.client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
    await root.client.patch(`/api/tenants/${tenant.id}`, { isActive: true });
    expect((await admin.client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
  });

  it('merges partial settings and rejects bad ones without changing anything', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await memberOf(tenant.id, 'admin');
    const before = await admin.client.get(`/api/tenants/${tenant.id}/settings`);
    expect(before.body).toMatchObject({ maxServers: 50, viewerConsole: 'view-only', healthCheckIntervalSeconds: 30 });
    const put = await admin.client.put(`/api/tenants/${tenant.id}/settings`, {
      viewerConsole: 'none',
      branding: { primaryColor: '#112233' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      viewerConsole: 'none',
      maxServers: 50,
      branding: { primaryColor: '#112233', logoUrl: null },
    });
    for (const bad of [
      { maxServers: 0 },
      { branding: { primaryColor: 'red' } },
      { unknownField: 1 },
      { viewerConsole: 'full' },
    ]) {
      const res = await admin.client.put(`/api/tenants/${tenant.id}/settings`, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await admin.client.get(`/api/tenants/${tenant.id}/settings`)).body).toEqual(put.body);
    const manager = await memberOf(tenant.id, 'manager');
    expect((await manager.client.put(`/api/tenants/${tenant.id}/settings`, { maxServers: 3 })).status).toBe(403);
  });

  it('answers stats for members', async () => {
    const tenant = await makeTenant(t, root);
    const viewer = await memberOf(tenant.id, 'viewer');
    const stats = await viewer.client.get(`/api/tenants/${tenant.id}/stats`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ servers: { total: 0 }, activeConsoles: 0, members: null });
  });

  it('lets a global admin delete a tenant', async () => {
    const tenant = await makeTenant(t, root);
    expect((await root.client.delete(`/api/tenants/${tenant.id}`)).status).toBe(200);
    expect((await root.client.get(`/api/tenants/${tenant.id}`)).status).toBe(404);
  });
});

describe(`members (${TEST_DIALECT})`, () => {
  // Issue 14: a tenant admin's add is an invitation the existing user accepts (test/identity/invitations).
  it('adds an existing user by email once they accept, changes the role, removes them', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await memberOf(tenant.id, 'admin');
    const other = await makeUser(t);
    const add = await admin.client.post(`/api/tenants/${tenant.id}/members`, {
      email: other.email.toUpperCase(),
      role: 'viewer',
    });
    expect(add.status).toBe(201);
    expect(add.body.member).toBeNull();
    expect(add.body.invitation).toMatchObject({ email: other.email, role: 'viewer' });
    const token = String(add.body.invitation.url).split('/').pop() ?? '';
    expect((await other.client.post(`/api/auth/invitations/${token}/join`)).status).toBe(201);
    expect(
      (await admin.client.post(`/api/tenants/${tenant.id}/members`, { email: other.email, role: 'viewer' })).status,
    ).toBe(409);

    expect((await other.client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
    const role = await admin.client.put(`/api/tenants/${tenant.id}/members/${other.id}`, { role: 'manager' });
    expect(role.body.role).toBe('manager');
    expect((await admin.client.delete(`/api/tenants/${tenant.id}/members/${other.id}`)).status).toBe(200);
    expect((await other.client.get(`/api/tenants/${tenant.id}`)).status).toBe(404);
  });

  it('keeps at least one tenant admin', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await memberOf(tenant.id, 'admin');
    const res = await admin.client.put(`/api/tenants/${tenant.id}/members/${admin.id}`, { role: 'viewer' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('member.last_admin');
  });

  it('invites a new person with a one-time link', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await memberOf(tenant.id, 'admin');
    const email = `invitee-${newId().slice(0, 6)}@example.test`;
    const res = await admin.client.post(`/api/tenants/${tenant.id}/members`, { email, role: 'manager' });
    expect(res.status).toBe(201);
    expect(res.body.member).toBeNull();
    const token = String(res.body.invitation.url).split('/').pop() ?? '';
    const invitee = new ApiClient(t.url);
    const info = await invitee.get(`/api/auth/invitations/${token}`);
    expect(info.body).toMatchObject({ email, tenantName: tenant.name, role: 'manager' });
    const accept = await invitee.post(`/api/auth/invitations/${token}/accept`, {
      password: PASSWORD,
      fullName: 'New Person',
    });
    expect(accept.status).toBe(201);
    const me = await invitee.get('/api/auth/me');
    expect(me.body.tenants).toEqual([expect.objectContaining({ id: tenant.id, role: 'manager' })]);
    const again = await new ApiClient(t.url).post(`/api/auth/invitations/${token}/accept`, { password: PASSWORD });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invitation.invalid');
  });

  it('restricts a member to assigned guests, never a tenant admin', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await memberOf(tenant.id, 'admin');
    const viewer = await memberOf(tenant.id, 'viewer');
    const missingServer = await admin.client.put(`/api/tenants/${tenant.id}/members/${viewer.id}/assignments`, {
      assignments: [{ serverId: newId(), vmid: 100, permissions: ['view'] }],
    });
    expect(missingServer.status).toBe(404);
    const adminRestricted = await admin.client.put(`/api/tenants/${tenant.id}/members/${admin.id}/assignments`, {
      assignments: [],
    });
    expect(adminRestricted.status).toBe(200);
    const bad = await admin.client.put(`/api/tenants/${tenant.id}/members/${viewer.id}/assignments`, {
      assignments: [{ serverId: newId(), vmid: 100, permissions: ['reboot'] }],
    });
    expect(bad.status).toBe(400);
  });
});

describe(`profile and user administration (${TEST_DIALECT})`, () => {
  it('updates the profile; a password change revokes the other sessions', async () => {
    const u = await makeUser(t);
    const laptop = new ApiClient(t.url);
    await laptop.login(u.email, PASSWORD);
    const prof = await u.client.patch('/api/account', { fullName: 'Ada', avatarUrl: 'https://example.test/a.png' });
    expect(prof.body).toMatchObject({ fullName: 'Ada', avatarUrl: 'https://example.test/a.png' });
    expect((await u.client.patch('/api/account', { avatarUrl: 'data:image/png;base64,AA' })).status).toBe(400);
    // The web app's language is kept with the account (issue 24); only the offered languages.
    expect(prof.body.locale).toBeNull();
    expect((await u.client.patch('/api/account', { locale: 'de' })).body.locale).toBe('de');
    expect((await u.client.get('/api/auth/me')).body.user.locale).toBe('de');
    expect((await u.client.patch('/api/account', { locale: 'klingon' })).status).toBe(400);
    expect((await u.client.patch('/api/account', { locale: null })).body.locale).toBeNull();
    const wrong = await u.client.patch('/api/account', {
      currentPassword: 'nope',
      newPassword: 'another long password',
    });
    expect(wrong.status).toBe(400);
    const ok = await u.client.patch('/api/account', {
      currentPassword: PASSWORD,
      newPassword: 'another long password',
    });
    expect(ok.status).toBe(200);
    expect((await u.client.get('/api/auth/me')).status).toBe(200);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(t.url).login(u.email, 'another long password')).status).toBe(200);
  });

  it('lets global admins create, promote, disable and delete users; deletion revokes sessions and tokens at once', async () => {
    const created = await root.client.post('/api/users', {
      email: 'ops@example.test',
      password: PASSWORD,
      fullName: 'Ops',
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    const ops = new ApiClient(t.url);
    await ops.login('ops@example.test', PASSWORD);
    const token = (await ops.post('/api/auth/tokens', { name: 'x' })).body.token;
    const bot = new ApiClient(t.url);
    bot.bearer = token;

    const promoted = await root.client.patch(`/api/users/${created.body.id}`, { globalRole: 'admin' });
    expect(promoted.body.globalRole).toBe('admin');
    expect((await ops.get('/api/users')).status).toBe(200);

    const disabled = await root.client.patch(`/api/users/${created.body.id}`, { disabled: true });
    expect(disabled.body.disabled).toBe(true);
    expect((await ops.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(t.url).login('ops@example.test', PASSWORD)).status).toBe(401);

    expect((await root.client.delete(`/api/users/${created.body.id}`)).status).toBe(200);
    expect((await bot.get('/api/auth/me')).status).toBe(401);
    const rows = await t.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', created.body.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses duplicate emails and removing the last global admin', async () => {
    const dup = await root.client.post('/api/users', { email: root.email, password: PASSWORD });
    expect(dup.status).toBe(409);
    const app = await startTestApp();
    try {
      const only = await makeUser(app, { globalRole: 'admin' });
      const res = await only.client.patch(`/api/users/${only.id}`, { globalRole: 'user' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('user.last_admin');
    } finally {
      await app.close();
    }
  });
});
