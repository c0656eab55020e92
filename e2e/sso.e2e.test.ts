// Single sign-on in Chromium (issue 17): the sign-in page's provider button, the provider's own
// login page (a real OpenID provider, oidc-provider, on loopback), and back into Nexus with the
// tenant the role map gives; passwords left to administrators hide the form.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../test/helpers/oidc-idp';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage } from './helpers/browser';
import { type E2eEnv, PASSWORD, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

const PUBLIC_URL = 'http://localhost:8080';
let idp: TestIdp;
let env: E2eEnv;
let browser: Browser;
const slug = `sso-${Date.now().toString(36)}`;

beforeAll(async () => {
  idp = await startTestIdp({ redirectUris: [`${PUBLIC_URL}/api/auth/oidc/default/callback`] });
  env = await startE2eEnv({
    env: {
      NEXUS_OIDC_ISSUER: idp.issuer,
      NEXUS_OIDC_CLIENT_ID: idp.clientId,
      NEXUS_OIDC_CLIENT_SECRET: idp.clientSecret,
      NEXUS_OIDC_NAME: 'Corp SSO',
      NEXUS_OIDC_ROLE_MAP: `ops=${slug}:manager`,
    },
  });
  const res = await env.admin.client.patch(`/api/tenants/${env.tenantId}`, { slug });
  expect(res.status, res.text).toBe(200);
  browser = await launchBrowser();
});

afterBrowserTests(() => [browser, env, idp]);

describe('single sign-on', () => {
  it('signs in through the provider’s page and lands in the tenant the role map gives', async () => {
    idp.users.set('olivia', { email: 'olivia@corp.test', name: 'Olivia Ops', groups: ['ops'] });
    idp.nextUser = '';
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      // The provider sends the browser to NEXUS_PUBLIC_URL; here that is this test's server.
      await w.context.route(`${PUBLIC_URL}/**`, (route) => {
        const u = new URL(route.request().url());
        return route.fulfill({ status: 302, headers: { location: `${env.url}${u.pathname}${u.search}` } });
      });
      await page.goto(`/login?next=${encodeURIComponent(`/tenants/${env.tenantId}`)}`);
      const button = page.getByRole('link', { name: 'Sign in with Corp SSO' });
      await button.waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'login-sso-light.png') });
      expect(describeFindings('login with SSO', await axeViolations(page))).toEqual([]);
      await button.click();
      await page.getByRole('heading', { name: 'Test IdP sign-in' }).waitFor();
      await page.getByLabel('User name').fill('olivia');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(new RegExp(`/tenants/${env.tenantId}$`));
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const me = await (await page.request.get('/api/auth/me')).json();
      expect(me.user.email).toBe('olivia@corp.test');
      expect(me.tenants).toEqual([expect.objectContaining({ id: env.tenantId, role: 'manager' })]);
      expect(w.pageErrors).toEqual([]);
      expect(w.cspViolations).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  it('lets a global admin add a sign-in provider; its button appears on the sign-in page', async () => {
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await loginViaUi(page, env.admin.email, PASSWORD, '/admin/identity-providers');
      await page.getByText('environment').waitFor();
      await page.getByRole('button', { name: 'Add provider' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Id (in its URLs)').fill('partner');
      await dialog.getByLabel('Button label').fill('Partner SSO');
      await dialog.getByLabel('Issuer URL').fill(idp.issuer);
      await dialog.getByLabel('Client id').fill(idp.clientId);
      await dialog.getByLabel('Client secret').fill(idp.clientSecret);
      await dialog.getByLabel('Role map').fill(`ops=${slug}:viewer`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'admin-identity-providers-light.png') });
      await dialog.getByRole('button', { name: 'Add provider' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page
        .getByRole('cell', { name: /Partner SSO/ })
        .first()
        .waitFor();
      expect(describeFindings('identity providers', await axeViolations(page))).toEqual([]);
      await w.context.clearCookies();
      await page.goto('/login');
      await page.getByRole('link', { name: 'Sign in with Partner SSO' }).waitFor();
      expect(w.cspViolations).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  it('hides the password form when passwords are for administrators, with their break-glass link', async () => {
    env.t.config.passwordLogin = 'admins';
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await page.goto('/login');
      await page.getByRole('link', { name: 'Sign in with Corp SSO' }).waitFor();
      expect(await page.getByLabel('Password').count()).toBe(0);
      await page.getByRole('link', { name: 'Administrator sign-in with a password' }).click();
      await page.getByLabel('Password').waitFor();
      // Dark from the first paint: axe must not see colours mid-transition.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto('/login?error=sso.link_refused');
      await page.getByTestId('sso-error').waitFor();
      expect(describeFindings('login, passwords for admins, dark', await axeViolations(page))).toEqual([]);
    } finally {
      env.t.config.passwordLogin = 'on';
      await w.context.close();
    }
  });
});
