// The operator's other pages against the real server: CSV import with a dry-run preview of line
// errors, the connectivity test's diagnosis, health alerts when a server goes offline, guests
// changing under another member's hand (event stream), who else is on a console, inviting a
// member, tenant branding, and an API token shown once.
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../pve-sim/index';
import { makeUser } from '../test/helpers/factories';
import { axeViolations, describeFindings } from './helpers/axe';
import { afterBrowserTests, launchBrowser, loginViaUi, newWatchedPage, type Watched } from './helpers/browser';
import { waitForPhase } from './helpers/console';
import { type E2eEnv, makeMember, PASSWORD, registerSim, simAt, startE2eEnv } from './helpers/env';

let env: E2eEnv;
let browser: Browser;
let w: Watched;
let main: SimServer;
let spare: SimServer;
let mainId: string;

beforeAll(async () => {
  env = await startE2eEnv({ sim: { servers: 3, vms: 4 } });
  main = simAt(env.sim, 0);
  spare = simAt(env.sim, 2);
  mainId = await registerSim(env.admin.client, env.tenantId, main, 'pve-main');
  browser = await launchBrowser();
  w = await newWatchedPage(browser, env.url);
  await loginViaUi(w.page, env.admin.email, PASSWORD, `/tenants/${env.tenantId}/servers`);
});

afterBrowserTests(() => [browser, env]);

