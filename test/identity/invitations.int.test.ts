// Adding people by e-mail (issue 14, finding 10): a tenant admin always gets an invitation link,
// the same answer whether or not the e-mail has an account (no name, no "exists"), and an
// existing user joins only by accepting it while signed in as that e-mail. Global admins, who
// manage every user anyway, still add existing users directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/lib/ids';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';

let t: TestApp;
let root: TestUser;
let tenant: { id: string; name: string };
let admin: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  root = await makeUser(t, { globalRole: 'admin' });
  tenant = await makeTenant(t, root);
  admin = await makeUser(t, { login: false });
  await addMember(t, tenant.id, admin, 'admin');
  await admin.client.login(admin.email, PASSWORD);
});
afterAll(async () => t?.close());

const membersUrl = () => `/api/tenants/${tenant.id}/members`;
const tokenOf = (url: string) => url.split('/').pop() ?? '';

/** An existing account with a full name the inviting admin must never learn. */
async function existingUser(): Promise<TestUser> {
  const u = await makeUser(t);
  await t.database.db.updateTable('users').set({ full_name: 'Very Private Name' }).where('id', '=', u.id).execute();
  return u;
}

/** The answer with what necessarily differs per call (the link's secret, the expiry instant) masked. */
function shape(res: { status: number; body: unknown }) {
  const text = JSON.stringify(res.body)
    .replace(/\/invitations\/[\w-]+/g, '/invitations/<token>')
    .replace(/"expiresAt":"[^"]+"/g, '"expiresAt":"<time>"')
    .replace(/"email":"[^"]+"/g, '"email":"<email>"');
  return { status: res.status, body: JSON.parse(text) as unknown };
}

