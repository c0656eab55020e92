// Console share links (issue 20) against pve-sim: a manager creates a link; someone without an
// account opens that one console through it (same relay, view-only enforcement and limits);
// uses, expiry, PINs and revocation; the link holder reaches nothing else; links die with their
// creator's rights and with the tenant setting `consoleSharing`.
import { Encoding } from '@common/rfb/rfb-messages';
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import {
  type ConsoleEnv,
  consolePath,
  member,
  openConsoleSocket,
  requestTicket,
  startConsoleEnv,
  upgradeStatus,
} from '../consoles/console-kit';
import { ApiClient } from '../helpers/client';
import { TEST_DIALECT } from '../helpers/db';
import type { TestUser } from '../helpers/factories';

let env: ConsoleEnv;
let manager: TestUser;

const SCENARIO = {
  seed: 20,
  clusters: [
    {
      name: null,
      nodes: [{ name: 'pve1' }],
      guests: [
        { vmid: 100, type: 'qemu' as const, node: 'pve1', name: 'web-01', status: 'running' as const },
        { vmid: 101, type: 'qemu' as const, node: 'pve1', name: 'db-01', status: 'running' as const },
        { vmid: 102, type: 'lxc' as const, node: 'pve1', name: 'ct-01', status: 'running' as const },
      ],
    },
  ],
};

beforeAll(async () => {
  env = await startConsoleEnv({ sim: { scenario: SCENARIO as never } });
  env.t.nexus.services.consoles.tuning.relay = { closeGraceMs: 200 };
  manager = await member(env, 'manager');
  // Control links allowed (the default is view only: its own test sets it back).
  await env.admin.client.put(`/api/tenants/${env.tenantId}/settings`, { consoleSharing: 'control' });
  // Every request of this file comes from 127.0.0.1: the per-address limit has its own test.
  env.t.nexus.services.shares.tuning.recipientRequestsPerMinute = 100_000;
});
afterAll(async () => env?.close());

const sharesPath = (vmid: number) => `${consolePath(env, vmid).replace(/\/console$/, '')}/shares`;
const settingsPath = () => `/api/tenants/${env.tenantId}/settings`;
const guest = (vmid: number) => env.simServer.guest(vmid);
/** Someone without an account: no cookie, ever. */
const stranger = () => new ApiClient(env.t.url);
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

async function createShare(api: ApiClient, vmid: number, body: Record<string, unknown>) {
  const res = await api.post(sharesPath(vmid), body);
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, token: tokenOf(res.body.url), body: res.body };
}

/** Through the link: a ticket, the WebSocket (no cookie), the RFB handshake. */
async function openShared(token: string, pin?: string) {
  const client = stranger();
  const res = await client.post(`/api/shares/${token}/console`, pin === undefined ? {} : { pin });
  expect(res.status, res.text).toBe(201);
  const socket = await openConsoleSocket(env, res.body.wsPath, null);
  const rfb = await RfbTestClient.connect(socket.stream, {
    timeoutMs: 8000,
    encodings: [Encoding.Raw, Encoding.QemuExtendedKeyEvent],
  });
  return { ticket: res.body as { wsPath: string; viewOnly: boolean }, socket, rfb };
}

