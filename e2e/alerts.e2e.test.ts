// Outbound alerts in the browser (issue 22): a tenant admin adds a signed webhook channel and an
// e-mail channel, sends a test to each and sees it arrive (the receiver checks the HMAC; a real
// SMTP server receives the mail over STARTTLS), sees a failing test's reason, changes the
// webhook's URL (which needs its secret again), mutes a server; axe-clean in light and dark.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../test/helpers/smtp-sink';
import { startWebhookSink, type WebhookSink } from '../test/helpers/webhook-sink';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage } from './helpers/browser';
import { type E2eEnv, PASSWORD, registerSim, simAt, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

const SECRET = 'whsec-e2e-0123456789abcdef';

let env: E2eEnv;
let browser: Browser;
let smtp: SmtpSink;
let hook: WebhookSink;
let serverName: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  hook = await startWebhookSink(SECRET);
  env = await startE2eEnv({ env: smtp.env });
  serverName = simAt(env.sim, 0).name;
  await registerSim(env.admin.client, env.tenantId, simAt(env.sim, 0));
  browser = await launchBrowser();
});

afterBrowserTests(() => [browser, env, smtp, hook]);

const row = (page: Page, name: string) => page.locator(`tr[data-channel="${name}"]`);

async function openAlerts(page: Page) {
  await loginViaUi(page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}`);
  await page.getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
}

describe('alert channels', () => {
  it('adds a webhook and an e-mail channel, tests both and sees them arrive', async () => {
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await openAlerts(page);
      await page.getByText('No alert channels').waitFor();

      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByLabel('Type').selectOption('webhook');
      await page.getByLabel('Name').fill('Ops webhook');
      await page.getByLabel('URL', { exact: true }).fill(hook.url);
      await page.getByLabel('Format').selectOption('json');
      await page.getByLabel('Secret (optional)').fill(SECRET);
      await page.getByLabel('Members changed').check();
      await page.getByRole('dialog').getByRole('button', { name: 'Add channel' }).click();
      await row(page, 'Ops webhook').waitFor();

      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByLabel('Name').fill('Ops mail');
      await page.getByLabel('Addresses').fill('not-an-address');
      await page.getByText('“not-an-address” is not an e-mail address.').waitFor();
      await page.getByLabel('Addresses').fill('ops@example.test,\noncall@example.test');
      await page.getByRole('dialog').getByRole('button', { name: 'Add channel' }).click();
      await row(page, 'Ops mail').waitFor();
      await row(page, 'Ops mail').getByText('ops@example.test, oncall@example.test').waitFor();
      await row(page, 'Ops webhook').getByText('Webhook · Nexus JSON (signed)').waitFor();

      // The webhook: a signed body of Nexus's own shape.
      await page.getByRole('button', { name: 'Send test to Ops webhook' }).click();
      await row(page, 'Ops webhook')
        .getByText(/✓ Test delivered in \d+ ms/)
        .waitFor();
      const got = await hook.waitFor((h) => h.body?.event === 'test');
      const header = got.headers['x-nexus-signature'];
      expect(header).toBe(`sha256=${createHmac('sha256', SECRET).update(got.raw).digest('hex')}`);
      expect(got.signed).toBe(true);
      expect(got.body).toMatchObject({ event: 'test', tenantId: env.tenantId, data: expect.any(Object) });
      expect(Number.isNaN(Date.parse(got.body.occurredAt))).toBe(false);

      // The mail, over STARTTLS to the two addresses.
      await page.getByRole('button', { name: 'Send test to Ops mail' }).click();
      await row(page, 'Ops mail')
        .getByText(/✓ Test delivered in \d+ ms/)
        .waitFor();
      const mail = await smtp.waitFor((m) => m.subject === 'Test message from Nexus');
      expect(mail.secure).toBe(true);
      expect([...mail.to].sort()).toEqual(['ops@example.test', 'oncall@example.test'].sort());

      // A receiver that refuses: the reason shows by the channel.
      hook.setStatus(503);
      await page.getByRole('button', { name: 'Send test to Ops webhook' }).click();
      await row(page, 'Ops webhook')
        .getByText(/✗ Test failed: .*503/)
        .waitFor();
      hook.setStatus(200);

      await row(page, 'Ops webhook').getByRole('button', { name: 'Recent deliveries' }).click();
      await row(page, 'Ops webhook').getByRole('region', { name: 'Recent deliveries' }).waitFor();

      // The secret never reaches the page.
      expect(await page.content()).not.toContain(SECRET);
      expect(describeFindings('alerts page', await axeViolations(page))).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  it('a failing channel says why; a new URL needs the secret again; mute, unmute, delete', async () => {
    // A real alert (a member invited) that the receiver refuses: the channel fails, and says why.
    hook.setStatus(503);
    const invite = await env.admin.client.post(`/api/tenants/${env.tenantId}/members`, {
      email: 'new-viewer@example.test',
      role: 'viewer',
    });
    expect(invite.status).toBeLessThan(300);
    await expect
      .poll(
        async () => {
          const res = await env.admin.client.get(`/api/tenants/${env.tenantId}/notification-channels`);
          return res.body.channels.find((c: { name: string }) => c.name === 'Ops webhook')?.health.failingSince;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeTruthy();
    hook.setStatus(200);

    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await openAlerts(page);
      await row(page, 'Ops webhook')
        .getByText(/Failing since .+: the receiver answered HTTP 503/)
        .waitFor();
      await row(page, 'Ops webhook').getByRole('button', { name: 'Recent deliveries' }).click();
      await row(page, 'Ops webhook')
        .getByRole('region', { name: 'Recent deliveries' })
        .getByText(/invited/)
        .waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts.png'), fullPage: true });
      expect(describeFindings('alerts page, a failing channel', await axeViolations(page))).toEqual([]);

      await page.getByRole('button', { name: 'Edit Ops webhook' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('A secret is stored').waitFor();
      await dialog.getByLabel('New URL').fill(`${hook.url}/v2`);
      await dialog.getByText(/a stored secret never follows a new URL/).waitFor();
      expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Replace' }).click();
      await dialog.getByLabel('New secret').fill(SECRET);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Send test to Ops webhook' }).click();
      await row(page, 'Ops webhook')
        .getByText(/✓ Test delivered/)
        .waitFor();
      const moved = await hook.waitFor((h) => h.path === '/hook/v2' && h.body?.event === 'test');
      expect(moved.signed).toBe(true);

      await page.getByLabel('Server', { exact: true }).selectOption({ label: serverName });
      await page.getByLabel('For').selectOption('24');
      await page.getByLabel('Reason (optional)').fill('kernel upgrade');
      await page.getByRole('button', { name: 'Mute', exact: true }).click();
      await page.getByText('— kernel upgrade').waitFor();
      const mutes = await env.admin.client.get(`/api/tenants/${env.tenantId}/alert-mutes`);
      expect(mutes.body.mutes).toMatchObject([{ serverName, reason: 'kernel upgrade' }]);
      await page.getByRole('button', { name: `Unmute ${serverName}` }).click();
      await page.getByText('No server is muted.').waitFor();

      await page.getByRole('button', { name: 'Delete Ops mail' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete channel' }).click();
      await row(page, 'Ops mail').waitFor({ state: 'detached' });
    } finally {
      await w.context.close();
    }
  });

  it('one’s own alert e-mails on the profile; the offline window in the tenant’s settings', async () => {
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await loginViaUi(page, env.admin.email, PASSWORD, '/account');
      await page.getByRole('heading', { name: 'Alert e-mails' }).waitFor();
      const signIn = page.getByRole('switch', { name: 'Mail me when my account signs in from a new device' });
      await signIn.click();
      await expect.poll(() => signIn.getAttribute('aria-checked')).toBe('true');
      expect((await env.admin.client.get('/api/account/alerts')).body).toEqual({ guestPower: false, signIn: true });

      await page.goto(`/tenants/${env.tenantId}/settings`);
      const window = page.getByLabel('Alert when a server is offline for (seconds)');
      expect(await window.inputValue()).toBe('120');
    } finally {
      await w.context.close();
    }
  });

  it('is axe-clean in dark mode, with the channel dialog open', async () => {
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await page.emulateMedia({ colorScheme: 'dark' });
      await openAlerts(page);
      await row(page, 'Ops webhook').waitFor();
      expect(describeFindings('alerts page, dark', await axeViolations(page))).toEqual([]);
      await page.getByRole('button', { name: 'Edit Ops webhook' }).click();
      await page.getByRole('dialog').getByText('A secret is stored').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-dialog-dark.png') });
      expect(describeFindings('channel dialog, dark', await axeViolations(page))).toEqual([]);
    } finally {
      await w.context.close();
    }
  });
});
