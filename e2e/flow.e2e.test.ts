// The path a new operator takes (issue "Done when"): sign in → pin and add a server → its guests
// appear → start a stopped VM and watch its status change without a reload → open the console →
// pve-sim's picture is on the canvas → Ctrl+Alt+Del and paste reach pve-sim → the upstream dies
// and the console reconnects by itself.
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../pve-sim/index';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage, type Watched } from './helpers/browser';
import { consolePhase, waitForPhase, waitForSimFrame } from './helpers/console';
import { type E2eEnv, PASSWORD, simAt, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

const SHOTS = SCREENSHOT_DIR;
const SCENARIO = {
  seed: 11,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'web-01', status: 'running' as const, tags: ['prod'] },
        { vmid: 101, type: 'qemu' as const, node: 'pve1', name: 'db-01', status: 'running' as const },
        { vmid: 102, type: 'lxc' as const, node: 'pve1', name: 'ct-01', status: 'running' as const },
        { vmid: 103, type: 'qemu' as const, node: 'pve1', name: 'off-01', status: 'stopped' as const },
      ],
    },
  ],
};

let env: E2eEnv;
let browser: Browser;
let sim: SimServer;
let w: Watched;

/** The simulated guest's RFB recorder — asserted to exist, so a test cannot pass without it. */
function recorderOf(vmid: number) {
  const recorder = sim.guest(vmid)?.recorder;
  if (!recorder) throw new Error(`guest ${vmid} has no recorder`);
  return recorder;
}

/** The server id in the console page's URL. */
const serverIdOf = (page: { url(): string }) => /\/servers\/([^/]+)\//.exec(page.url())?.[1] ?? '';

beforeAll(async () => {
  env = await startE2eEnv({ sim: { scenario: SCENARIO } });
  sim = simAt(env.sim, 0);
  browser = await launchBrowser();
  w = await newWatchedPage(browser, env.url);
});

afterBrowserTests(() => [browser, env]);

