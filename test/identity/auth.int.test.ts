// Sign-in, sessions, CSRF, API tokens, bootstrap and sign-up (issue 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { FakeClock } from '../helpers/clock';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD } from '../helpers/factories';

let t: TestApp;
const clock = new FakeClock();

beforeAll(async () => {
  t = await startTestApp({ env: { NEXUS_TRUST_PROXY: 'true' }, deps: { clock } });
});
afterAll(async () => t?.close());

describe(`sessions (${TEST_DIALECT})`, () => {
  it('signs in with an HttpOnly SameSite=Lax cookie and a new session id each time', async () => {
    const u = await makeUser(t, { login: false });
    const a = new ApiClient(t.url);
    const first = await a.login(u.email, PASSWORD);
    expect(first.status).toBe(200);
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith('nexus_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const firstCookie = a.cookie;
    await a.login(u.email, PASSWORD);
    expect(a.cookie).not.toBe(firstCookie);
    expect(first.body.user.email).toBe(u.email);
    expect(first.body.user).not.toHaveProperty('passwordHash');
  });

  it('answers /me with tenants, role and the CSRF token', async () => {
    const admin = await makeUser(t, { globalRole: 'admin' });
    const tenant = await makeTenant(t, admin);
    const u = await makeUser(t, { login: false });
    await addMember(t, tenant.id, u, 'manager');
    await u.client.login(u.email, PASSWORD);
    const me = await u.client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.tenants).toEqual([expect.objectContaining({ id: tenant.id, role: 'manager', isActive: true })]);
    expect(me.body.csrfToken).toBe(u.client.csrf);
    expect(me.body.can.manageUsers).toBe(false);
  });

  it('rejects wrong passwords and unknown emails alike', async () => {
    const u = await makeUser(t, { login: false });
    const c = new ApiClient(t.url);
    c.ip = '10.9.0.1';
    const wrong = await c.login(u.email, 'wrong password!!');
    const unknown = await c.login('nobody@example.test', 'wrong password!!');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
  });

  it('logout revokes the session', async () => {
    const u = await makeUser(t);
    const stolen = u.client.cookie;
    expect((await u.client.post('/api/auth/logout')).status).toBe(200);
    const replay = new ApiClient(t.url);
    replay.cookie = stolen;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  it('expires sessions after the idle timeout and the absolute lifetime', async () => {
    const u = await makeUser(t);
    clock.advance(59 * 60_000);
    expect((await u.client.get('/api/auth/me')).status).toBe(200);
    clock.advance(61 * 60_000);
    expect((await u.client.get('/api/auth/me')).status).toBe(401);

    // Active every 55 minutes: never idle, but the 12 h absolute lifetime still ends it.
    const v = await makeUser(t);
    const statuses: number[] = [];
    for (let minutes = 55; minutes <= 14 * 55; minutes += 55) {
      clock.advance(55 * 60_000);
      statuses.push((await v.client.get('/api/auth/me')).status);
    }
    expect(statuses.slice(0, 13)).toEqual(Array(13).fill(200)); // up to 715 minutes
    expect(statuses[13]).toBe(401); // 770 minutes > 12 h
  });

  it('uses the strictest idle timeout of the tenants a user belongs to', async () => {
    const admin = await makeUser(t, { globalRole: 'admin' });
    const tenant = await makeTenant(t, admin);
    expect((await admin.client.put(`/api/tenants/${tenant.id}/settings`, { sessionIdleMinutes: 10 })).status).toBe(200);
    const u = await makeUser(t, { login: false });
    await addMember(t, tenant.id, u, 'viewer');
    await u.client.login(u.email, PASSWORD);
    clock.advance(11 * 60_000);
    expect((await u.client.get('/api/auth/me')).status).toBe(401);
  });
});

describe(`CSRF and Origin (${TEST_DIALECT})`, () => {
  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const u = await makeUser(t);
    const csrf = u.client.csrf;
    u.client.csrf = null;
    const res = await u.client.post('/api/auth/tokens', { name: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('auth.csrf_failed');
    u.client.csrf = 'wrong';
    expect((await u.client.post('/api/auth/tokens', { name: 'x' })).status).toBe(403);
    u.client.csrf = csrf;
    expect((await u.client.post('/api/auth/tokens', { name: 'x' })).status).toBe(201);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const u = await makeUser(t);
    u.client.origin = 'https://evil.example';
    const res = await u.client.post('/api/auth/tokens', { name: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('auth.origin_refused');
    u.client.origin = t.origin;
    expect((await u.client.post('/api/auth/tokens', { name: 'x' })).status).toBe(201);
  });
});

describe(`personal API tokens (${TEST_DIALECT})`, () => {
  it('are shown once, work as Bearer without CSRF, record last use and can be revoked', async () => {
    const u = await makeUser(t);
    const created = await u.client.post('/api/auth/tokens', { name: 'ci' });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^nxs_/);
    const list = await u.client.get('/api/auth/tokens');
    expect(list.text).not.toContain(token);
    expect(list.body.tokens[0]).toMatchObject({ name: 'ci', lastUsedAt: null });

    const bot = new ApiClient(t.url);
    bot.bearer = token;
    expect((await bot.get('/api/auth/me')).status).toBe(200);
    // Issue 14: a token cannot mint more tokens (test/identity/token-scopes).
    expect((await bot.post('/api/auth/tokens', { name: 'from bot' })).status).toBe(403);
    const after = await u.client.get('/api/auth/tokens');
    expect(after.body.tokens.find((x: { id: string }) => x.id === created.body.id).lastUsedAt).not.toBeNull();

    expect((await u.client.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(200);
    expect((await bot.get('/api/auth/me')).status).toBe(401);
  });

  it('stop working when they expire', async () => {
    const u = await makeUser(t);
    const expiresAt = new Date(clock.now() + 60_000).toISOString();
    const created = await u.client.post('/api/auth/tokens', { name: 'short', expiresAt });
    const bot = new ApiClient(t.url);
    bot.bearer = created.body.token;
    expect((await bot.get('/api/auth/me')).status).toBe(200);
    clock.advance(61_000);
    expect((await bot.get('/api/auth/me')).status).toBe(401);
    const past = await u.client.post('/api/auth/tokens', {
      name: 'past',
      expiresAt: new Date(clock.now() - 1).toISOString(),
    });
    expect(past.status).toBe(400);
  });

  it('cannot be revoked by another user', async () => {
    const a = await makeUser(t);
    const b = await makeUser(t);
    const created = await a.client.post('/api/auth/tokens', { name: 'mine' });
    expect((await b.client.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(404);
  });
});

describe(`brute-force protection (${TEST_DIALECT})`, () => {
  it('locks an account+IP pair after 5 failures, not the account from elsewhere', async () => {
    const u = await makeUser(t, { login: false });
    const attacker = new ApiClient(t.url);
    attacker.ip = '203.0.113.5';
    for (let i = 0; i < 5; i++) expect((await attacker.login(u.email, 'bad password 123')).status).toBe(401);
    const locked = await attacker.login(u.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The message says how long, as the lockout is (5 minutes from the first failure), not "a minute".
    expect(locked.body.error.message).toMatch(/Try again in 5 minutes\./);

    const owner = new ApiClient(t.url);
    owner.ip = '198.51.100.7';
    expect((await owner.login(u.email, PASSWORD)).status).toBe(200);

    clock.advance(5 * 60_000 + 1000);
    expect((await attacker.login(u.email, PASSWORD)).status).toBe(200);
  });

  it('answers at least 95 of 100 bad logins from one IP with 429; another IP still signs in', async () => {
    const u = await makeUser(t, { login: false });
    const attacker = new ApiClient(t.url);
    attacker.ip = '203.0.113.99';
    let limited = 0;
    for (let i = 0; i < 100; i++) {
      const res = await attacker.login(u.email, `guess-${i}-xxxxxxxx`);
      if (res.status === 429) limited++;
    }
    expect(limited).toBeGreaterThanOrEqual(95);
    const owner = new ApiClient(t.url);
    owner.ip = '198.51.100.200';
    expect((await owner.login(u.email, PASSWORD)).status).toBe(200);
    const audit = await t.nexus.services.audit.list({ actor: u.email, limit: 500 });
    expect(audit.filter((r) => r.action === 'auth.login' && r.result === 'failure').length).toBe(5);
    expect(audit.filter((r) => r.action === 'auth.login_rate_limited').length).toBe(95);
  });
});

describe(`bootstrap and sign-up (${TEST_DIALECT})`, () => {
  it('refuses sign-up while it is closed', async () => {
    const res = await new ApiClient(t.url).post('/api/auth/signup', { email: 'new@example.test', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('auth.signup_closed');
  });

  it('creates the first admin from the environment, once', async () => {
    const app = await startTestApp({ env: { NEXUS_ADMIN_EMAIL: 'Root@Example.test', NEXUS_ADMIN_PASSWORD: PASSWORD } });
    try {
      expect(await app.nexus.services.auth.bootstrap()).toEqual({ setupUrl: null });
      const c = new ApiClient(app.url);
      const res = await c.login('root@example.test', PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body.user.globalRole).toBe('admin');
      expect(await app.nexus.services.auth.bootstrap()).toEqual({ setupUrl: null });
    } finally {
      await app.close();
    }
  });

  it('without admin variables, offers a one-time setup link (never "first signup is admin")', async () => {
    const app = await startTestApp({ env: { NEXUS_SIGNUP: 'open' } });
    try {
      const { setupUrl } = await app.nexus.services.auth.bootstrap();
      expect(setupUrl).toMatch(/\/setup\/[\w-]{40,}$/);
      const token = setupUrl?.split('/').pop() ?? '';
      const c = new ApiClient(app.url);
      const signup = await c.post('/api/auth/signup', { email: 'first@example.test', password: PASSWORD });
      expect(signup.status).toBe(201);
      expect(signup.body.user.globalRole).toBe('user');

      const setup = await new ApiClient(app.url).post('/api/auth/setup', {
        token,
        email: 'admin@example.test',
        password: PASSWORD,
      });
      // A user already exists now, so the link no longer creates an admin.
      expect(setup.status).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('the setup link creates the first admin and works once', async () => {
    const app = await startTestApp();
    try {
      const { setupUrl } = await app.nexus.services.auth.bootstrap();
      const token = setupUrl?.split('/').pop() ?? '';
      const c = new ApiClient(app.url);
      const res = await c.post('/api/auth/setup', { token, email: 'admin@example.test', password: PASSWORD });
      expect(res.status).toBe(201);
      expect(res.body.user.globalRole).toBe('admin');
      expect((await c.get('/api/auth/me')).status).toBe(200);
      const again = await new ApiClient(app.url).post('/api/auth/setup', {
        token,
        email: 'b@example.test',
        password: PASSWORD,
      });
      expect(again.status).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('sets a Secure __Host- cookie when served over HTTPS', async () => {
    const app = await startTestApp({ env: { NEXUS_PUBLIC_URL: 'https://nexus.example.test' } });
    try {
      const u = await makeUser(app, { login: false });
      const res = await new ApiClient(app.url).login(u.email, PASSWORD);
      const cookie = res.headers.getSetCookie()[0] ?? '';
      expect(cookie).toMatch(/^__Host-nexus_session=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
    } finally {
      await app.close();
    }
  });
});