describe('operator pages', () => {
  it('imports servers from CSV after a dry run that lists each bad line', async () => {
    const { page } = w;
    const b = simAt(env.sim, 1);
    const csv = [
      'name,host,port,api_token,tls_mode,tls_fingerprint,use_tailscale,tailscale_hostname,connection_timeout_ms',
      `pve-imported,${b.host},${b.port},${b.token},pinned,${b.fingerprint},false,,5000`,
      `no-host,,8006,${b.token},insecure,,false,,`,
      `bad-token,${b.host},8006,not-a-token,insecure,,false,,`,
    ].join('\n');
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('CSV').fill(csv);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByTestId('import-preview');
    await preview.getByText('1 server(s) would be created').waitFor();
    for (const line of ['3', '4']) await preview.getByRole('cell', { name: line, exact: true }).waitFor();
    expect(await page.getByTestId('server-row').filter({ hasText: 'pve-imported' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Import 1' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('server-row').filter({ hasText: 'pve-imported' }).waitFor();
  });

  it('tests a connection and says what the token may do', async () => {
    const { page } = w;
    await page.getByTestId('server-row').getByRole('link', { name: 'pve-main' }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('test-result');
    await result.getByText('Connection works').waitFor();
    await result.getByText('Power actions (VM.PowerMgmt)').waitFor();
    expect(await result.getByText('(matches the pin)', { exact: false }).count()).toBe(1);
  });

  it('raises a health alert (toast and banner) when a server goes offline, and clears it', async () => {
    const { page } = w;
    await registerSim(env.admin.client, env.tenantId, spare, 'pve-spare');
    await page.goto(`/tenants/${env.tenantId}`);
    await page
      .getByTestId('server-card')
      .filter({ hasText: 'pve-spare' })
      .getByText('Online')
      .waitFor({ timeout: 20_000 });
    spare.setFault({ down: true });
    await page
      .getByRole('alert')
      .filter({ hasText: /pve-spare is unreachable/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .getByTestId('server-banners')
      .getByText(/unreachable since \d/)
      .waitFor();
    spare.clearFaults();
    await page.getByRole('status').filter({ hasText: 'pve-spare is back online' }).waitFor({ timeout: 40_000 });
    await expect
      .poll(
        () =>
          page
            .getByTestId('server-banners')
            .getByText(/pve-spare unreachable/)
            .count(),
        { timeout: 10_000 },
      )
      .toBe(0);
  });

  it("shows another member's power action without a reload (event stream)", async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/servers/${mainId}`);
    const stopped = main.guests().find((g) => g.status === 'stopped' && !g.template);
    if (!stopped) throw new Error('the scenario has no stopped guest');
    const row = page.getByTestId('guest-row').and(page.locator(`[data-vmid="${stopped.vmid}"]`));
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('stopped');
    const manager = await makeMember(env, 'manager');
    const res = await manager.client.post(
      `/api/tenants/${env.tenantId}/servers/${mainId}/vms/${stopped.vmid}/actions/start`,
    );
    expect(res.status).toBeLessThan(300);
    // The list polls every 30 s; within 10 s only the event stream can have told the page.
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
  });

  it('lists who else is on a console', async () => {
    const running = main.guests().find((g) => g.status === 'running' && !g.template);
    if (!running) throw new Error('the scenario has no running guest');
    const viewer = await makeMember(env, 'viewer');
    const other = await newWatchedPage(browser, env.url);
    await loginViaUi(
      other.page,
      viewer.email,
      PASSWORD,
      `/tenants/${env.tenantId}/servers/${mainId}/vms/${running.vmid}/console`,
    );
    await waitForPhase(other.page, ['connected']);
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/servers/${mainId}/vms/${running.vmid}/console`);
    await waitForPhase(page, ['connected']);
    const others = page.getByRole('button', { name: '1 other watching' });
    await others.waitFor({ timeout: 15_000 });
    await others.click();
    await page.getByTestId('console-viewers').getByText(viewer.email).waitFor();
    await other.context.close();
  });

  it('invites a new member who joins through the link', async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/members`);
    await page.getByRole('button', { name: 'Add member' }).click();
    const dialog = page.getByRole('dialog');
    const email = `new-${Date.now()}@example.test`;
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('Role').selectOption('manager');
    await dialog.getByRole('button', { name: 'Add member' }).click();
    const link = (await dialog.getByTestId('invitation-url').textContent()) ?? '';
    const token = new URL(link).pathname;
    await dialog.getByRole('button', { name: 'Done' }).click();

    const invitee = await newWatchedPage(browser, env.url);
    await invitee.page.goto(token);
    await invitee.page.getByText('You are invited as manager', { exact: false }).waitFor();
    await invitee.page.getByLabel('Full name (optional)').fill('New Person');
    await invitee.page.getByLabel('Password').fill('a long enough password');
    await invitee.page.getByRole('button', { name: 'Create account and join' }).click();
    await invitee.page.getByRole('heading', { name: env.tenantName, level: 1 }).waitFor();
    await invitee.context.close();
    await page.reload();
    await page.getByRole('cell', { name: /New Person/ }).waitFor();
  });

  it('lists pending invitations with their expiry and revokes one (issue 16)', async () => {
    const { page } = w;
    await page.goto(`/tenants/${env.tenantId}/members`);
    await page.getByRole('button', { name: 'Add member' }).click();
    const dialog = page.getByRole('dialog');
    const email = `pending-${Date.now()}@example.test`;
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByRole('button', { name: 'Add member' }).click();
    const link = (await dialog.getByTestId('invitation-url').textContent()) ?? '';
    await dialog.getByRole('button', { name: 'Done' }).click();
    const pending = page.getByRole('row').filter({ hasText: email });
    await pending.getByText(/in 7 days/).waitFor();
    await pending.getByRole('button', { name: `Revoke the invitation for ${email}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(`Invitation for ${email} revoked`).waitFor();
    await pending.waitFor({ state: 'detached' });
    const gone = await fetch(`${env.url}/api/auth/invitations/${new URL(link).pathname.split('/').pop()}`);
    expect(gone.status).toBe(400);
  });

  it("a tenant admin's invitation makes an existing user a member only when they accept it", async () => {
    const tenantAdmin = await makeMember(env, 'admin');
    const existing = await makeUser(env.t, { login: false });
    await env.t.database.db
      .updateTable('users')
      .set({ full_name: 'Private Person' })
      .where('id', '=', existing.id)
      .execute();
    const inviter = await newWatchedPage(browser, env.url);
    await loginViaUi(inviter.page, tenantAdmin.email, PASSWORD, `/tenants/${env.tenantId}/members`);
    await inviter.page.getByRole('button', { name: 'Add member' }).click();
    const dialog = inviter.page.getByRole('dialog');
    await dialog.getByLabel('Email').fill(existing.email);
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await dialog.getByTestId('invitation-url').textContent()) ?? '';
    expect(await dialog.getByText('Private Person').count()).toBe(0);
    await inviter.context.close();

    const invitee = await newWatchedPage(browser, env.url);
    await invitee.page.goto(new URL(link).pathname);
    await invitee.page.getByRole('link', { name: 'Sign in to accept' }).click();
    await invitee.page.getByLabel('Email').fill(existing.email);
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await invitee.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await invitee.page.getByText(`You are signed in as ${existing.email}`).waitFor();
    await existing.client.login(existing.email, PASSWORD);
    expect((await existing.client.get(`/api/tenants/${env.tenantId}`)).status).toBe(404);
    await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
    await invitee.page.getByRole('heading', { name: env.tenantName, level: 1 }).waitFor();
    await invitee.context.close();
    expect((await existing.client.get(`/api/tenants/${env.tenantId}`)).status).toBe(200);
  });

  it('shows tenant admins the quotas read-only and still saves their settings', async () => {
    const tenantAdmin = await makeMember(env, 'admin');
    const other = await newWatchedPage(browser, env.url);
    await loginViaUi(other.page, tenantAdmin.email, PASSWORD, `/tenants/${env.tenantId}/settings`);
    for (const label of ['Maximum servers', 'Concurrent consoles (tenant)']) {
      expect(await other.page.getByLabel(label).isDisabled()).toBe(true);
    }
    // Maximum servers, concurrent consoles, and forced recording (issue 21).
    expect(await other.page.getByText('Set by the operator (global admins).').count()).toBe(3);
    expect(await other.page.getByLabel('Always record (set by the operator)').isDisabled()).toBe(true);
    await other.page.getByLabel("Viewers' console").selectOption('none');
    await other.page.getByRole('button', { name: 'Save settings' }).click();
    await other.page.getByText('Settings saved').waitFor();
    await other.context.close();
    const settings = await env.admin.client.get(`/api/tenants/${env.tenantId}/settings`);
    expect(settings.body.viewerConsole).toBe('none');
    await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { viewerConsole: 'view-only' });
  });

  it('restricts a member to chosen guests', async () => {
    const { page } = w;
    const viewer = await makeMember(env, 'viewer');
    await page.goto(`/tenants/${env.tenantId}/members`);
    const row = page.getByRole('row').filter({ hasText: viewer.email });
    await row.getByRole('button', { name: 'Guest access' }).click();
    const dialog = page.getByRole('dialog');
    const guest = main.guests().find((g) => !g.template);
    if (!guest) throw new Error('no guest');
    await dialog
      .getByRole('checkbox', { name: `console ${guest.name}`, exact: true })
      .first()
      .click();
    await dialog.getByText('Restricted to 1 guest.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Save access' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('restricted').waitFor();
    const res = await env.admin.client.get(`/api/tenants/${env.tenantId}/members/${viewer.id}/assignments`);
    expect(res.body).toEqual({
      restricted: true,
      assignments: [{ serverId: mainId, vmid: guest.vmid, permissions: ['console', 'view'] }],
    });

    // Unticking every guest leaves the member restricted to nothing (issue 14, finding 3)…
    await row.getByRole('button', { name: 'Guest access' }).click();
    await dialog
      .getByRole('checkbox', { name: `view ${guest.name}`, exact: true })
      .first()
      .click();
    await dialog.getByText('Restricted to no guests', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Save access' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const emptied = await env.admin.client.get(`/api/tenants/${env.tenantId}/members/${viewer.id}/assignments`);
    expect(emptied.body).toEqual({ restricted: true, assignments: [] });
    await row.getByText('restricted').waitFor();

    // …until an admin lifts the restriction explicitly.
    await row.getByRole('button', { name: 'Guest access' }).click();
    await dialog.getByRole('button', { name: 'Lift restriction (all guests)' }).click();
    await dialog.getByText('Not restricted: every guest of the tenant.').waitFor();
    await dialog.getByRole('button', { name: 'Save access' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('all', { exact: true }).waitFor();
    const lifted = await env.admin.client.get(`/api/tenants/${env.tenantId}/members/${viewer.id}/assignments`);
    expect(lifted.body).toEqual({ restricted: false, assignments: [] });
  });

  it("applies the tenant's branding colour to its pages, readable whatever the colour", async () => {
    const { page } = w;
    // A dark blue and a pale yellow: text on the brand and brand-coloured text both stay AA.
    for (const colour of ['#2563eb', '#facc15']) {
      await page.goto(`/tenants/${env.tenantId}/settings`);
      await page.getByLabel('Primary colour').fill(colour);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved').waitFor();
      await page.goto(`/tenants/${env.tenantId}`);
      await page.getByRole('heading', { name: env.tenantName, level: 1 }).waitFor();
      await expect
        .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()))
        .toBe(colour);
      await page.waitForLoadState('networkidle').catch(() => {});
      const contrast = (await axeViolations(page)).filter((f) => f.rule === 'color-contrast');
      expect(describeFindings(colour, contrast)).toEqual([]);
    }
    // Leaving the tenant brings the Nexus orange back.
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    expect(
      await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()),
    ).toBe('#e57000');
  });

  it('creates an API token, shows it once, and it works as a Bearer token', async () => {
    const { page } = w;
    await page.goto('/account/tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('e2e script');
    // Read-only unless more is chosen.
    expect(await dialog.getByRole('checkbox', { name: /^Read/ }).getAttribute('aria-checked')).toBe('true');
    expect(await dialog.getByRole('checkbox', { name: /^Operate/ }).getAttribute('aria-checked')).toBe('false');
    await dialog.getByRole('checkbox', { name: /^Console/ }).click();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const token = (await dialog.getByTestId('new-token').textContent()) ?? '';
    expect(token.length).toBeGreaterThan(20);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ hasText: 'e2e script' });
    await row.waitFor();
    expect(await row.getByText('console', { exact: true }).count()).toBe(1);
    expect(await row.getByText('operate', { exact: true }).count()).toBe(0);
    expect(await page.getByText(token).count()).toBe(0);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const me = await fetch(`${env.url}/api/auth/me`, { headers });
    expect(me.status).toBe(200);
    const write = await fetch(`${env.url}/api/tenants/${env.tenantId}/settings`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ viewerConsole: 'none' }),
    });
    expect(write.status).toBe(403);
  });

  it('ran without dialogs, CSP violations or page errors', () => {
    expect(w.dialogs).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    expect(w.pageErrors).toEqual([]);
  });
});
