// Passkeys (issue 17) with a software authenticator: registered from the account (named, listed,
// removable), as the sign-in's second step after the password, and alone (passwordless, user
// verified); a challenge works once, a counter that goes back (a cloned key) is refused, another
// site's origin gets no options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { SoftAuthenticator } from '../helpers/soft-authenticator';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const cookieOf = (res: { headers: Headers }, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0] ?? '';

/** A browser of ours: its requests carry the allowed Origin. */
function browser(): ApiClient {
  const c = new ApiClient(t.url);
  c.origin = t.origin;
  return c;
}

async function registerPasskey(user: TestUser, key: SoftAuthenticator, name = 'Laptop') {
  user.client.origin = t.origin;
  const options = await user.client.post('/api/account/passkeys/options');
  expect(options.status, options.text).toBe(200);
  const res = await user.client.post(
    '/api/account/passkeys',
    { name, response: key.register(options.body) },
    { cookie: cookieOf(options, 'nexus_webauthn') },
  );
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; name: string };
}

async function passwordless(key: SoftAuthenticator, opts: { counter?: number } = {}) {
  const client = browser();
  const options = await client.post('/api/auth/passkey/options');
  expect(options.status, options.text).toBe(200);
  const ceremony = cookieOf(options, 'nexus_webauthn');
  const res = await client.post(
    '/api/auth/passkey',
    { response: key.authenticate(options.body, opts) },
    { cookie: ceremony },
  );
  return { client, res, ceremony, options: options.body };
}

describe(`passkeys (${TEST_DIALECT})`, () => {
  it('registers a passkey and signs in with it alone; the audit says so', async () => {
    const user = await makeUser(t);
    const key = new SoftAuthenticator(t.origin);
    const added = await registerPasskey(user, key);
    expect(added.name).toBe('Laptop');
    expect((await user.client.get('/api/account/passkeys')).body.passkeys).toEqual([
      expect.objectContaining({ id: added.id, name: 'Laptop', lastUsedAt: null }),
    ]);
    expect((await user.client.get('/api/account/mfa')).body.passkeys).toBe(1);
    const { client, res } = await passwordless(key);
    expect(res.status, res.text).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    const me = await client.get('/api/auth/me');
    expect(me.body.security.secondFactor).toBe(true);
    const root = await makeUser(t, { globalRole: 'admin' });
    const audit = await root.client.get('/api/audit?action=auth.passkey_login');
    expect(audit.body.events.some((e: { targetId: string }) => e.targetId === user.id)).toBe(true);
    const added2 = await root.client.get('/api/audit?action=mfa.passkey_added');
    expect(added2.body.events.some((e: { targetId: string }) => e.targetId === user.id)).toBe(true);
  });

  it('is the second step after a password', async () => {
    const user = await makeUser(t);
    const key = new SoftAuthenticator(t.origin);
    await registerPasskey(user, key);
    const client = browser();
    const first = await client.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(first.body).toEqual({ mfaRequired: true, methods: ['passkey'] });
    const challenge = cookieOf(first, 'nexus_mfa');
    const options = await client.post('/api/auth/mfa/passkey-options', undefined, { cookie: challenge });
    expect(options.status, options.text).toBe(200);
    // Only this user's passkey is offered.
    expect(options.body.allowCredentials).toEqual([
      expect.objectContaining({ id: key.credentialId.toString('base64url') }),
    ]);
    const done = await client.post(
      '/api/auth/mfa',
      { passkey: key.authenticate(options.body) },
      { cookie: `${challenge}; ${cookieOf(options, 'nexus_webauthn')}` },
    );
    expect(done.status, done.text).toBe(200);
    expect(client.cookie).not.toBeNull();
    // Another user's passkey is no second factor for this one.
    const other = await makeUser(t);
    const otherKey = new SoftAuthenticator(t.origin);
    await registerPasskey(other, otherKey);
    const again = await browser().post('/api/auth/login', { email: user.email, password: PASSWORD });
    const c2 = cookieOf(again, 'nexus_mfa');
    const o2 = await browser().post('/api/auth/mfa/passkey-options', undefined, { cookie: c2 });
    const refused = await browser().post(
      '/api/auth/mfa',
      { passkey: otherKey.authenticate(o2.body) },
      { cookie: `${c2}; ${cookieOf(o2, 'nexus_webauthn')}` },
    );
    expect(refused.status).toBe(401);
  });

  it('takes a challenge once, refuses a counter that goes back, and another site’s origin', async () => {
    const user = await makeUser(t);
    const key = new SoftAuthenticator(t.origin);
    await registerPasskey(user, key);
    const ok = await passwordless(key);
    expect(ok.res.status).toBe(200);
    const replay = await browser().post(
      '/api/auth/passkey',
      { response: key.authenticate(ok.options) },
      { cookie: ok.ceremony },
    );
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('passkey.challenge_expired');
    const cloned = await passwordless(key, { counter: 1 });
    expect(cloned.res.status).toBe(401);
    expect(cloned.res.body.error.code).toBe('auth.passkey_invalid');
    const evil = new ApiClient(t.url);
    evil.origin = 'https://evil.example';
    expect((await evil.post('/api/auth/passkey/options')).status).toBe(403);
  });

  it('removes a passkey: it signs in no more', async () => {
    const user = await makeUser(t);
    const key = new SoftAuthenticator(t.origin);
    const added = await registerPasskey(user, key, 'Phone');
    expect((await user.client.delete(`/api/account/passkeys/${added.id}`)).status).toBe(200);
    expect((await user.client.get('/api/account/passkeys')).body.passkeys).toEqual([]);
    expect((await passwordless(key)).res.status).toBe(401);
    expect((await user.client.delete(`/api/account/passkeys/${added.id}`)).status).toBe(404);
  });
});
