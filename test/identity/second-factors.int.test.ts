// Second factors (issue 17): TOTP enrolment confirmed by a code, ten single-use recovery codes,
// sign-in in two steps (no session until the factor), replay of a code refused, attempts limited
// like passwords; enforcement by NEXUS_REQUIRE_MFA and the tenant setting requireMfa; "where you
// are signed in" with revocation; a global admin's reset; the secret shown only at enrolment.
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { FakeClock } from '../helpers/clock';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { registerSecret } from '../helpers/secrets';

const clock = new FakeClock();
let t: TestApp;
let root: TestUser;

beforeAll(async () => {
  t = await startTestApp({ deps: { clock } });
  root = await makeUser(t, { globalRole: 'admin' });
});
afterAll(async () => t?.close());

/** The code an authenticator app shows for this secret now (the app's clock is the server's). */
const codeFor = (secret: string, at = clock.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at,
  });
/** Each accepted code moves the account past its time step: the next sign-in is 30 s later. */
const nextStep = () => clock.advance(30_000);

async function enrol(user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await user.client.post('/api/account/mfa/totp');
  expect(start.status, start.text).toBe(201);
  const secret = start.body.secret as string;
  registerSecret(secret, 'TOTP secret', ApiClient.transcript.length - 1);
  expect(start.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Nexus:.+\?.*secret=/);
  const wrong = await user.client.post('/api/account/mfa/totp/confirm', { code: '000000' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.code).toBe('mfa.code_invalid');
  const ok = await user.client.post('/api/account/mfa/totp/confirm', { code: codeFor(secret) });
  expect(ok.status, ok.text).toBe(200);
  const recoveryCodes = ok.body.recoveryCodes as string[];
  for (const c of recoveryCodes) registerSecret(c, 'recovery code', ApiClient.transcript.length - 1);
  nextStep();
  return { secret, recoveryCodes };
}

/** Password, then the factor: the client ends up signed in (or not). */
async function signIn(user: TestUser, answer: { code: string } | { recoveryCode: string } | null) {
  const client = new ApiClient(t.url);
  const first = await client.post('/api/auth/login', { email: user.email, password: PASSWORD });
  expect(first.status, first.text).toBe(200);
  expect(first.body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery'] });
  // No session yet: only the challenge cookie.
  expect(client.cookie).toBeNull();
  const challenge = first.headers
    .getSetCookie()
    .find((c) => c.startsWith('nexus_mfa='))
    ?.split(';')[0];
  expect(challenge).toBeDefined();
  expect((await client.get('/api/auth/me', { cookie: challenge ?? '' })).status).toBe(401);
  if (!answer) return { client, challenge: challenge ?? '', second: null };
  const second = await client.post('/api/auth/mfa', answer, { cookie: challenge ?? '' });
  if (second.status === 200) client.csrf = second.body.csrfToken;
  return { client, challenge: challenge ?? '', second };
}

describe(`second factors (${TEST_DIALECT})`, () => {
  it('enrols TOTP with a first code and signs in only after the factor; a code is never accepted twice', async () => {
    const user = await makeUser(t);
    const { secret } = await enrol(user);
    const me = await user.client.get('/api/auth/me');
    expect(me.body.security).toEqual({
      secondFactor: true,
      mustEnrol: false,
      factorsResetAt: null,
      tenantRequiresMfa: false,
    });
    expect((await user.client.get('/api/account/mfa')).body).toEqual({
      totp: true,
      recoveryCodesLeft: 10,
      passkeys: 0,
    });
    // A second enrolment is refused while one is on.
    expect((await user.client.post('/api/account/mfa/totp')).status).toBe(409);

    const code = codeFor(secret);
    const { client, second } = await signIn(user, { code });
    expect(second?.status, second?.text).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    // The same code again (same time step): refused, no session.
    const replay = await signIn(user, { code });
    expect(replay.second?.status).toBe(401);
    expect(replay.second?.body.error.code).toBe('auth.mfa_invalid');
    expect(replay.client.cookie).toBeNull();
    // A wrong code, and no challenge at all.
    nextStep();
    expect((await signIn(user, { code: '123456' })).second?.status).toBe(401);
    const bare = await new ApiClient(t.url).post('/api/auth/mfa', { code: codeFor(secret) });
    expect(bare.status).toBe(401);
    expect(bare.body.error.code).toBe('auth.mfa_challenge_expired');
    // A challenge ends after 5 minutes.
    const late = await signIn(user, null);
    clock.advance(5 * 60_000 + 1000);
    const expired = await late.client.post('/api/auth/mfa', { code: codeFor(secret) }, { cookie: late.challenge });
    expect(expired.body.error.code).toBe('auth.mfa_challenge_expired');
    nextStep();
  });

  it('takes each recovery code once, and makes new ones with a code', async () => {
    const user = await makeUser(t);
    const { secret, recoveryCodes } = await enrol(user);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const [first] = recoveryCodes;
    const used = await signIn(user, { recoveryCode: String(first).toUpperCase() });
    expect(used.second?.status, used.second?.text).toBe(200);
    expect((await signIn(user, { recoveryCode: String(first) })).second?.status).toBe(401);
    expect((await used.client.get('/api/account/mfa')).body.recoveryCodesLeft).toBe(9);
    const renewed = await used.client.post('/api/account/mfa/recovery-codes', { code: codeFor(secret) });
    expect(renewed.status, renewed.text).toBe(200);
    for (const c of renewed.body.recoveryCodes) registerSecret(c, 'recovery code', ApiClient.transcript.length - 1);
    nextStep();
    // The old ones stopped working.
    expect((await signIn(user, { recoveryCode: String(recoveryCodes[1]) })).second?.status).toBe(401);
    expect((await used.client.get('/api/account/mfa')).body.recoveryCodesLeft).toBe(10);
  });

  it('limits second-factor attempts like passwords', async () => {
    const user = await makeUser(t);
    await enrol(user);
    const { client, challenge } = await signIn(user, null);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await client.post('/api/auth/mfa', { code: '000000' }, { cookie: challenge })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const audit = await root.client.get(`/api/audit?action=auth.mfa&actor=${encodeURIComponent(user.email)}`);
    expect(audit.body.events.filter((e: { result: string }) => e.result === 'failure').length).toBeGreaterThanOrEqual(
      5,
    );
    clock.advance(10 * 60_000);
  });

  it('removes the authenticator with the password and a code; a global admin can reset it', async () => {
    const user = await makeUser(t);
    const { secret } = await enrol(user);
    const wrongPassword = await user.client.request('DELETE', '/api/account/mfa/totp', {
      password: 'not the password',
      code: codeFor(secret),
    });
    expect(wrongPassword.status).toBe(401);
    const removed = await user.client.request('DELETE', '/api/account/mfa/totp', {
      password: PASSWORD,
      code: codeFor(secret),
    });
    expect(removed.status, removed.text).toBe(200);
    expect((await user.client.get('/api/account/mfa')).body).toEqual({
      totp: false,
      recoveryCodesLeft: 0,
      passkeys: 0,
    });
    nextStep();

    await enrol(user);
    expect((await user.client.post(`/api/users/${user.id}/mfa/reset`)).status).toBe(403);
    expect((await root.client.post(`/api/users/${user.id}/mfa/reset`)).status).toBe(200);
    // The user is told (their account says when), and signs in with the password alone.
    const told = (await user.client.get('/api/auth/me')).body.security;
    expect(told).toMatchObject({ secondFactor: false, factorsResetAt: expect.any(String) });
    const plain = new ApiClient(t.url);
    const res = await plain.login(user.email, PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    const audit = await root.client.get('/api/audit?action=mfa.');
    const actions = audit.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['mfa.totp_enabled', 'mfa.totp_disabled', 'mfa.reset']));
    // Never a secret or a code in the audit log.
    expect(JSON.stringify(audit.body)).not.toMatch(/secret|recoveryCodes/i);
  });

  it('lets a tenant require a second factor: members without one are kept out, with a clear code', async () => {
    const tenant = await makeTenant(t, root);
    const admin = await makeUser(t, { login: false });
    await addMember(t, tenant.id, admin, 'admin');
    await admin.client.login(admin.email, PASSWORD);
    const member = await makeUser(t, { login: false });
    await addMember(t, tenant.id, member, 'manager');
    await member.client.login(member.email, PASSWORD);
    const settings = `/api/tenants/${tenant.id}/settings`;
    // Not without one's own factor.
    const first = await admin.client.put(settings, { requireMfa: true });
    expect(first.status).toBe(400);
    expect(first.body.error.code).toBe('settings.mfa_first');
    const { secret } = await enrol(admin);
    expect((await admin.client.put(settings, { requireMfa: true })).status).toBe(200);
    // Told at once (the SPA walks them to the security page once per session).
    expect((await member.client.get('/api/auth/me')).body.security.tenantRequiresMfa).toBe(true);
    const kept = await member.client.get(`/api/tenants/${tenant.id}/servers`);
    expect(kept.status).toBe(403);
    expect(kept.body.error.code).toBe('auth.mfa_required');
    // Other tenants' members are still told the tenant does not exist.
    const outsider = await makeUser(t);
    expect((await outsider.client.get(`/api/tenants/${tenant.id}/servers`)).status).toBe(404);
    await enrol(member);
    expect((await member.client.get(`/api/tenants/${tenant.id}/servers`)).status).toBe(200);
    expect(secret).toBeTruthy();
  });

  it('lists where you are signed in, and signs one or all other sessions out', async () => {
    const user = await makeUser(t);
    const other = new ApiClient(t.url);
    expect((await other.login(user.email, PASSWORD)).status).toBe(200);
    const third = new ApiClient(t.url);
    expect((await third.login(user.email, PASSWORD)).status).toBe(200);
    const list = await user.client.get('/api/account/sessions');
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(3);
    expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    // The ids are not the session keys (nor their stored hashes).
    for (const s of list.body.sessions) expect(other.cookie).not.toContain(s.id);
    const theirs = (await other.get('/api/account/sessions')).body.sessions.find(
      (s: { current: boolean }) => s.current,
    );
    const one = await user.client.delete(`/api/account/sessions/${theirs.id}`);
    expect(one.body).toEqual({ revoked: 1 });
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await third.get('/api/auth/me')).status).toBe(200);
    expect((await user.client.delete('/api/account/sessions')).body).toEqual({ revoked: 1 });
    expect((await third.get('/api/auth/me')).status).toBe(401);
    expect((await user.client.get('/api/auth/me')).status).toBe(200);
    expect((await user.client.delete(`/api/account/sessions/${'0'.repeat(32)}`)).status).toBe(404);
  });
});

