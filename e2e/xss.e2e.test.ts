// Strings from Proxmox (guest names, tags, task exit statuses) and from users (server and tenant names) are data:
// for each string of an XSS corpus, no page runs script — no dialog fires, the CSP reports
// nothing, no element is injected — and the string is shown as the text it is.
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage, type Watched } from './helpers/browser';
import { waitForPhase } from './helpers/console';
import { type E2eEnv, makeMember, PASSWORD, registerSim, simAt, startE2eEnv } from './helpers/env';

const XSS_CORPUS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '"><svg onload=alert(3)>',
  'javascript:alert(4)',
  `'';!--"<XSS>=&{()}`,
  '<iframe src="javascript:alert(5)"></iframe>',
  "{{constructor.constructor('alert(6)')()}}",
  '<a href="javascript:alert(7)">click</a>',
  '</title><script>alert(8)</script>',
  '<details open ontoggle=alert(9)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: literal template syntax, to be shown as text
  '${alert(10)}',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>',
  '<body onload=alert(12)>',
  '<input autofocus onfocus=alert(13)>',
] as const;

const SCENARIO = {
  seed: 3,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: XSS_CORPUS.map((name, i) => ({
        vmid: 100 + i,
        type: (i % 4 === 3 ? 'lxc' : 'qemu') as 'qemu' | 'lxc',
        node: 'pve1',
        name,
        status: (i % 2 === 0 ? 'running' : 'stopped') as 'running' | 'stopped',
        tags: i === 0 ? ['<b>bold</b>', 'x" onmouseover="alert(14)'] : [],
        description: '<script>alert("notes")</script>',
      })),
    },
  ],
};

let env: E2eEnv;
let browser: Browser;
let w: Watched;
let serverId: string;

/** Elements a successful injection would have created (the app itself renders none of these). */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll(
        'img[src="x"], svg[onload], iframe, details[ontoggle], input[onfocus], body[onload], a[href^="javascript:"], script:not([src]), xss, mglyph',
      ),
    ].map((e) => e.outerHTML.slice(0, 80)),
  );
}

async function expectSafe(page: Page) {
  expect(await injected(page)).toEqual([]);
  expect(w.dialogs).toEqual([]);
  expect(w.cspViolations).toEqual([]);
  expect(w.pageErrors).toEqual([]);
}

beforeAll(async () => {
  env = await startE2eEnv({ sim: { scenario: SCENARIO }, tenantName: '<img src=x onerror=alert(20)> Tenant' });
  serverId = await registerSim(env.admin.client, env.tenantId, simAt(env.sim, 0), '<svg onload=alert(21)>');
  browser = await launchBrowser();
  w = await newWatchedPage(browser, env.url);
  await loginViaUi(w.page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}`);
});

afterBrowserTests(() => [browser, env]);

describe('XSS corpus as Proxmox data', () => {
  it('the dashboard shows every hostile name as text, in the table and as cards', async () => {
    const { page } = w;
    await page.getByTestId('guest-row').first().waitFor();
    expect(await page.getByTestId('guest-row').count()).toBe(XSS_CORPUS.length);
    for (const name of XSS_CORPUS) {
      await page.getByTestId('guest-row').getByText(name, { exact: true }).first().waitFor();
    }
    await page.getByTestId('guest-row').getByText('<b>bold</b>', { exact: true }).first().waitFor();
    await expectSafe(page);
    await page.getByRole('button', { name: 'Card view' }).click();
    await page.getByTestId('guest-card').first().waitFor();
    for (const name of XSS_CORPUS) {
      await page.getByTestId('guest-card').getByText(name, { exact: true }).first().waitFor();
    }
    // Hover every tag (an injected onmouseover would fire now).
    for (const tag of await page.getByText('x" onmouseover="alert(14)', { exact: true }).all()) await tag.hover();
    await expectSafe(page);
  });

  it('guest pages, the console title, servers, monitoring and the explorer stay inert', async () => {
    const { page } = w;
    const base = `/tenants/${env.tenantId}`;
    for (const vmid of [100, 101, 102, 105, 111]) {
      await page.goto(`${base}/servers/${serverId}/vms/${vmid}`);
      await page.getByRole('heading', { name: XSS_CORPUS[vmid - 100], exact: true, level: 1 }).waitFor();
      await expectSafe(page);
    }
    // The console shows the desktop name pve-sim sends in ServerInit (the hostile VM name).
    await page.goto(`${base}/servers/${serverId}/vms/100/console`);
    await waitForPhase(page, ['connected']);
    await page.getByRole('heading', { name: XSS_CORPUS[0], exact: true }).waitFor();
    expect(await page.title()).toContain(XSS_CORPUS[0]);
    await expectSafe(page);
    for (const url of [`${base}/servers`, `${base}/servers/${serverId}`, `${base}/monitoring`, '/tenants', '/admin']) {
      await page.goto(url);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
      await expectSafe(page);
    }
    await page.goto(`${base}/explorer?server=${serverId}&path=cluster/resources`);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('json-view').getByText(`"${XSS_CORPUS[2]}"`, { exact: true }).first().waitFor();
    await expectSafe(page);
  });

  it('notifications name hostile guests as text', async () => {
    // Another member's power action becomes a notification for the admin.
    const manager = await makeMember(env, 'manager');
    const res = await manager.client.post(`/api/tenants/${env.tenantId}/servers/${serverId}/vms/101/actions/start`);
    expect(res.status).toBeLessThan(300);
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}`);
    await page.getByTestId('guest-row').first().waitFor();
    const bell = page.getByRole('button', { name: /Notifications/ });
    await expect.poll(async () => bell.getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/unread/);
    await bell.click();
    await page.getByRole('dialog').getByText(`ran start on ${XSS_CORPUS[1]}`, { exact: false }).waitFor();
    await expectSafe(page);
  });

  it("a failed task's hostile exit status shows as text in its toast", async () => {
    // Proxmox puts whatever a hook script or storage printed into a task's error (pve-sim taskError).
    const exitstatus = '<img src=x onerror=alert(30)><script>alert(31)</script>';
    const guest = simAt(env.sim, 0).guest(104);
    if (!guest) throw new Error('no guest 104');
    guest.taskError = exitstatus;
    try {
      const { page } = w;
      await page.goto(`/tenants/${env.tenantId}`);
      await page.getByTestId('guest-row').first().waitFor();
      const action = guest.status === 'running' ? 'stop' : 'start';
      const res = await env.admin.client.post(
        `/api/tenants/${env.tenantId}/servers/${serverId}/vms/104/actions/${action}`,
      );
      expect(res.status).toBeLessThan(300);
      await page.getByText(exitstatus, { exact: true }).first().waitFor({ timeout: 15_000 });
      await page.getByText('Guest 104 on <svg onload=alert(21)>: task failed', { exact: true }).first().waitFor();
      await expectSafe(page);
    } finally {
      guest.taskError = undefined;
    }
  });
});
