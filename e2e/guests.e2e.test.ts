// Guests beyond power in the browser (issue 18): snapshots taken, rolled back and deleted from the
// guest page, and a bulk shutdown of three guests from the list with a result per guest.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../pve-sim/index';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage, type Watched } from './helpers/browser';
import { waitForPhase, waitForSimFrame } from './helpers/console';
import { type E2eEnv, makeMember, PASSWORD, registerSim, simAt, startE2eEnv } from './helpers/env';
import { SCREENSHOT_DIR } from './helpers/screenshots';

const SCENARIO = {
  seed: 8,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'web-01', status: 'running' as const },
        { vmid: 101, type: 'qemu' as const, node: 'pve1', name: 'web-02', status: 'running' as const, agent: true },
        { vmid: 102, type: 'lxc' as const, node: 'pve1', name: 'ct-01', status: 'running' as const },
        { vmid: 103, type: 'qemu' as const, node: 'pve1', name: 'db-01', status: 'running' as const },
      ],
    },
  ],
};

let env: E2eEnv;
let browser: Browser;
let sim: SimServer;
let serverId: string;
let w: Watched;

beforeAll(async () => {
  env = await startE2eEnv({ sim: { scenario: SCENARIO } });
  sim = simAt(env.sim, 0);
  serverId = await registerSim(env.admin.client, env.tenantId, sim, 'pve-main');
  browser = await launchBrowser();
  w = await newWatchedPage(browser, env.url);
  await loginViaUi(w.page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}`);
});

afterBrowserTests(() => [browser, env]);

describe('guests beyond power', () => {
  it('takes a snapshot, rolls back to it and deletes it from the guest page', async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}/vms/103`);
    await page.getByRole('heading', { name: 'db-01', level: 1 }).waitFor();
    const tree = () => page.getByTestId('snapshot-tree');
    for (const name of ['before-upgrade', 'after-upgrade']) {
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill(name);
      if (name === 'before-upgrade') {
        await dialog.getByLabel('Description (optional)').fill('known good');
        await dialog.getByLabel(/Include the RAM state/).check();
      }
      await dialog.getByRole('button', { name: 'Take snapshot' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await tree().locator(`[data-snapshot="${name}"]`).waitFor({ timeout: 15_000 });
    }
    expect(sim.guest(103)?.snapshots.size).toBe(2);
    // "Now" sits under the newest.
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'guest-snapshots-light.png') });
    expect(describeFindings('snapshots', await axeViolations(page))).toEqual([]);

    const first = tree().locator('[data-snapshot="before-upgrade"]');
    await first.getByText('RAM').waitFor();
    await first.getByRole('button', { name: 'Roll back' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText(/Everything the guest wrote since before-upgrade is lost/).waitFor();
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => sim.guest(103)?.parent ?? null, { timeout: 15_000 }).toBe('before-upgrade');

    await tree()
      .locator('[data-snapshot="after-upgrade"]')
      .getByRole('button', { name: 'Delete snapshot after-upgrade' })
      .click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await tree().locator('[data-snapshot="after-upgrade"]').waitFor({ state: 'detached', timeout: 15_000 });
    expect([...(sim.guest(103)?.snapshots.keys() ?? [])]).toEqual(['before-upgrade']);
  });

  it("shows the guest's addresses, network cards, disks and a task's log", async () => {
    const { page } = w;
    const reboot = await env.admin.client.post(
      `/api/tenants/${env.tenantId}/servers/${serverId}/vms/101/actions/reboot`,
    );
    expect(reboot.status).toBe(200);
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}/vms/101`);
    await page.getByRole('heading', { name: 'web-02', level: 1 }).waitFor();
    const addresses = page.getByTestId('guest-addresses');
    await addresses.locator('code').first().waitFor();
    expect(await addresses.locator('code').first().textContent()).toMatch(/^[0-9a-f.:]+\/\d+$/);
    await page.getByRole('list', { name: 'Network cards' }).getByText('net0').waitFor();
    await page.getByTestId('guest-disks').getByText('scsi0').waitFor();
    const task = page.getByTestId('guest-task').and(page.locator('[data-type="qmreboot"]'));
    await task.waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await task.textContent()) ?? '', { timeout: 15_000 }).toContain('OK');
    await task.getByRole('button', { name: /^Log of qmreboot/ }).click();
    await page
      .getByTestId('task-log')
      .getByText(/TASK OK/)
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'guest-task-log-light.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('task-log').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'web-02', level: 1 }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'guest-depth-light.png') });
    expect(describeFindings('guest depth', await axeViolations(page))).toEqual([]);
  });

  it('backs a guest up now and lists the archive', async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}/vms/101`);
    await page.getByRole('heading', { name: 'web-02', level: 1 }).waitFor();
    const rows = page.getByTestId('guest-backup');
    const before = await rows.count();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText('Backup started').waitFor();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(before + 1);
    expect(await rows.first().getAttribute('data-volid')).toMatch(/vzdump-qemu-101-/);
  });

  it("shows the server's nodes with their version and its storages with usage", async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}`);
    const node = page.getByTestId('server-node').and(page.locator('[data-node="pve1"]'));
    await node.waitFor();
    await expect.poll(async () => (await node.textContent()) ?? '').toMatch(/\d+\.\d+/);
    const local = page.getByTestId('server-storage').and(page.locator('[data-storage="local"]'));
    await local.getByText(/ of /).waitFor();
    await page.getByRole('heading', { name: 'Nodes' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'server-nodes-light.png') });
  });

  it('shares a console as a manager: a stranger opens it without an account, and revoking closes it with a reason', async () => {
    expect(
      (await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { consoleSharing: 'control' })).status,
    ).toBe(200);
    const manager = await makeMember(env, 'manager');
    const m = await newWatchedPage(browser, env.url, { permissions: ['clipboard-read', 'clipboard-write'] });
    const stranger = await newWatchedPage(browser, env.url);
    try {
      await loginViaUi(m.page, manager.email, PASSWORD, `/tenants/${env.tenantId}/servers/${serverId}/vms/100`);
      await m.page.getByRole('heading', { name: 'web-01', level: 1 }).waitFor();
      await m.page.getByRole('button', { name: 'Share console' }).click();
      const dialog = m.page.getByRole('dialog');
      await dialog.getByLabel('The recipient may').selectOption('control');
      await dialog.getByLabel('Note (optional)').fill('ACME support, ticket 4711');
      await dialog.getByRole('button', { name: 'Create link' }).click();
      const link = await dialog.getByRole('textbox', { name: 'Share link' }).inputValue();
      expect(link).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
      await dialog.getByRole('img', { name: 'QR code of the share link' }).waitFor();
      await m.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'share-created-light.png') });
      await dialog.getByRole('button', { name: 'Close' }).first().click();

      // The stranger: no session, just the link.
      await stranger.page.goto(new URL(link).pathname);
      await stranger.page.getByText('web-01').first().waitFor();
      await waitForPhase(stranger.page, ['connected']);
      await waitForSimFrame(stranger.page);
      await stranger.page
        .getByTestId('share-expiry')
        .getByText(/link expires in/)
        .waitFor();
      await stranger.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'share-recipient-dark.png') });
      // The rest of Nexus is not theirs.
      expect((await stranger.page.request.get('/api/auth/me')).status()).toBe(401);

      // The manager sees who is on it, and revokes it.
      const list = m.page.getByTestId('share-list');
      await list.getByText(/ACME support, ticket 4711/).waitFor();
      await expect
        .poll(async () => (await list.getByTestId('share-watching').count()) > 0, { timeout: 20_000 })
        .toBe(true);
      await list.getByRole('button', { name: 'Revoke share link' }).click();
      await m.page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
      await waitForPhase(stranger.page, ['closed'], 10_000);
      await stranger.page
        .getByTestId('console-close-title')
        .getByText('Your access to this console was revoked')
        .waitFor();
      await stranger.page.getByText('the share link was revoked').waitFor();
      expect(stranger.pageErrors).toEqual([]);
      expect(stranger.cspViolations).toEqual([]);
      expect(m.cspViolations).toEqual([]);
    } finally {
      await m.context.close();
      await stranger.context.close();
    }
  });

  it('opens a container terminal: prompt, typing, paste, copy and resize reach Proxmox', async () => {
    const { page } = w;
    await w.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}/vms/102`);
    // A container's default console is its terminal (tenant setting defaultConsole): offered first.
    const defaultConsole = page.locator('a[data-default-console]');
    await expect.poll(async () => (await defaultConsole.textContent()) ?? '', { timeout: 10_000 }).toBe('Terminal');
    await page.getByRole('link', { name: 'Terminal' }).click();
    await page.waitForURL(/\/vms\/102\/terminal$/);
    const phase = page.getByTestId('terminal-phase');
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('connected');
    const rows = page.locator('[data-testid="terminal-screen"] .xterm-rows');
    await expect.poll(async () => (await rows.textContent()) ?? '', { timeout: 10_000 }).toMatch(/[#$]/);
    await page.locator('[data-testid="terminal-screen"] .xterm-helper-textarea').focus();
    await page.keyboard.type('echo typed-in-nexus');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await rows.textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/typed-in-nexus.*typed-in-nexus/s);
    const rec = sim.guest(102)?.terminal;
    expect(rec).toBeDefined();
    expect(rec?.inputText).toContain('echo typed-in-nexus');
    // Paste from the clipboard is typed into the terminal.
    await page.evaluate(() => navigator.clipboard.writeText('echo from-clipboard\r'));
    await page.getByRole('button', { name: 'Paste' }).click();
    await expect.poll(() => rec?.inputText ?? '', { timeout: 5000 }).toContain('echo from-clipboard');
    // Copy: the selection goes to the clipboard.
    await page.locator('[data-testid="terminal-screen"] .xterm-screen').dblclick({ position: { x: 30, y: 8 } });
    await page.getByRole('button', { name: 'Copy' }).click();
    expect((await page.evaluate(() => navigator.clipboard.readText())).length).toBeGreaterThan(0);
    // A larger font changes the grid: the new size reaches Proxmox.
    const before = rec?.resizes.at(-1);
    expect(before).toBeDefined();
    await page.getByRole('button', { name: 'Larger text' }).click();
    await page.getByRole('button', { name: 'Larger text' }).click();
    await expect.poll(() => rec?.resizes.at(-1)?.cols ?? 0, { timeout: 5000 }).toBeLessThan(before?.cols ?? 0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'terminal-dark.png') });
    expect(w.pageErrors).toEqual([]);
    expect(w.cspViolations).toEqual([]);
  });

  it('opens a node shell for a tenant admin once the tenant allows it: Proxmox’s login prompt for a token', async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}`);
    await page.getByTestId('server-node').first().waitFor();
    expect(await page.getByRole('link', { name: 'Shell' }).count()).toBe(0);
    expect((await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { nodeShell: true })).status).toBe(200);
    await page.reload();
    await page.getByRole('link', { name: 'Shell' }).click();
    await page.waitForURL(/\/nodes\/pve1\/shell$/);
    await page.getByText('Node shell', { exact: true }).waitFor();
    const rows = page.locator('[data-testid="terminal-screen"] .xterm-rows');
    await expect.poll(async () => (await rows.textContent()) ?? '', { timeout: 15_000 }).toMatch(/pve1 login:/);
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { nodeShell: false });
    await expect
      .poll(() => page.getByTestId('terminal-phase').getAttribute('data-phase'), { timeout: 10_000 })
      .toBe('closed');
    await page
      .getByTestId('terminal-close-title')
      .getByText(/revoked/)
      .waitFor();
  });

  it('shuts down three guests at once from the list, with a result per guest', async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}`);
    const rows = page.getByTestId('guest-row');
    await rows.filter({ hasText: 'web-01' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select web-01' }).click();
    // Shift-click selects the range web-01 … ct-01 (the list is sorted by name: ct-01, db-01, web-01, web-02).
    await page.getByRole('checkbox', { name: 'Select ct-01' }).click({ modifiers: ['Shift'] });
    const bar = page.getByRole('toolbar', { name: 'Actions on the selected guests' });
    await bar.getByText('3 selected').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'bulk-actions-light.png') });
    await bar.getByRole('button', { name: 'Shut down' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Shut down' }).click();
    const outcome = page.getByTestId('bulk-outcome');
    await outcome.getByText('Shut down: 3 of 3 started').waitFor();
    for (const vmid of [100, 102, 103]) {
      await expect.poll(() => sim.guest(vmid)?.status, { timeout: 20_000 }).toBe('stopped');
    }
    expect(sim.guest(101)?.status).toBe('running');
    expect(w.pageErrors).toEqual([]);
  });
});
