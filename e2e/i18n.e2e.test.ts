// The web app in other languages (issue 24, first pages): the browser's language picks the
// catalog (German here), the sign-in page and the profile pick one (the profile's is kept with the
// account and follows it to another browser), and the pseudo-locale (accented, 30 % longer)
// shows what is untranslated or too tight. Checked with axe and for text that overflows its box.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, newWatchedPage } from './helpers/browser';
import { type E2eEnv, makeMember, PASSWORD, registerSim, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

let env: E2eEnv;
let browser: Browser;
let serverId: string;

beforeAll(async () => {
  env = await startE2eEnv();
  browser = await launchBrowser();
  serverId = await registerSim(env.admin.client, env.tenantId, env.sim.servers[0] as never);
});
afterBrowserTests(() => [browser, env]);

/** Navigation entries, buttons, labels and headings whose text does not fit their box. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll(
      'nav a, button, label, h1, h2, h3, th, [data-testid="recorded-badge"]',
    )) {
      const box = el as HTMLElement;
      if (box.offsetParent === null) continue;
      if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 2) {
        if (getComputedStyle(box).overflow === 'visible' && box.scrollHeight <= box.clientHeight + 2) continue;
        out.push(`${box.tagName.toLowerCase()} "${(box.textContent ?? '').trim().slice(0, 40)}"`);
      }
    }
    return out;
  });
}

type Label = string | RegExp;

async function signIn(page: Page, email: string, labels: { email: Label; password: Label; submit: Label }) {
  const exact = (label: Label) => ({ exact: typeof label === 'string' });
  await page.goto('/login');
  await page.getByLabel(labels.email, exact(labels.email)).fill(email);
  await page.getByLabel(labels.password, exact(labels.password)).fill(PASSWORD);
  await page.getByRole('button', { name: labels.submit, ...exact(labels.submit) }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe('languages', () => {
  it('speaks German to a German browser: sign-in, navigation, recordings', async () => {
    const w = await newWatchedPage(browser, env.url, { locale: 'de-DE' });
    const { page } = w;
    await page.goto('/login');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).waitFor();
    await signIn(page, env.admin.email, { email: 'E-Mail', password: 'Passwort', submit: 'Anmelden' });
    await page.goto(`/tenants/${env.tenantId}/recordings`);
    await page.getByRole('heading', { name: 'Aufzeichnungen' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    for (const entry of ['Server', 'Überwachung', 'Mitglieder', 'Audit-Protokoll', 'Einstellungen']) {
      await nav.getByRole('link', { name: entry, exact: true }).waitFor();
    }
    await page.getByText('Keine Aufzeichnungen').waitFor();
    expect(describeFindings('recordings (de)', await axeViolations(page))).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'recordings-de-light.png') });
    // The dashboard and the settings page, in German, readable and fitting.
    await page.goto(`/tenants/${env.tenantId}`);
    await page.getByText('Aktive Konsolen').waitFor();
    expect(describeFindings('dashboard (de)', await axeViolations(page))).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-de-light.png') });
    await page.goto(`/tenants/${env.tenantId}/settings`);
    await page.getByRole('button', { name: 'Einstellungen speichern' }).waitFor();
    await page.getByLabel('Konsolen aufzeichnen').waitFor();
    expect(describeFindings('settings (de)', await axeViolations(page))).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    // The API's errors arrive as codes and read in German.
    await page.goto(`/tenants/${env.tenantId}/servers/00000000-0000-4000-8000-000000000000/vms/abc`);
    await page.getByText('Die Anfrage ist ungültig.').waitFor();
    // Dates follow the language (German: day.month.year, 24 h).
    await page.goto('/account');
    await page.getByText(/seit \d{1,2}\.\d{1,2}\.\d{4}|seit \d{1,2}\. \w+/).waitFor();
    expect(w.pageErrors).toEqual([]);
    await w.context.close();
  });

  it('keeps the profile’s language with the account: another browser signs in to it', async () => {
    const member = await makeMember(env, 'viewer');
    const first = await newWatchedPage(browser, env.url, { locale: 'en-US' });
    await signIn(first.page, member.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    await first.page.goto('/account');
    await first.page.getByLabel('Language').selectOption('fr');
    await first.page.getByRole('heading', { name: 'Profil' }).first().waitFor();
    await expect
      .poll(
        async () =>
          (await env.t.database.db.selectFrom('users').select('locale').where('id', '=', member.id).executeTakeFirst())
            ?.locale,
      )
      .toBe('fr');
    await first.context.close();
    const second = await newWatchedPage(browser, env.url, { locale: 'en-US' });
    await signIn(second.page, member.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    await second.page.goto(`/tenants/${env.tenantId}/recordings`);
    await second.page.getByRole('heading', { name: 'Enregistrements' }).waitFor();
    expect(second.pageErrors).toEqual([]);
    await second.context.close();
  });

  it('the pseudo-locale: every converted text accented and longer, still readable and fitting', async () => {
    const w = await newWatchedPage(browser, env.url);
    await w.context.addInitScript(() => window.localStorage.setItem('nexus.locale', 'en-XA'));
    const { page } = w;
    await page.goto('/login');
    await page.getByRole('button', { name: /^\[Šíĝñ íñ·+\]$/ }).waitFor();
    await page.getByLabel(/Éɱáíļ/).fill(env.admin.email);
    await page.getByLabel(/Þáššŵóŕð/).fill(PASSWORD);
    await page.getByRole('button', { name: /^\[Šíĝñ íñ·+\]$/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`/tenants/${env.tenantId}/recordings`);
    await page.getByRole('heading', { name: /Ŕéçóŕðíñĝš/ }).waitFor();
    expect(describeFindings('recordings (pseudo)', await axeViolations(page))).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    await w.context.close();
  });

  /** A guest with an everyday name (the simulator also holds hostile ones, for the XSS suite). */
  const plainGuest = () =>
    env.sim.servers[0]?.guests().find((g) => /^[a-z][a-z0-9-]*$/.test(g.name ?? '') && !g.template)?.vmid ?? 101;

  /** The main pages, each with a text that shows it loaded (in German). */
  const mainPages = (): Array<[string, string, RegExp]> => {
    const base = `/tenants/${env.tenantId}`;
    return [
      ['dashboard', base, /Aktive Konsolen/],
      ['servers', `${base}/servers`, /^Server$/],
      ['server', `${base}/servers/${serverId}`, /Knoten/],
      ['guest', `${base}/servers/${serverId}/vms/${plainGuest()}`, /Konsole öffnen|Konsole/],
      ['members', `${base}/members`, /^Mitglieder$/],
      ['monitoring', `${base}/monitoring`, /^Überwachung$/],
      ['audit', `${base}/audit`, /^Audit-Protokoll$/],
      ['alerts', `${base}/alerts`, /^Benachrichtigungen$/],
      ['settings', `${base}/settings`, /^Einstellungen$/],
      ['tokens', '/account/tokens', /^API-Tokens$/],
      ['security', '/account/security', /^Sicherheit$/],
      ['admin-users', '/admin/users', /^Benutzer$/],
    ];
  };

  async function settle(page: Page) {
    await page.waitForLoadState('networkidle').catch(() => {});
    await page
      .waitForFunction(() => document.querySelectorAll('.animate-pulse').length === 0, null, { timeout: 10_000 })
      .catch(() => {});
  }

  it('the main pages in German: readable (axe), nothing overflowing its box', async () => {
    const w = await newWatchedPage(browser, env.url, { locale: 'de-DE' });
    const { page } = w;
    await signIn(page, env.admin.email, { email: 'E-Mail', password: 'Passwort', submit: 'Anmelden' });
    for (const [name, url, loaded] of mainPages()) {
      await page.goto(url);
      await page.getByText(loaded).first().waitFor();
      await settle(page);
      expect(describeFindings(`${name} (de)`, await axeViolations(page))).toEqual([]);
      expect(await overflowing(page), name).toEqual([]);
      if (name === 'servers' || name === 'guest') {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-de-light.png`) });
      }
    }
    expect(w.pageErrors).toEqual([]);
    await w.context.close();
  });

  it('the main pages in the pseudo-locale: every label and button translated, nothing overflowing', async () => {
    const w = await newWatchedPage(browser, env.url);
    await w.context.addInitScript(() => window.localStorage.setItem('nexus.locale', 'en-XA'));
    const { page } = w;
    await signIn(page, env.admin.email, { email: /Éɱáíļ/, password: /Þáššŵóŕð/, submit: /^\[Šíĝñ íñ·+\]$/ });
    // Names and figures are data, not text to translate: the tenant's, servers', guests', people's.
    const data = new Set<string>([env.tenantName, env.admin.email, 'Nexus']);
    for (const s of env.sim.servers) data.add(s.name);
    for (const g of env.sim.servers[0]?.guests() ?? []) if (g.name) data.add(g.name);
    for (const [name, url] of mainPages()) {
      await page.goto(url);
      await page.locator('h1').first().waitFor();
      await settle(page);
      expect(describeFindings(`${name} (pseudo)`, await axeViolations(page))).toEqual([]);
      expect(await overflowing(page), name).toEqual([]);
      const plain = await page.evaluate(() =>
        [...document.querySelectorAll('main button, main label, main th, main h1, main h2, main h3, nav a')]
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .map((el) => (el.textContent ?? '').trim())
          .filter((text) => /[A-Za-z]{3,}/.test(text) && !text.includes('·')),
      );
      expect(
        plain.filter((text) => !data.has(text) && !/^[\w.+-]+@[\w.-]+$/.test(text)),
        `${name}: text not from a message`,
      ).toEqual([]);
    }
    expect(w.pageErrors).toEqual([]);
    await w.context.close();
  });
});