describe(`adding members by e-mail (${TEST_DIALECT})`, () => {
  it("answers a tenant admin the same for an existing and an unknown e-mail, and never with the user's name", async () => {
    const known = await existingUser();
    const unknownEmail = `nobody-${newId().slice(0, 8)}@example.test`;
    const forKnown = await admin.client.post(membersUrl(), { email: known.email, role: 'viewer' });
    const forUnknown = await admin.client.post(membersUrl(), { email: unknownEmail, role: 'viewer' });
    expect(forKnown.status).toBe(201);
    expect(shape(forKnown)).toEqual(shape(forUnknown));
    expect(forKnown.body).toEqual({
      member: null,
      invitation: {
        url: expect.stringMatching(/\/invitations\/[\w-]{40,}$/),
        expiresAt: expect.any(String),
        email: known.email,
        role: 'viewer',
      },
    });
    expect(forKnown.text).not.toContain('Very Private Name');
    expect(forKnown.text).not.toContain(known.id);
    // The invitation page, which the inviting admin can open too, tells nothing more.
    const infoKnown = await new ApiClient(t.url).get(`/api/auth/invitations/${tokenOf(forKnown.body.invitation.url)}`);
    const infoUnknown = await new ApiClient(t.url).get(
      `/api/auth/invitations/${tokenOf(forUnknown.body.invitation.url)}`,
    );
    expect(shape(infoKnown)).toEqual(shape(infoUnknown));
    // Nor does the tenant's audit log, which tenant admins read.
    const audit = await admin.client.get(`/api/tenants/${tenant.id}/audit?action=member.invited`);
    const rows = audit.body.events.map((e: { details: unknown; targetId: unknown }) => ({
      d: e.details,
      id: e.targetId,
    }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { d: { email: known.email, role: 'viewer' }, id: null },
        { d: { email: unknownEmail, role: 'viewer' }, id: null },
      ]),
    );
  });

  it('an existing user is not a member until they accept while signed in', async () => {
    const known = await existingUser();
    const res = await admin.client.post(membersUrl(), { email: known.email, role: 'manager' });
    const token = tokenOf(res.body.invitation.url);
    const list = await admin.client.get(membersUrl());
    expect(list.body.members.map((m: { userId: string }) => m.userId)).not.toContain(known.id);
    expect((await known.client.get(`/api/tenants/${tenant.id}`)).status).toBe(404);

    // Not signed in: joining needs the session of that account.
    expect((await new ApiClient(t.url).post(`/api/auth/invitations/${token}/join`)).status).toBe(401);
    const joined = await known.client.post(`/api/auth/invitations/${token}/join`);
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({ tenantId: tenant.id, tenantName: tenant.name, role: 'manager' });
    expect((await known.client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
    const me = await known.client.get('/api/auth/me');
    expect(me.body.tenants).toEqual([expect.objectContaining({ id: tenant.id, role: 'manager' })]);
    // Once: the link is spent.
    const again = await known.client.post(`/api/auth/invitations/${token}/join`);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invitation.invalid');
  });

  it('refuses a signed-in user with another e-mail, and leaves the link for its owner', async () => {
    const invited = await existingUser();
    const someoneElse = await makeUser(t);
    const res = await admin.client.post(membersUrl(), { email: invited.email, role: 'viewer' });
    const token = tokenOf(res.body.invitation.url);
    const wrong = await someoneElse.client.post(`/api/auth/invitations/${token}/join`);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invitation.wrong_account');
    expect((await someoneElse.client.get(`/api/tenants/${tenant.id}`)).status).toBe(404);
    // The inviting admin cannot accept it for them either.
    expect((await admin.client.post(`/api/auth/invitations/${token}/join`)).status).toBe(403);
    expect((await invited.client.post(`/api/auth/invitations/${token}/join`)).status).toBe(201);
  });

  it('an invitation for an existing account cannot be used to create a second one', async () => {
    const known = await existingUser();
    const res = await admin.client.post(membersUrl(), { email: known.email, role: 'viewer' });
    const token = tokenOf(res.body.invitation.url);
    const accept = await new ApiClient(t.url).post(`/api/auth/invitations/${token}/accept`, { password: PASSWORD });
    expect(accept.status).toBe(409);
    expect(accept.body.error.code).toBe('user.email_taken');
    expect((await known.client.post(`/api/auth/invitations/${token}/join`)).status).toBe(201);
  });

  it('a new person still sets a password and joins through the link', async () => {
    const email = `fresh-${newId().slice(0, 8)}@example.test`;
    const res = await admin.client.post(membersUrl(), { email, role: 'viewer' });
    const invitee = new ApiClient(t.url);
    const accept = await invitee.post(`/api/auth/invitations/${tokenOf(res.body.invitation.url)}/accept`, {
      password: PASSWORD,
      fullName: 'Fresh Person',
    });
    expect(accept.status).toBe(201);
    expect((await invitee.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
  });

  it('refuses inviting someone who is already a member (the admin sees the member list anyway)', async () => {
    const res = await admin.client.post(membersUrl(), { email: admin.email, role: 'viewer' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('member.exists');
  });

  it('global admins still add an existing user directly', async () => {
    const known = await existingUser();
    const res = await root.client.post(membersUrl(), { email: known.email, role: 'viewer' });
    expect(res.status).toBe(201);
    expect(res.body.member).toMatchObject({ userId: known.id, role: 'viewer' });
    expect(res.body.invitation).toBeNull();
    expect((await known.client.get(`/api/tenants/${tenant.id}`)).status).toBe(200);
    const unknown = await root.client.post(membersUrl(), {
      email: `n-${newId().slice(0, 6)}@example.test`,
      role: 'viewer',
    });
    expect(unknown.body.member).toBeNull();
    expect(unknown.body.invitation.url).toMatch(/\/invitations\//);
  });
});

describe(`pending invitations (${TEST_DIALECT})`, () => {
  const invitationsUrl = () => `/api/tenants/${tenant.id}/invitations`;

  it('lists pending invitations with expiry for tenant admins, and revoking one kills its link (issue 16)', async () => {
    const email = `pending-${newId().slice(0, 8)}@example.test`;
    const sent = await admin.client.post(membersUrl(), { email, role: 'manager' });
    expect(sent.status).toBe(201);
    const token = tokenOf(sent.body.invitation.url);
    const list = await admin.client.get(invitationsUrl());
    expect(list.status).toBe(200);
    const mine = list.body.invitations.find((i: { email: string }) => i.email === email);
    expect(mine).toMatchObject({ email, role: 'manager', invitedBy: admin.email });
    expect(Date.parse(mine.expiresAt) - Date.parse(mine.createdAt)).toBe(7 * 24 * 3600_000);
    // Nothing of the link is listed.
    expect(JSON.stringify(list.body)).not.toContain(token);

    // Managers and viewers of the tenant, and other tenants' admins, neither see nor revoke.
    const manager = await makeUser(t, { login: false });
    await addMember(t, tenant.id, manager, 'manager');
    await manager.client.login(manager.email, PASSWORD);
    expect((await manager.client.get(invitationsUrl())).status).toBe(403);
    expect((await manager.client.delete(`${invitationsUrl()}/${mine.id}`)).status).toBe(403);
    const other = await makeTenant(t, root);
    const otherAdmin = await makeUser(t, { login: false });
    await addMember(t, other.id, otherAdmin, 'admin');
    await otherAdmin.client.login(otherAdmin.email, PASSWORD);
    expect((await otherAdmin.client.delete(`/api/tenants/${other.id}/invitations/${mine.id}`)).status).toBe(404);

    const revoked = await admin.client.delete(`${invitationsUrl()}/${mine.id}`);
    expect(revoked.status).toBe(200);
    expect((await admin.client.delete(`${invitationsUrl()}/${mine.id}`)).status).toBe(404);
    const after = await admin.client.get(invitationsUrl());
    expect(after.body.invitations.some((i: { id: string }) => i.id === mine.id)).toBe(false);
    const stranger = new ApiClient(t.url);
    expect((await stranger.get(`/api/auth/invitations/${token}`)).status).toBe(400);
    const accept = await stranger.post(`/api/auth/invitations/${token}/accept`, { password: PASSWORD });
    expect(accept.body.error.code).toBe('invitation.invalid');
    const audit = await t.nexus.services.audit.list({ tenantId: tenant.id, limit: 50 });
    expect(audit.find((r) => r.action === 'invitation.revoked')?.target_id).toBe(mine.id);
    expect((await admin.client.delete(`${invitationsUrl()}/not-a-uuid`)).status).toBe(400);
  });
});
