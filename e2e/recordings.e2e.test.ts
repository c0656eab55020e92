// Console recordings under a real browser (issue 21): a recorded console says so on screen; once
// it ends the recording is listed, opens in the player (noVNC fed from the recording), plays,
// seeks, and the audit log links to it. Relays run in worker processes here, so the recording is
// written by a worker.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../pve-sim/index';
import { singleNodeScenario } from '../test/helpers/scenario';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage, type Watched } from './helpers/browser';
import { waitForPhase, waitForSimFrame } from './helpers/console';
import { type E2eEnv, PASSWORD, registerSim, simAt, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

const SCENARIO = singleNodeScenario(5, [{ vmid: 100, name: 'web-01' }]);

let env: E2eEnv;
let sim: SimServer;
let browser: Browser;
let w: Watched;
let serverId: string;

beforeAll(async () => {
  env = await startE2eEnv({ sim: { scenario: SCENARIO } });
  sim = simAt(env.sim, 0);
  serverId = await registerSim(env.admin.client, env.tenantId, sim);
  const res = await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { consoleRecording: 'all' });
  expect(res.status).toBe(200);
  env.t.nexus.services.recordings.tuning.keyframeEveryMs = 1_000;
  browser = await launchBrowser();
  w = await newWatchedPage(browser, env.url);
});
afterBrowserTests(() => [browser, env]);

/** Moves the player's slider as a user dragging it would (React hears the input event). */
async function seekTo(page: Watched['page'], ms: number): Promise<void> {
  await page.getByTestId('recording-seek').evaluate((el, value) => {
    const input = el as HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setter?.call(input, String(value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

describe('console recordings in a browser', () => {
  it('records a console, lists it, plays and seeks it in the player; the audit log links to it', async () => {
    const { page } = w;
    expect(env.t.nexus.services.consoles.relayWorkerPids).toHaveLength(2);
    await loginViaUi(page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}/servers/${serverId}/vms/100/console`);
    await waitForPhase(page, ['connected']);
    await waitForSimFrame(page);
    await expect.poll(() => page.getByTestId('recorded-badge').isVisible()).toBe(true);
    // Some typing over a few seconds (keyframes every second here).
    await page.getByTestId('console-screen').click();
    for (const word of ['recorded', 'console']) {
      await page.keyboard.type(word, { delay: 60 });
      await page.waitForTimeout(1_200);
    }
    await page.goto(`/tenants/${env.tenantId}/recordings`);
    const row = page.getByTestId('recording-row').first();
    await expect.poll(() => row.isVisible(), { timeout: 15_000 }).toBe(true);
    const recordingId = await row.getAttribute('data-recording');
    await row.getByRole('link').click();
    await page.waitForURL(new RegExp(`/recordings/${recordingId}$`));

    // The first picture, from the start.
    await waitForSimFrame(page, 15_000, 'recording-screen');
    const detail = await env.admin.client.get(`/api/tenants/${env.tenantId}/recordings/${recordingId}`);
    expect(detail.body.durationMs).toBeGreaterThan(2_000);
    expect(detail.body.keyframesMs.length).toBeGreaterThanOrEqual(2);

    // Play: the clock moves.
    const screen = page.getByTestId('recording-screen');
    await page.getByTestId('recording-play').click();
    await expect
      .poll(async () => Number(await screen.getAttribute('data-position')), { timeout: 5_000 })
      .toBeGreaterThan(300);
    await page.getByTestId('recording-play').click(); // pause

    // Seek near the end: a fresh picture from the keyframe before it, quickly.
    const target = detail.body.durationMs - 500;
    const started = Date.now();
    await seekTo(page, target);
    await expect
      .poll(async () => Number(await screen.getAttribute('data-position')), { timeout: 5_000 })
      .toBeGreaterThanOrEqual(target - 100);
    await waitForSimFrame(page, 5_000, 'recording-screen');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await page.getByTestId('recording-event-mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'recording-player-light.png') });
    expect(describeFindings('recording player', await axeViolations(page))).toEqual([]);

    // The audit log's console rows link to the recording.
    await page.goto(`/tenants/${env.tenantId}/audit`);
    const link = page.getByTestId('audit-recording-link').first();
    await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
    await link.click();
    await page.waitForURL(new RegExp(`/recordings/${recordingId}$`));
    expect(w.pageErrors).toEqual([]);
  });
});