describe(`console share links (${TEST_DIALECT})`, () => {
  it('a manager shares a console with control: the recipient gets that console without an account, seen by the tenant', async () => {
    const share = await createShare(manager.client, 100, { mode: 'control', expiresInMinutes: 120, note: 'ACME 4711' });
    expect(share.body.url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
    expect(share.body.mode).toBe('control');
    // The page's facts, without a cookie.
    const page = await stranger().get(`/api/shares/${share.token}`);
    expect(page.status, page.text).toBe(200);
    expect(page.body).toMatchObject({
      guest: { vmid: 100, name: 'web-01', type: 'qemu' },
      kind: 'vnc',
      mode: 'control',
    });
    expect(page.body.pinRequired).toBe(false);
    expect(page.text).not.toContain('ACME');

    const recorder = guest(100)?.recorder;
    expect(recorder).toBeDefined();
    recorder?.clear();
    const { ticket, socket, rfb } = await openShared(share.token);
    expect(ticket.viewOnly).toBe(false);
    expect(ticket.wsPath).toMatch(/^\/api\/share-consoles\//);
    expect(rfb.desktopName).toBe('web-01');
    rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    await recorder?.waitFor((r) => r.hasKeyCombo(['Control_L', 'Alt_L', 'Delete']));

    // The guest's page lists the link, its use and who is on it; "who is watching" names the link
    // (once the console's opening is booked, a moment after its first bytes).
    const listedShare = async () => {
      const list = await manager.client.get(sharesPath(100));
      expect(list.status, list.text).toBe(200);
      return list.body.shares.find((s: { id: string }) => s.id === share.id);
    };
    await expect.poll(async () => (await listedShare())?.watching?.length, { timeout: 5000 }).toBe(1);
    const listed = await listedShare();
    expect(listed).toMatchObject({ mode: 'control', uses: 1, note: 'ACME 4711', createdBy: { id: manager.id } });
    expect(listed.watching).toHaveLength(1);
    expect(listed.watching[0].ip).toMatch(/127\.0\.0\.1/);
    const viewers = await env.admin.client.get(`${consolePath(env, 100)}s`);
    expect(viewers.body.consoles.find((c: { share: unknown }) => c.share)).toMatchObject({
      share: { id: share.id },
      mine: false,
    });
    rfb.close();
    await socket.closed;

    const audit = await env.admin.client.get(`/api/tenants/${env.tenantId}/audit?action=share.&limit=500`);
    const actions = audit.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['share.created', 'share.used']));
    const used = audit.body.events.find((e: { action: string }) => e.action === 'share.used');
    expect(used.details).toMatchObject({ shareId: share.id, ip: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it('a view link drops every input in the broker: nothing reaches the simulator', async () => {
    const share = await createShare(manager.client, 101, { mode: 'view' });
    const recorder = guest(101)?.recorder;
    expect(recorder).toBeDefined();
    recorder?.clear();
    const { ticket, rfb, socket } = await openShared(share.token);
    expect(ticket.viewOnly).toBe(true);
    rfb.keyCombo(['Control_L', 'Alt_L', 'Delete']);
    rfb.qemuKey('Return', 0x1c, true);
    rfb.pointer(5, 5, 1);
    rfb.cutText('shutdown -h now');
    expect((await rfb.update(false)).rects.length).toBeGreaterThan(0);
    await rfb.update(true);
    expect(recorder?.keyEvents).toEqual([]);
    expect(recorder?.pointerEvents).toEqual([]);
    expect(recorder?.clientCutText).toEqual([]);
    rfb.close();
    await socket.closed;
  });

  it('counts uses, and ends at expiry: refused afterwards, the live console closed with a reason', async () => {
    const once = await createShare(manager.client, 100, { mode: 'view', maxUses: 1 });
    const first = await openShared(once.token);
    first.rfb.close();
    await first.socket.closed;
    const again = await stranger().post(`/api/shares/${once.token}/console`, {});
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('share.not_found');

    const share = await createShare(manager.client, 100, { mode: 'view' });
    // The link runs out 1.5 s from now (the shortest a person may choose is 5 minutes).
    await env.t.database.db
      .updateTable('console_shares')
      .set({ expires_at: Date.now() + 1500 })
      .where('id', '=', share.id)
      .execute();
    const { socket } = await openShared(share.token);
    expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'the share link expired' });
    const late = await stranger().post(`/api/shares/${share.token}/console`, {});
    expect(late.status).toBe(404);
    expect((await stranger().get(`/api/shares/${share.token}`)).status).toBe(404);
    // Expired links leave the guest's list.
    const list = await manager.client.get(sharesPath(100));
    expect(list.body.shares.map((s: { id: string }) => s.id)).not.toContain(share.id);
  });

  it('revoking closes the live console within 5 s and the link stops working', async () => {
    const share = await createShare(manager.client, 100, { mode: 'control' });
    const { socket } = await openShared(share.token);
    const started = Date.now();
    const del = await manager.client.delete(`${sharesPath(100)}/${share.id}`);
    expect(del.status, del.text).toBe(200);
    expect(await socket.closed).toEqual({ code: CONSOLE_CLOSE.revoked, reason: 'the share link was revoked' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await stranger().post(`/api/shares/${share.token}/console`, {})).status).toBe(404);
    expect((await manager.client.delete(`${sharesPath(100)}/${share.id}`)).status).toBe(404);
    const audit = await env.admin.client.get(`/api/tenants/${env.tenantId}/audit?action=share.revoked`);
    expect(audit.body.events.some((e: { details: { shareId: string } }) => e.details.shareId === share.id)).toBe(true);
  });

  it('asks for the PIN, counts wrong ones and locks the link at the tenth', async () => {
    const share = await createShare(manager.client, 100, { mode: 'view', pin: '482913' });
    expect((await stranger().get(`/api/shares/${share.token}`)).body.pinRequired).toBe(true);
    const missing = await stranger().post(`/api/shares/${share.token}/console`, {});
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('share.pin_required');
    const attempt = (pin: string, _i: number) => stranger().post(`/api/shares/${share.token}/console`, { pin });
    for (let i = 1; i <= 9; i++) {
      const wrong = await attempt('000000', i);
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('share.pin_invalid');
      // The SPA says how many are left in the reader's language, from the details.
      expect(wrong.body.error.details).toEqual({ attemptsLeft: 10 - i });
    }
    const tenth = await attempt('000000', 10);
    expect(tenth.status).toBe(423);
    expect(tenth.body.error.code).toBe('share.locked');
    const right = await attempt('482913', 11);
    expect(right.status).toBe(423);
    expect((await stranger().get(`/api/shares/${share.token}`)).status).toBe(423);
    const audit = await env.admin.client.get(`/api/tenants/${env.tenantId}/audit?action=share.&limit=500`);
    const mine = audit.body.events.filter((e: { details: { shareId?: string } }) => e.details.shareId === share.id);
    expect(mine.filter((e: { action: string }) => e.action === 'share.pin_failed')).toHaveLength(9);
    expect(mine.some((e: { action: string }) => e.action === 'share.locked')).toBe(true);
    expect(JSON.stringify(mine)).not.toContain('000000');
  });

  it('gives its holder that one console and nothing else', async () => {
    const share = await createShare(manager.client, 100, { mode: 'control' });
    const holder = stranger();
    const res = await holder.post(`/api/shares/${share.token}/console`, {});
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual([]);
    for (const path of ['/api/auth/me', '/api/tenants', `/api/tenants/${env.tenantId}/vms`, sharesPath(100)]) {
      expect((await holder.get(path)).status, path).toBe(401);
    }
    // The token is no bearer credential either.
    holder.bearer = share.token;
    expect((await holder.get('/api/auth/me')).status).toBe(401);
    expect((await holder.post(consolePath(env, 100))).status).toBe(401);
    // A share ticket is not a member's console ticket, and a member's ticket opens no share path.
    const ticket = String(res.body.wsPath).split('/')[2] ?? '';
    expect((await upgradeStatus(env, `/api/consoles/${ticket}/ws`, null)).status).toBe(401);
    const members = await requestTicket(env, env.admin.client, 100);
    const memberTicket = String(members.body.wsPath).split('/')[3] ?? '';
    expect(await upgradeStatus(env, `/api/share-consoles/${memberTicket}/ws`, null)).toEqual({
      status: 404,
      code: 'console.ticket_invalid',
    });
    // A page of ours always sends Origin; another site's does not get the console.
    expect(await upgradeStatus(env, res.body.wsPath, null, { origin: 'https://evil.example' })).toMatchObject({
      status: 403,
    });
    // Unknown tokens and garbage look alike.
    expect((await stranger().get(`/api/shares/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await stranger().get('/api/shares/short')).status).toBe(400);
  });

  it('dies with its creator’s rights: a demoted creator’s links close and stop working', async () => {
    const creator = await member(env, 'manager');
    const share = await createShare(creator.client, 100, { mode: 'control' });
    const { socket } = await openShared(share.token);
    const demote = await env.admin.client.put(`/api/tenants/${env.tenantId}/members/${creator.id}`, {
      role: 'viewer',
    });
    expect(demote.status, demote.text).toBe(200);
    expect((await socket.closed).code).toBe(CONSOLE_CLOSE.revoked);
    expect((await stranger().post(`/api/shares/${share.token}/console`, {})).status).toBe(404);
    // Removed altogether: the same.
    const other = await member(env, 'manager');
    const second = await createShare(other.client, 100, { mode: 'view' });
    const open = await openShared(second.token);
    expect((await env.admin.client.delete(`/api/tenants/${env.tenantId}/members/${other.id}`)).status).toBe(200);
    expect((await open.socket.closed).code).toBe(CONSOLE_CLOSE.revoked);
    expect((await stranger().get(`/api/shares/${second.token}`)).status).toBe(404);
  });

  it('follows the tenant setting: control only when allowed, nothing when off, live links ended', async () => {
    const viewer = await member(env, 'viewer');
    expect((await viewer.client.post(sharesPath(100), { mode: 'view' })).status).toBe(403);
    try {
      // The default allows view links only.
      expect((await env.admin.client.put(settingsPath(), { consoleSharing: 'view' })).status).toBe(200);
      const control = await manager.client.post(sharesPath(100), { mode: 'control' });
      expect(control.status).toBe(400);
      expect(control.body.error.code).toBe('share.mode_not_allowed');
      const tooLong = await manager.client.post(sharesPath(100), { mode: 'view', expiresInMinutes: 7 * 24 * 60 + 1 });
      expect(tooLong.status).toBe(400);
      const shortPin = await manager.client.post(sharesPath(100), { mode: 'view', pin: '123' });
      expect(shortPin.status).toBe(400);

      expect((await env.admin.client.put(settingsPath(), { consoleSharing: 'control' })).status).toBe(200);
      const share = await createShare(manager.client, 100, { mode: 'control' });
      const { socket } = await openShared(share.token);
      // Lowered to view: the control link's console ends, and it is refused.
      expect((await env.admin.client.put(settingsPath(), { consoleSharing: 'view' })).status).toBe(200);
      expect((await socket.closed).code).toBe(CONSOLE_CLOSE.revoked);
      const refused = await stranger().post(`/api/shares/${share.token}/console`, {});
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('share.disabled');

      const view = await createShare(manager.client, 100, { mode: 'view' });
      const live = await openShared(view.token);
      expect((await env.admin.client.put(settingsPath(), { consoleSharing: 'off' })).status).toBe(200);
      expect((await live.socket.closed).code).toBe(CONSOLE_CLOSE.revoked);
      const off = await manager.client.post(sharesPath(100), { mode: 'view' });
      expect(off.status).toBe(403);
      expect(off.body.error.code).toBe('share.disabled');
      expect((await stranger().post(`/api/shares/${view.token}/console`, {})).status).toBe(403);
    } finally {
      await env.admin.client.put(settingsPath(), { consoleSharing: 'control' });
    }
  });

  it('limits the recipient’s requests per address', async () => {
    const share = await createShare(manager.client, 100, { mode: 'view', pin: '555555' });
    const tuning = env.t.nexus.services.shares.tuning;
    tuning.recipientRequestsPerMinute = 3;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await stranger().post(`/api/shares/${share.token}/console`, { pin: '000000' })).status);
      }
      expect(statuses).toContain(429);
    } finally {
      tuning.recipientRequestsPerMinute = 100_000;
    }
  });

  it('shares a container’s terminal (its default console)', async () => {
    const share = await createShare(manager.client, 102, { mode: 'view' });
    const page = await stranger().get(`/api/shares/${share.token}`);
    expect(page.body).toMatchObject({ kind: 'terminal', guest: { type: 'lxc' } });
    const res = await stranger().post(`/api/shares/${share.token}/console`, {});
    expect(res.status, res.text).toBe(201);
    const socket = await openConsoleSocket(env, res.body.wsPath, null);
    await expect.poll(() => Buffer.concat(socket.received).toString('utf8'), { timeout: 5000 }).toMatch(/[#$] $/m);
    // View-only: typing never reaches the container.
    socket.ws.send(Buffer.from('0:5:exit\r'));
    await new Promise((r) => setTimeout(r, 300));
    expect(guest(102)?.terminal?.inputText ?? '').not.toContain('exit');
    socket.ws.close(1000);
    await socket.closed;
  });
});