describe('operator flow', () => {
  it('signs in and adds a server pinned to the certificate it presents', async () => {
    const { page } = w;
    await loginViaUi(page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}/servers`);
    await page.getByRole('button', { name: 'Add server' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('pve-lab');
    await dialog.getByLabel('Host').fill(sim.host);
    await dialog.getByLabel('Port').fill(String(sim.port));
    // A mistyped secret first: the check says so before anything is saved (issue 16).
    await dialog.getByLabel('API token').fill(sim.token.replace(/=./, (m) => (m === '=a' ? '=b' : '=a')));
    // Pinned is the default: probe, compare, trust.
    await dialog.getByRole('button', { name: 'Fetch certificate' }).click();
    await dialog.getByTestId('probe-result').waitFor();
    expect(await dialog.getByLabel('SHA-256 fingerprint').inputValue()).toBe(sim.fingerprint.toUpperCase());
    const add = dialog.getByRole('button', { name: 'Add server' });
    expect(await add.isDisabled()).toBe(true);
    await dialog.getByLabel(/I compared this fingerprint/).click();
    await page.screenshot({ path: path.join(SHOTS, 'add-server-light.png') });
    expect(describeFindings('add server dialog', await axeViolations(page))).toEqual([]);
    await add.click();
    const failed = dialog.getByTestId('server-check-failed');
    await failed.getByText(/rejected the API token/).waitFor();
    await dialog.getByRole('button', { name: 'Save anyway' }).waitFor();
    expect(await page.getByTestId('server-row').filter({ hasText: 'pve-lab' }).count()).toBe(0);
    await dialog.getByLabel('API token').fill(sim.token);
    await dialog.getByRole('button', { name: 'Check again' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByTestId('server-row').filter({ hasText: 'pve-lab' });
    await row.waitFor();
    // The health scheduler finds it online and the row updates from the event stream.
    await row.getByText('Online').waitFor({ timeout: 20_000 });
  });

  it('shows its guests and starts a stopped VM, updating without a reload', async () => {
    const { page } = w;
    await page.getByRole('link', { name: 'Dashboard' }).first().click();
    const rows = page.getByTestId('guest-row');
    await rows.filter({ hasText: 'web-01' }).waitFor();
    expect(await rows.count()).toBe(4);
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    const off = rows.filter({ hasText: 'off-01' });
    expect(await off.getAttribute('data-status')).toBe('stopped');
    await off.getByRole('button', { name: 'Start off-01' }).click();
    await expect.poll(() => off.getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    await off.getByText('Running').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(sim.guest(103)?.status).toBe('running');
  });

  it('opens the console and shows the guest’s screen', async () => {
    const { page } = w;
    await page.getByTestId('guest-row').filter({ hasText: 'web-01' }).getByRole('link', { name: 'Console' }).click();
    await page.waitForURL(/\/vms\/100\/console$/);
    await waitForPhase(page, ['connected']);
    await waitForSimFrame(page);
    await page.getByRole('heading', { name: 'web-01' }).waitFor();
    expect(await page.getByTestId('view-only-badge').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'console-dark.png') });
    expect(describeFindings('console', await axeViolations(page))).toEqual([]);
  });

  it('sends Ctrl+Alt+Del to the guest', async () => {
    const recorder = recorderOf(100);
    recorder.clear();
    await w.page.getByRole('button', { name: 'Ctrl+Alt+Del' }).click();
    await recorder.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));
  });

  it('pastes as clipboard and as keystrokes, and shows the guest’s clipboard', async () => {
    const { page } = w;
    const recorder = recorderOf(100);
    recorder.clear();
    await page.getByRole('button', { name: 'Paste' }).click();
    await page.getByLabel('Text to send').fill('hello from nexus');
    await page.getByLabel(/^Clipboard/).check();
    await page.getByRole('button', { name: 'Send to guest' }).click();
    await recorder.waitFor((r) => r.clientCutText.includes('hello from nexus'));

    await page.getByRole('button', { name: 'Paste' }).click();
    await page.getByLabel('Text to send').fill('ls -l');
    await page.getByLabel(/^Keystrokes/).check();
    await page.getByRole('button', { name: 'Send to guest' }).click();
    const typed = await recorder.waitFor((r) => {
      const downs = r.keyEvents.filter((k) => k.down).map((k) => String.fromCharCode(k.keysym));
      return downs.join('').includes('ls -l') ? downs.join('') : null;
    });
    expect(typed).toContain('ls -l');

    recorder.sendServerCutText('copied inside the guest');
    await page.getByRole('button', { name: 'Paste' }).click();
    await page.getByTestId('guest-clipboard').getByText('copied inside the guest').waitFor();
    await page.keyboard.press('Escape');
  });

  it('reconnects with a fresh ticket when the upstream dies', async () => {
    const { page } = w;
    sim.setFault({ down: true });
    await waitForPhase(page, ['waiting', 'requesting', 'connecting'], 15_000);
    await page.getByTestId('console-close-title').waitFor();
    const title = await page.getByTestId('console-close-title').textContent();
    expect(title).toMatch(/Proxmox|connection|console/i);
    sim.clearFaults();
    await waitForPhase(page, ['connected'], 40_000);
    await waitForSimFrame(page);
    expect(await consolePhase(page)).toBe('connected');
  });

  it('says a stopped guest is not running, offers Start without retrying, and connects once it runs (issue 16)', async () => {
    const { page } = w;
    // A VM that stops while its console is open: the reason, no reconnect loop.
    sim.guest(100)?.setRunning(false, Date.now());
    await waitForPhase(page, ['closed'], 15_000);
    expect(await page.getByTestId('console-close-title').textContent()).toBe('The guest is not running');
    // The last picture stays, dimmed, instead of a black screen.
    await page.locator('[data-testid="console-screen"] [data-last-frame] canvas').waitFor();
    await waitForSimFrame(page, 3_000);
    await page.getByRole('button', { name: 'Start the guest' }).waitFor();
    await page.waitForTimeout(2_500);
    expect(await consolePhase(page)).toBe('closed');
    expect(await page.getByText(/Reconnecting in/).count()).toBe(0);
    // Start: the console connects when the guest runs.
    await page.getByRole('button', { name: 'Start the guest' }).click();
    await waitForPhase(page, ['connected'], 30_000);
    await waitForSimFrame(page);
    // A container that is stopped when its console is opened: the same, before any ticket.
    sim.guest(102)?.setRunning(false, Date.now());
    await page.goto(`/tenants/${env.tenantId}/servers/${serverIdOf(page)}/vms/102/console`);
    await waitForPhase(page, ['closed'], 15_000);
    expect(await page.getByTestId('console-close-title').textContent()).toBe('The guest is not running');
    expect(await page.getByText('The container is not running').count()).toBe(1);
    await page.getByRole('button', { name: 'Start the guest' }).waitFor();
    expect(await page.getByText(/Reconnecting in/).count()).toBe(0);
  });

  it('ran without dialogs, CSP violations or page errors', () => {
    expect(w.dialogs).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});
