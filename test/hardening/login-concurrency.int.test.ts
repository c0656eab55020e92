// The sign-in limits under concurrency (issue 14, finding 5): an attempt is reserved before its
// password is checked, so a burst of parallel guesses gets no more checks than sequential ones.
// Password checks are counted by their audit rows: every checked wrong password writes one
// `auth.login` failure, every refused attempt one `auth.login_rate_limited`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IP_MAX_FAILURES, LOGIN_MAX_FAILURES } from '../../server/src/modules/auth/login-limiter';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import { makeUser, PASSWORD } from '../helpers/factories';

let t: TestApp;
let ipCounter = 0;
/** A fresh client address per test (X-Forwarded-For, trusted here), so the tests don't share limits. */
const freshIp = () => `203.0.113.${++ipCounter}`;

beforeAll(async () => {
  t = await startTestApp({ env: { NEXUS_TRUST_PROXY: 'true' } });
});
afterAll(async () => t?.close());

async function loginFrom(ip: string, email: string, password: string) {
  const c = new ApiClient(t.url);
  c.ip = ip;
  return c.login(email, password);
}

/** Audit rows of sign-in attempts at one account from one address. */
async function attempts(email: string, ip: string) {
  const rows = await t.database.db
    .selectFrom('audit_logs')
    .select(['action', 'result'])
    .where('actor_label', '=', email)
    .where('actor_ip', '=', ip)
    .execute();
  return {
    checkedWrong: rows.filter((r) => r.action === 'auth.login' && r.result === 'failure').length,
    succeeded: rows.filter((r) => r.action === 'auth.login' && r.result === 'success').length,
    refused: rows.filter((r) => r.action === 'auth.login_rate_limited').length,
  };
}

describe(`sign-in limits under concurrency (${TEST_DIALECT})`, () => {
  it('300 parallel wrong passwords for one account from one address: at most 5 are checked', async () => {
    const u = await makeUser(t, { login: false });
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => loginFrom(ip, u.email, `wrong password ${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    const seen = await attempts(u.email, ip);
    expect(seen.checkedWrong).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    expect(seen.checkedWrong + seen.refused).toBe(300);
    expect(results.find((r) => r.status === 429)?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });

  it('300 parallel wrong passwords for many accounts from one address: at most the per-address limit', async () => {
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => loginFrom(ip, `nobody-${i}@example.test`, `wrong password ${i}`)),
    );
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(IP_MAX_FAILURES);
    const checked = await t.database.db
      .selectFrom('audit_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('actor_ip', '=', ip)
      .where('action', '=', 'auth.login')
      .where('result', '=', 'failure')
      .executeTakeFirstOrThrow();
    expect(Number(checked.n)).toBeLessThanOrEqual(IP_MAX_FAILURES);
  });

  it('a correct password sent early in a burst of 300 gives the burst no extra checks', async () => {
    const u = await makeUser(t, { login: false });
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 301 }, (_, i) =>
        loginFrom(ip, u.email, i === 2 || i === 150 ? PASSWORD : `wrong password ${i}`),
      ),
    );
    const seen = await attempts(u.email, ip);
    // The correct ones take a slot while they are checked and give back only their own.
    expect(seen.checkedWrong).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    expect(seen.checkedWrong + seen.succeeded + seen.refused).toBe(301);
    expect(results.filter((r) => r.status === 200).length).toBe(seen.succeeded);
  });

  it('correct passwords beyond the limit in flight are told to retry in a second, not locked out', async () => {
    const u = await makeUser(t, { login: false });
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 12 }, () => loginFrom(ip, u.email, PASSWORD)));
    const busy = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(LOGIN_MAX_FAILURES);
    expect(busy.length + LOGIN_MAX_FAILURES).toBeGreaterThanOrEqual(12);
    for (const r of busy) expect(r.headers.get('retry-after')).toBe('1');
    // Nothing failed, so nothing is held against the account: the retries get in.
    for (let i = 0; i < busy.length; i++) expect((await loginFrom(ip, u.email, PASSWORD)).status).toBe(200);
  });

  it('a success keeps counting the failures before it (it gives back only its own attempt)', async () => {
    const u = await makeUser(t, { login: false });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await loginFrom(ip, u.email, `typo ${i}-xxxxxxxx`)).status).toBe(401);
    expect((await loginFrom(ip, u.email, PASSWORD)).status).toBe(200);
    // Two more wrong ones make five failures in the window; the next is refused.
    for (let i = 0; i < 2; i++) expect((await loginFrom(ip, u.email, `typo again ${i}-xx`)).status).toBe(401);
    expect((await loginFrom(ip, u.email, 'one more guess xx')).status).toBe(429);
    expect((await attempts(u.email, ip)).checkedWrong).toBe(5);
    // The owner elsewhere is not locked out.
    expect((await loginFrom(freshIp(), u.email, PASSWORD)).status).toBe(200);
  });
});
