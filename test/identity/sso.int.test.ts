// Single sign-on (issue 17) against a real OpenID provider (oidc-provider on loopback): a first
// sign-in creates the account with the role map's memberships, changed groups change them at the
// next sign-in (added and removed), a local account is linked only with a verified e-mail and
// linking allowed, tampered state, a foreign browser or a replayed callback get no session, a
// second factor still applies unless the provider is trusted and says MFA, password sign-in can
// be left to global admins, and signing out goes through the provider's end-session endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { ssoRoundTrip, startTestIdp, type TestIdp } from '../helpers/oidc-idp';

const PUBLIC_URL = 'http://localhost:8080';
let idp: TestIdp;
let t: TestApp;
let root: TestUser;
let acme: { id: string; slug: string };

beforeAll(async () => {
  idp = await startTestIdp({
    redirectUris: [`${PUBLIC_URL}/api/auth/oidc/default/callback`, `${PUBLIC_URL}/api/auth/oidc/partner/callback`],
    postLogoutRedirectUris: [`${PUBLIC_URL}/login?reason=signed-out`],
  });
  const slug = `acme-${Date.now().toString(36)}`;
  t = await startTestApp({
    env: {
      NEXUS_OIDC_ISSUER: idp.issuer,
      NEXUS_OIDC_CLIENT_ID: idp.clientId,
      NEXUS_OIDC_CLIENT_SECRET: idp.clientSecret,
      NEXUS_OIDC_NAME: 'Corp SSO',
      NEXUS_OIDC_ROLE_MAP: `ops=${slug}:manager,leads=${slug}:admin,root=global:admin`,
      NEXUS_OIDC_ALLOW_LINKING: 'true',
    },
  });
  root = await makeUser(t, { globalRole: 'admin' });
  acme = await makeTenant(t, root, { slug });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

/** Signs `who` in through the provider; the client holds the session when there is one. */
async function signInAs(who: string, opts: Parameters<typeof ssoRoundTrip>[1] = {}) {
  idp.nextUser = who;
  const result = await ssoRoundTrip(t.url, opts);
  const client = new ApiClient(t.url);
  if (result.cookies.nexus_session) client.cookie = `nexus_session=${result.cookies.nexus_session}`;
  const me = await client.get('/api/auth/me');
  if (me.status === 200) client.csrf = me.body.csrfToken;
  return { ...result, client, me };
}

describe(`single sign-on (${TEST_DIALECT})`, () => {
  it('lists the provider for the sign-in page', async () => {
    const res = await new ApiClient(t.url).get('/api/auth/providers');
    expect(res.body).toEqual({ providers: [{ id: 'default', name: 'Corp SSO', type: 'oidc' }], passwordLogin: 'on' });
  });

  it('creates the account at the first sign-in with the mapped membership, and changes it with the groups', async () => {
    idp.users.set('alice', { email: 'alice@corp.test', name: 'Alice Ops', groups: ['ops'] });
    const first = await signInAs('alice', { returnTo: `/tenants/${acme.id}` });
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/tenants/${acme.id}`);
    expect(first.me.status).toBe(200);
    expect(first.me.body.user).toMatchObject({ email: 'alice@corp.test', fullName: 'Alice Ops', globalRole: 'user' });
    expect(first.me.body.tenants).toEqual([expect.objectContaining({ id: acme.id, role: 'manager' })]);
    // Promoted by a group, then out of every mapped group: removed.
    idp.users.set('alice', { email: 'alice@corp.test', groups: ['ops', 'leads'] });
    expect((await signInAs('alice')).me.body.tenants[0].role).toBe('admin');
    idp.users.set('alice', { email: 'alice@corp.test', groups: [] });
    const gone = await signInAs('alice');
    expect(gone.me.status).toBe(200);
    expect(gone.me.body.tenants).toEqual([]);
    // The SSO account has no password.
    expect((await new ApiClient(t.url).login('alice@corp.test', PASSWORD)).status).toBe(401);
    const audit = await root.client.get(`/api/tenants/${acme.id}/audit?action=member.sso_synced`);
    expect(audit.body.events.map((e: { details: { to: string | null } }) => e.details.to)).toEqual(
      expect.arrayContaining(['manager', 'admin', null]),
    );
  });

  it('makes a global admin from the global group, and takes it back', async () => {
    idp.users.set('dave', { email: 'dave@corp.test', groups: ['root'] });
    expect((await signInAs('dave')).me.body.user.globalRole).toBe('admin');
    idp.users.set('dave', { email: 'dave@corp.test', groups: [] });
    expect((await signInAs('dave')).me.body.user.globalRole).toBe('user');
  });

  it('links an existing local account only when the provider says the e-mail is verified', async () => {
    const local = await makeUser(t, { email: `carol-${Date.now()}@corp.test` });
    idp.users.set('carol-unverified', { email: local.email, emailVerified: false });
    const refused = await signInAs('carol-unverified');
    expect(refused.location).toBe('/login?error=sso.link_refused');
    expect(refused.cookies.nexus_session).toBeUndefined();
    idp.users.set('carol', { email: local.email, emailVerified: true });
    const linked = await signInAs('carol');
    expect(linked.me.body.user.id).toBe(local.id);
    // The local password still works: linking adds a way in.
    expect((await new ApiClient(t.url).login(local.email, PASSWORD)).status).toBe(200);
  });

  it('gives no session for a tampered state, a code meant for another browser, or a replayed callback', async () => {
    idp.users.set('mallory', { email: 'mallory@corp.test' });
    const tampered = await signInAs('mallory', {
      tamper: (u) => u.searchParams.set('state', `${u.searchParams.get('state')}x`),
    });
    expect(tampered.location).toBe('/login?error=sso.state_invalid');
    expect(tampered.cookies.nexus_session).toBeUndefined();
    const otherBrowser = await signInAs('mallory', { browserCookie: () => 'someone-elses-cookie' });
    expect(otherBrowser.location).toBe('/login?error=sso.state_invalid');
    expect(otherBrowser.cookies.nexus_session).toBeUndefined();
    // The PKCE verifier or the nonce Nexus kept, changed while the browser was away: the code
    // exchange (PKCE) or the ID token check (nonce) fails.
    for (const column of ['code_verifier', 'nonce'] as const) {
      const res = await signInAs('mallory', {
        beforeCallback: async () => {
          await t.database.db
            .updateTable('sso_logins')
            .set({ [column]: 'tampered-value-0123456789-abcdefghijklmnop' })
            .execute();
        },
      });
      expect(res.location, column).toBe('/login?error=sso.failed');
      expect(res.cookies.nexus_session).toBeUndefined();
    }
    // A code swapped for one the provider never issued fails at the provider.
    const badCode = await signInAs('mallory', { tamper: (u) => u.searchParams.set('code', 'forged') });
    expect(badCode.location).toBe('/login?error=sso.failed');
    // Every failure is audited, none created a session.
    const audit = await root.client.get('/api/audit?action=auth.sso_login&result=failure');
    expect(audit.body.events.length).toBeGreaterThanOrEqual(3);
  });

  it('asks for the Nexus second factor after the provider, unless the provider is trusted and says MFA', async () => {
    idp.users.set('erin', { email: 'erin@corp.test', mfa: true });
    const erin = await signInAs('erin');
    const start = await erin.client.post('/api/account/mfa/totp');
    expect(start.status).toBe(201);
    const { Secret, TOTP } = await import('otpauth');
    const totp = new TOTP({ secret: Secret.fromBase32(start.body.secret), period: 30, digits: 6 });
    expect((await erin.client.post('/api/account/mfa/totp/confirm', { code: totp.generate() })).status).toBe(200);
    // Not trusted (the default): the provider's MFA does not count; Nexus asks for its own.
    const again = await signInAs('erin', { returnTo: '/account' });
    expect(again.location).toBe(`/login?step=mfa&next=${encodeURIComponent('/account')}`);
    expect(again.cookies.nexus_session).toBeUndefined();
    expect(again.cookies.nexus_mfa).toBeDefined();
    // Trusted: the token's amr (pwd + otp) counts.
    t.config.oidc = t.config.oidc && { ...t.config.oidc, trustMfa: true };
    try {
      const trusted = await signInAs('erin');
      expect(trusted.me.status).toBe(200);
      idp.users.set('erin', { email: 'erin@corp.test', mfa: false });
      const weak = await signInAs('erin');
      expect(weak.cookies.nexus_session).toBeUndefined();
    } finally {
      t.config.oidc = t.config.oidc && { ...t.config.oidc, trustMfa: false };
    }
  });

  it('leaves the password form to global admins when password sign-in is "admins"', async () => {
    const user = await makeUser(t, { login: false });
    t.config.passwordLogin = 'admins';
    try {
      expect((await new ApiClient(t.url).get('/api/auth/providers')).body.passwordLogin).toBe('admins');
      const refused = await new ApiClient(t.url).login(user.email, PASSWORD);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('auth.password_login_disabled');
      // A wrong password still says only that (no hint the account is SSO-only).
      expect((await new ApiClient(t.url).login(user.email, 'wrong password!')).status).toBe(401);
      const admin = await makeUser(t, { globalRole: 'admin', login: false });
      expect((await new ApiClient(t.url).login(admin.email, PASSWORD)).status).toBe(200);
    } finally {
      t.config.passwordLogin = 'on';
    }
  });

  it('signs out at the provider too', async () => {
    idp.users.set('frank', { email: 'frank@corp.test' });
    const frank = await signInAs('frank');
    const out = await frank.client.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(out.body.logoutUrl).toMatch(new RegExp(`^${idp.issuer}/session/end\\?`));
    expect(new URL(out.body.logoutUrl).searchParams.get('post_logout_redirect_uri')).toBe(
      `${PUBLIC_URL}/login?reason=signed-out`,
    );
    // A password session has no such URL.
    const plain = await root.client.post('/api/auth/logout');
    expect(plain.body).toEqual({ ok: true });
  });

  it('lets global admins add, change and remove providers, their client secrets never shown again', async () => {
    const admin = '/api/admin/identity-providers';
    // The sign-out test before ended root's session.
    expect((await root.client.login(root.email, PASSWORD)).status).toBe(200);
    const manager = await makeUser(t);
    expect((await manager.client.get(admin)).status).toBe(403);
    const body = {
      id: 'partner',
      name: 'Partner SSO',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      roleMap: `ops=${acme.slug}:viewer`,
    };
    const created = await root.client.post(admin, body);
    expect(created.status, created.text).toBe(201);
    expect((await root.client.post(admin, { ...body, id: 'default' })).status).toBe(409);
    expect((await root.client.post(admin, { ...body, roleMap: 'ops=x:owner' })).status).toBe(400);
    const list = await root.client.get(admin);
    expect(list.body.providers.map((p: { id: string }) => p.id)).toEqual(['default', 'partner']);
    expect(list.body.providers[1]).toMatchObject({ hasClientSecret: true, fromEnvironment: false });
    expect(list.text).not.toContain(idp.clientSecret);
    const buttons = await new ApiClient(t.url).get('/api/auth/providers');
    expect(buttons.body.providers.map((p: { name: string }) => p.name)).toEqual(['Corp SSO', 'Partner SSO']);

    idp.users.set('pat', { email: 'pat@partner.test', groups: ['ops'] });
    const pat = await signInAs('pat', { provider: 'partner' });
    expect(pat.me.body.tenants).toEqual([expect.objectContaining({ id: acme.id, role: 'viewer' })]);
    // Renamed without a secret in the request: the stored secret stays and still works.
    const renamed = await root.client.put(`${admin}/partner`, {
      ...body,
      id: undefined,
      clientSecret: undefined,
      name: 'Partner',
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await signInAs('pat', { provider: 'partner' })).me.status).toBe(200);
    const audit = await root.client.get('/api/audit?action=idp.');
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['idp.created', 'idp.updated']),
    );
    expect(audit.text).not.toContain(idp.clientSecret);
    expect((await root.client.delete(`${admin}/partner`)).status).toBe(200);
    const gone = await signInAs('pat', { provider: 'partner' });
    expect(gone.location).toBe('/login?error=sso.unknown_provider');
  });
});