describe(`NEXUS_REQUIRE_MFA=admins (${TEST_DIALECT})`, () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp({ env: { NEXUS_REQUIRE_MFA: 'admins' }, deps: { clock } });
  });
  afterAll(async () => strict?.close());

  it('walks an admin without a factor through enrolment before anything else; others are not asked', async () => {
    const admin = await makeUser(strict, { globalRole: 'admin' });
    const me = await admin.client.get('/api/auth/me');
    expect(me.body.security).toEqual({
      secondFactor: false,
      mustEnrol: true,
      factorsResetAt: null,
      tenantRequiresMfa: false,
    });
    const blocked = await admin.client.get('/api/tenants');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('auth.mfa_enrolment_required');
    expect((await admin.client.get('/api/account')).status).toBe(200);
    const start = await admin.client.post('/api/account/mfa/totp');
    expect(start.status).toBe(201);
    registerSecret(start.body.secret, 'TOTP secret', ApiClient.transcript.length - 1);
    const done = await admin.client.post('/api/account/mfa/totp/confirm', { code: codeFor(start.body.secret) });
    expect(done.status, done.text).toBe(200);
    for (const c of done.body.recoveryCodes) registerSecret(c, 'recovery code', ApiClient.transcript.length - 1);
    nextStep();
    expect((await admin.client.get('/api/tenants')).status).toBe(200);
    // A plain user is not asked.
    const user = await makeUser(strict);
    expect((await user.client.get('/api/auth/me')).body.security.mustEnrol).toBe(false);
    expect((await user.client.get('/api/tenants')).status).toBe(200);
  });
});
