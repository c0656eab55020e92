// Outbound alerts in the browser (issue 22): a tenant admin adds a signed webhook channel and an
// e-mail channel, sends a test to each and sees it arrive (the receiver checks the signature; a
// real SMTP server receives the mail over STARTTLS); the page is axe-clean in light and dark.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../test/helpers/smtp-sink';
import { startWebhookSink, type WebhookSink } from '../test/helpers/webhook-sink';
import { axeViolations, describeFindings } from './helpers/axe';
import { launchBrowser, loginViaUi, newWatchedPage, screenshotOnFailure } from './helpers/browser';
import { type E2eEnv, PASSWORD, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

const SECRET = 'whsec-e2e-0123456789abcdef';

let env: E2eEnv;
let browser: Browser;
let smtp: SmtpSink;
let hook: WebhookSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  hook = await startWebhookSink(SECRET);
  env = await startE2eEnv({ env: smtp.env });
  browser = await launchBrowser();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshotOnFailure(browser, ctx.task.name);
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await smtp?.close();
  await hook?.close();
});

describe('alert channels', () => {
  it('adds a webhook and an e-mail channel, tests both and sees them arrive', async () => {
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await loginViaUi(page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}/alerts`);
      await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
      await page.getByText('No alert channels').waitFor();

      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByLabel('Type').selectOption('webhook');
      await page.getByLabel('Name').fill('Ops webhook');
      await page.getByLabel('URL', { exact: true }).fill(hook.url);
      await page.getByLabel('Signing secret').selectOption('set');
      await page.getByLabel('Secret', { exact: true }).fill(SECRET);
      await page.getByRole('button', { name: 'Add channel' }).last().click();
      await page.getByText('Ops webhook', { exact: true }).waitFor();

      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByLabel('Name').fill('Ops mail');
      await page.getByLabel('Addresses').fill('ops@example.test');
      await page.getByRole('button', { name: 'Add channel' }).last().click();
      await page.getByText('Ops mail', { exact: true }).waitFor();

      await page.getByRole('button', { name: 'Send test to Ops webhook' }).click();
      await page
        .getByText(/Test delivered in \d+ ms/)
        .first()
        .waitFor();
      const got = await hook.waitFor((h) => h.body?.event === 'test');
      expect(got.signed).toBe(true);
      expect(got.body.tenantId).toBe(env.tenantId);

      await page.getByRole('button', { name: 'Send test to Ops mail' }).click();
      await expect.poll(() => page.getByText(/Test delivered in \d+ ms/).count()).toBe(2);
      const mail = await smtp.waitFor((m) => m.subject === 'Test message from Nexus');
      expect(mail).toMatchObject({ secure: true, to: ['ops@example.test'] });

      // The secret never reaches the page.
      expect(await page.content()).not.toContain(SECRET);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-light.png'), fullPage: true });
      expect(describeFindings('alerts page', await axeViolations(page))).toEqual([]);
    } finally {
      await w.context.close();
    }
  });

  it('is axe-clean in dark mode, with the channel dialog open', async () => {
    const w = await newWatchedPage(browser, env.url);
    try {
      const { page } = w;
      await page.emulateMedia({ colorScheme: 'dark' });
      await loginViaUi(page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}/alerts`);
      await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
      expect(describeFindings('alerts page, dark', await axeViolations(page))).toEqual([]);
      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByRole('dialog').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-dialog-dark.png') });
      expect(describeFindings('channel dialog, dark', await axeViolations(page))).toEqual([]);
    } finally {
      await w.context.close();
    }
  });
});
