// Launches Debian's Chromium through playwright-core (no browser download), and gives each test a
// page that records what must never happen: dialogs (alert/confirm from injected script), CSP
// violations and uncaught page errors.
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';

export const CHROMIUM = process.env.NEXUS_E2E_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set NEXUS_E2E_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface Watched {
  page: Page;
  context: BrowserContext;
  dialogs: string[];
  cspViolations: string[];
  pageErrors: string[];
  console: string[];
}

/** A fresh context (its own cookies) and page, watched for dialogs, CSP violations and errors. */
export async function newWatchedPage(
  browser: Browser,
  baseURL: string,
  opts: BrowserContextOptions = {},
): Promise<Watched> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, ...opts });
  const page = await context.newPage();
  const w: Watched = { page, context, dialogs: [], cspViolations: [], pageErrors: [], console: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => w.pageErrors.push(e.message));
  page.on('console', (m) => {
    const text = m.text();
    w.console.push(`${m.type()}: ${text}`);
    if (/Content Security Policy/i.test(text)) w.cspViolations.push(text);
  });
  await context.exposeBinding('__nexusCspViolation', (_src, text: string) => {
    w.cspViolations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __nexusCspViolation(t: string): void }).__nexusCspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      );
    });
  });
  return w;
}

/** Signs in through the login form, as a person would. */
export async function loginViaUi(page: Page, email: string, password: string, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** After a failed test, every open page of the browser as a PNG in $TMPDIR/nexus-e2e-failures. */
export async function screenshotOnFailure(browser: Browser | undefined, testName: string): Promise<void> {
  if (!browser) return;
  const dir = path.join(os.tmpdir(), 'nexus-e2e-failures');
  fs.mkdirSync(dir, { recursive: true });
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let i = 0;
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      const file = path.join(dir, `${slug}-${i++}.png`);
      await page.screenshot({ path: file }).catch(() => {});
      process.stderr.write(`e2e failure screenshot: ${file} (${page.url()})\n`);
    }
  }
}

interface Closable {
  close(): Promise<unknown>;
}

/** The hooks every browser file shares: a screenshot of each failed test, and at the end the
 * browser, then everything else the file opened, closed in the order given. */
export function afterBrowserTests(opened: () => [Browser | undefined, ...(Closable | undefined)[]]): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await screenshotOnFailure(opened()[0], ctx.task.name);
  });
  afterAll(async () => {
    for (const thing of opened()) await thing?.close();
  });
}
