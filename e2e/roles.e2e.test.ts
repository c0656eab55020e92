// What each kind of member sees (DESIGN.md §5): a viewer gets a view-only console and no power
// buttons, and input never reaches the guest; a member of another tenant gets nothing, exactly
// as if the tenant did not exist.
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../pve-sim/index';
import { makeTenant } from '../test/helpers/factories';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage } from './helpers/browser';
import { waitForPhase, waitForSimFrame } from './helpers/console';
import { type E2eEnv, makeMember, PASSWORD, registerSim, simAt, sleep, startE2eEnv } from './helpers/env';

const SCENARIO = {
  seed: 5,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'web-01', status: 'running' as const },
        { vmid: 101, type: 'qemu' as const, node: 'pve1', name: 'db-01', status: 'stopped' as const },
        { vmid: 102, type: 'lxc' as const, node: 'pve1', name: 'ct-01', status: 'running' as const },
      ],
    },
  ],
};

let env: E2eEnv;
let browser: Browser;
let sim: SimServer;
let serverId: string;

beforeAll(async () => {
  env = await startE2eEnv({ sim: { scenario: SCENARIO } });
  sim = simAt(env.sim, 0);
  serverId = await registerSim(env.admin.client, env.tenantId, sim, 'pve-main');
  browser = await launchBrowser();
});

afterBrowserTests(() => [browser, env]);

describe('roles in the browser', () => {
  it('a viewer sees guests without power actions and gets a view-only console', async () => {
    const viewer = await makeMember(env, 'viewer');
    const w = await newWatchedPage(browser, env.url);
    const { page } = w;
    await loginViaUi(page, viewer.email, PASSWORD, `/tenants/${env.tenantId}`);
    const rows = page.getByTestId('guest-row');
    await rows.filter({ hasText: 'web-01' }).waitFor();
    expect(await rows.count()).toBe(3);
    // No power control anywhere; a Console control per guest.
    for (const name of ['Start', 'Shut down', 'Stop', 'Reboot', 'Reset', 'Suspend', 'Resume']) {
      expect(await page.getByRole('button', { name: new RegExp(`^${name} `) }).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: /^More actions/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Console' }).count()).toBe(3);
    // Pages for admins and managers are not offered.
    const nav = page.getByRole('navigation', { name: 'Main' }).first();
    for (const item of ['Members', 'Audit log', 'Settings']) {
      expect(await nav.getByRole('link', { name: item, exact: true }).count()).toBe(0);
    }
    await page.goto(`/tenants/${env.tenantId}/settings`);
    await page.getByText('No access').waitFor();

    // The console: view-only, input controls off, and keys never reach pve-sim.
    const recorder = sim.guest(100)?.recorder;
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}/vms/100/console`);
    await waitForPhase(page, ['connected']);
    await waitForSimFrame(page);
    await page.getByTestId('view-only-badge').waitFor();
    expect(await page.getByRole('button', { name: 'Ctrl+Alt+Del' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Paste' }).isDisabled()).toBe(true);
    recorder?.clear();
    await page.getByTestId('console-screen').click();
    await page.keyboard.type('rm -rf /');
    await page.keyboard.press('Control+Alt+Delete');
    await sleep(500);
    expect(recorder?.keyEvents ?? []).toEqual([]);
    expect(recorder?.pointerEvents ?? []).toEqual([]);
    expect(w.dialogs).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    await w.context.close();
  });

  it('a manager gets power actions and an interactive console', async () => {
    const manager = await makeMember(env, 'manager');
    const w = await newWatchedPage(browser, env.url);
    const { page } = w;
    await loginViaUi(page, manager.email, PASSWORD, `/tenants/${env.tenantId}`);
    const db = page.getByTestId('guest-row').filter({ hasText: 'db-01' });
    await db.getByRole('button', { name: 'Start db-01' }).waitFor();
    const web = page.getByTestId('guest-row').filter({ hasText: 'web-01' });
    await web.getByRole('button', { name: 'More actions for web-01' }).click();
    // Destructive actions ask first.
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText(/like pulling the power cord/).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(sim.guest(100)?.status).toBe('running');
    await web.getByRole('link', { name: 'Console' }).click();
    await waitForPhase(page, ['connected']);
    expect(await page.getByTestId('view-only-badge').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Ctrl+Alt+Del' }).isDisabled()).toBe(false);
    await w.context.close();
  });

  it('the explorer says plainly what it will not relay, to whom', async () => {
    const vncproxyCalls = () => sim.requestLog.filter((r) => r.path.endsWith('/vncproxy')).length;
    const before = vncproxyCalls();
    const viewer = await makeMember(env, 'viewer');
    const w = await newWatchedPage(browser, env.url);
    const { page } = w;
    await loginViaUi(page, viewer.email, PASSWORD, `/tenants/${env.tenantId}/explorer?server=${serverId}&path=version`);
    await page.getByTestId('json-view').getByText('9.1', { exact: false }).first().waitFor();
    await page.getByRole('textbox', { name: 'Path' }).fill('access/permissions');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not available to your role' }).waitFor();
    await page.getByRole('textbox', { name: 'Path' }).fill('nodes/pve1/qemu/100/vncproxy');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').filter({ hasText: 'Nexus never relays this endpoint' }).waitFor();
    // The tree marks what will not be relayed instead of fetching it.
    await page.getByRole('button', { name: 'Expand access' }).click();
    await page.getByText('not relayed by Nexus').first().waitFor();
    await w.context.close();

    // Global admins are refused the same endpoint, by the server too.
    const res = await env.admin.client.post(
      `/api/tenants/${env.tenantId}/servers/${serverId}/pve/nodes/pve1/qemu/100/vncproxy`,
      { websocket: 1 },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('explorer.endpoint_denied');
    expect(vncproxyCalls()).toBe(before);
    expect(w.cspViolations).toEqual([]);
  });

  it('a member of another tenant gets nothing', async () => {
    const other = await makeTenant(env.t, env.admin, { name: 'Other Org' });
    const outsider = await makeMember(env, 'admin', other.id);
    const w = await newWatchedPage(browser, env.url);
    const { page } = w;
    await loginViaUi(page, outsider.email, PASSWORD);
    // Their own tenant only, in the switcher and the picker.
    await page.goto('/tenants');
    await page.getByRole('link', { name: /Other Org/ }).waitFor();
    expect(await page.getByText(env.tenantName).count()).toBe(0);
    for (const url of [
      `/tenants/${env.tenantId}`,
      `/tenants/${env.tenantId}/servers/${serverId}`,
      `/tenants/${env.tenantId}/members`,
    ]) {
      await page.goto(url);
      await page.getByText('Tenant not found').waitFor();
      expect(await page.getByText('web-01').count()).toBe(0);
    }
    await page.goto(`/tenants/${env.tenantId}/servers/${serverId}/vms/100/console`);
    await page.getByText('Tenant not found').waitFor();
    expect(await page.locator('[data-testid="console-screen"] canvas').count()).toBe(0);
    await w.context.close();
  });
});
