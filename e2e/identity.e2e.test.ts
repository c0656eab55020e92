// Second factors in the browser (issue 17): a member sets up an authenticator app from the QR
// code's secret, keeps the recovery codes, and the next sign-in asks for the factor; a session
// that NEXUS_REQUIRE_MFA holds is walked to the security page first; pages axe-clean.
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../test/helpers/factories';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage } from './helpers/browser';
import { type E2eEnv, makeMember, PASSWORD, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

let env: E2eEnv;
let browser: Browser;

beforeAll(async () => {
  env = await startE2eEnv();
  browser = await launchBrowser();
});

afterBrowserTests(() => [browser, env]);

const codeFor = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();

describe('second factors', () => {
  it('sets up an authenticator app from the QR code, then signs in with the password and a recovery code', async () => {
    const member = await makeMember(env, 'manager');
    const w = await newWatchedPage(browser, env.url, { permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      const { page } = w;
      await loginViaUi(page, member.email, PASSWORD, '/account/security');
      await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
      await page.getByRole('img', { name: 'QR code for the authenticator app' }).waitFor();
      const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'account-security-enrol-light.png') });
      expect(describeFindings('enrolment', await axeViolations(page))).toEqual([]);
      await page.getByLabel('The 6-digit code the app shows now').fill(codeFor(secret));
      await page.getByRole('button', { name: 'Turn it on' }).click();
      const codes = page.getByTestId('recovery-codes').locator('li');
      await expect.poll(() => codes.count()).toBe(10);
      const recovery = (await codes.first().textContent()) ?? '';
      await page.getByRole('button', { name: 'I saved them' }).click();
      await page.getByTestId('second-factor-on').waitFor();
      await page.getByTestId('account-sessions').waitFor();
      expect(describeFindings('security page', await axeViolations(page))).toEqual([]);

      // Sign out and back in: the password, then the factor.
      await w.context.clearCookies();
      await page.goto('/login');
      await page.getByLabel('Email').fill(member.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByLabel('Code').waitFor();
      await page.getByLabel('Code').fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText(/That code is not right/).waitFor();
      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.getByLabel('Recovery code').fill(recovery);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'login-second-factor-light.png') });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      expect((await page.request.get('/api/auth/me')).status()).toBe(200);
      expect(w.pageErrors).toEqual([]);
      expect(w.cspViolations).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  it('adds a passkey with Chromium’s virtual authenticator and signs in with it alone', async () => {
    const member = await makeMember(env, 'viewer');
    // WebAuthn wants a domain, not an IP address: this page runs on localhost.
    const origin = env.url.replace('127.0.0.1', 'localhost');
    env.t.config.allowedOrigins.push(origin);
    const w = await newWatchedPage(browser, origin);
    try {
      const { page } = w;
      const cdp = await w.context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      await loginViaUi(page, member.email, PASSWORD, '/account/security');
      await page.getByLabel('Name for a new passkey').fill('Test laptop');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByTestId('passkey-list').getByText('Test laptop').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'account-passkeys-light.png') });

      // Signed out: the passkey alone signs in (no e-mail, no password).
      await w.context.clearCookies();
      await page.goto('/login?next=%2Faccount');
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL((url) => url.pathname === '/account');
      const me = await (await page.request.get('/api/auth/me')).json();
      expect(me.user.email).toBe(member.email);
      expect(me.security.secondFactor).toBe(true);
      expect(w.pageErrors).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  it('walks a global admin without a factor to the security page before anything else', async () => {
    const admin = await makeUser(env.t, { globalRole: 'admin', login: false });
    const w = await newWatchedPage(browser, env.url);
    // As with NEXUS_REQUIRE_MFA=admins (the setting is read at each sign-in).
    env.t.config.requireMfa = 'admins';
    try {
      const { page } = w;
      // Dark from the first paint: axe must not see colours mid-transition.
      await page.emulateMedia({ colorScheme: 'dark' });
      await loginViaUi(page, admin.email, PASSWORD, '/admin/tenants');
      await page.waitForURL(/\/account\/security$/);
      await page.getByText('Set up a second factor to continue').waitFor();
      await page.goto('/admin/users');
      await page.waitForURL(/\/account\/security$/);
      expect(describeFindings('enrolment required, dark', await axeViolations(page))).toEqual([]);
    } finally {
      env.t.config.requireMfa = 'off';
      await w.context.close();
    }
  });
});
