// Outbound alerts against real components: a real SMTP server (STARTTLS + AUTH, smtp-server), an
// HTTP receiver checking signatures, pve-sim going offline and presenting another certificate.
// Time is a fake clock moved by the test; each round of the alert loop is run by hand.
import { parseTargetList } from '@common/egress';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RfbTestClient } from '../../pve-sim/rfb/index';
import type { ConsoleEnv } from '../consoles/console-kit';
import { openConsoleSocket } from '../consoles/console-kit';
import { ApiClient } from '../helpers/client';
import { FakeClock } from '../helpers/clock';
import { TEST_DIALECT } from '../helpers/db';
import { addMember, makeUser, PASSWORD } from '../helpers/factories';
import { registerSecret } from '../helpers/secrets';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { startWebhookSink, type WebhookSink } from '../helpers/webhook-sink';
import { type Kit, registerSim, simAt, startKit, tokenOf } from '../servers/server-kit';

const SECRET = 'whsec-alerts-0123456789abcdef';
registerSecret(SECRET, 'webhook secret');

let k: Kit;
let clock: FakeClock;
let smtp: SmtpSink;
let hook: WebhookSink;
let serverId: string;

const base = () => `/api/tenants/${k.tenantId}`;
const run = () => k.t.nexus.services.alerts.runOnce();
const MIN = 60_000;

/** Health checks of a sim server until it reaches `status` (the breaker needs a few failures). */
async function driveTo(status: string, id = serverId): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const row = await k.t.database.db
      .selectFrom('proxmox_servers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (row.connection_status === status) return;
    await k.t.nexus.services.serversModule.health.check(row);
    clock.advance(1000);
  }
  throw new Error(`server never became ${status}`);
}

async function channel(body: Record<string, unknown>) {
  const res = await k.root.client.post(`${base()}/notification-channels`, body);
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; language: string };
}

async function removeAllChannels() {
  const list = await k.root.client.get(`${base()}/notification-channels`);
  for (const c of list.body.channels) await k.root.client.delete(`${base()}/notification-channels/${c.id}`);
  // What earlier tests left in the outbox goes nowhere now.
  await run();
}

/** Both kinds of channel, for these events. */
async function both(events: string[], extra: Record<string, unknown> = {}) {
  await removeAllChannels();
  const mail = await channel({ type: 'email', name: 'Ops mail', to: ['ops@example.test'], events, ...extra });
  const web = await channel({ type: 'webhook', name: 'Ops hook', url: hook.url, secret: SECRET, events, ...extra });
  return { mail, web };
}

/** Adds a new user as a member through the API (audited, so it is an alert). */
async function newMember(): Promise<{ id: string; email: string }> {
  const u = await makeUser(k.t, { login: false });
  const res = await k.root.client.post(`${base()}/members`, { email: u.email, role: 'viewer' });
  expect(res.status, res.text).toBeLessThan(300);
  return u;
}

/** Moves time on; the admin signs in again (an hour idle ends sessions, on this clock too). */
async function later(ms: number): Promise<void> {
  clock.advance(ms);
  expect((await k.root.client.login(k.root.email, PASSWORD)).status).toBe(200);
}

const hooksOf = (event: string) => hook.hooks.filter((h) => h.body?.event === event);

beforeAll(async () => {
  smtp = await startSmtpSink();
  hook = await startWebhookSink(SECRET);
  clock = new FakeClock();
  k = await startKit({ sim: { servers: 1, vms: 3 }, app: { env: smtp.env, deps: { clock } } });
  serverId = (await registerSim(k.root.client, k.tenantId, simAt(k, 0))).id;
  await driveTo('online');
});
afterEach(() => simAt(k, 0).clearFaults());
afterAll(async () => {
  await k?.close();
  await smtp?.close();
  await hook?.close();
});

describe(`alert channels (${TEST_DIALECT})`, () => {
  it('are managed by tenant admins only; secrets never come back; the URL is masked', async () => {
    const created = await k.root.client.post(`${base()}/notification-channels`, {
      type: 'webhook',
      name: 'Chat',
      url: `${hook.url}?token=abcdefabcdef`,
      secret: SECRET,
      preset: 'json',
      events: ['server.offline'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hasSecret: true, url: `http://127.0.0.1:${new URL(hook.url).port}/…?…` });
    expect(created.text).not.toContain(SECRET);
    expect(created.text).not.toContain('abcdefabcdef');
    const id = created.body.id;
    // A new URL without the secret again: refused; with it (or null): accepted.
    const moved = await k.root.client.patch(`${base()}/notification-channels/${id}`, { url: 'http://127.0.0.1:9/x' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('channel.secret_required');
    const cleared = await k.root.client.patch(`${base()}/notification-channels/${id}`, {
      url: 'http://127.0.0.1:9/x',
      secret: null,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.hasSecret).toBe(false);
    for (const who of [k.manager, k.viewer]) {
      expect((await who.client.get(`${base()}/notification-channels`)).status).toBe(403);
      expect((await who.client.post(`${base()}/notification-channels`, created.body)).status).toBe(403);
    }
    // Bad input changes nothing.
    const bad = await k.root.client.post(`${base()}/notification-channels`, {
      type: 'email',
      name: 'x',
      to: ['not an address'],
      events: ['server.offline'],
    });
    expect(bad.status).toBe(400);
    const audit = await k.t.database.db
      .selectFrom('audit_logs')
      .select('details')
      .where('action', 'like', 'channel.%')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    await removeAllChannels();
  });

  it('a test reaches the mailbox over STARTTLS with AUTH and the receiver with a valid signature', async () => {
    const { mail, web } = await both(['server.offline']);
    const m = await k.root.client.post(`${base()}/notification-channels/${mail.id}/test`);
    expect(m.body).toMatchObject({ ok: true, error: null });
    const got = await smtp.waitFor((x) => x.subject === 'Test message from Nexus');
    expect(got).toMatchObject({ secure: true, user: 'nexus-mailer', to: ['ops@example.test'] });
    const w = await k.root.client.post(`${base()}/notification-channels/${web.id}/test`);
    expect(w.body).toMatchObject({ ok: true });
    const h = await hook.waitFor((x) => x.body?.event === 'test');
    expect(h.signed).toBe(true);
    expect(h.body).toMatchObject({ event: 'test', tenantId: k.tenantId, data: { channelId: web.id } });
    expect(Date.parse(h.body.occurredAt)).toBeGreaterThan(0);
  });

  it('a webhook the egress policy refuses fails its test with the reason', async () => {
    const { web } = await both(['server.offline']);
    k.t.config.allowedTargets = parseTargetList('10.0.0.0/8').rules;
    try {
      const res = await k.root.client.post(`${base()}/notification-channels/${web.id}/test`);
      expect(res.body.ok).toBe(false);
      expect(res.body.error).toMatch(/egress policy/);
    } finally {
      k.t.config.allowedTargets = null;
    }
  });

  it('an offline server alerts only after the window; a flap folds; a stable recovery closes it', async () => {
    await both(['server.offline', 'server.online']);
    const before = hook.hooks.length;
    simAt(k, 0).setFault({ down: true });
    await driveTo('offline');
    await run();
    clock.advance(MIN);
    await run();
    expect(hook.hooks.length).toBe(before);
    clock.advance(MIN + 1000);
    await run();
    const offline = await hook.waitFor((h) => h.body?.event === 'server.offline');
    expect(offline.signed).toBe(true);
    expect(offline.body.data).toMatchObject({ serverId, serverName: simAt(k, 0).name });
    await smtp.waitFor((m) => /is offline/.test(m.subject));
    // Back, down again while settling, back: one recovery saying it flapped.
    simAt(k, 0).clearFaults();
    await driveTo('online');
    await run();
    simAt(k, 0).setFault({ down: true });
    await driveTo('offline');
    await run();
    simAt(k, 0).clearFaults();
    await driveTo('online');
    await run();
    expect(hooksOf('server.online')).toHaveLength(0);
    clock.advance(MIN + 1000);
    await run();
    const online = await hook.waitFor((h) => h.body?.event === 'server.online');
    expect(online.body.data).toMatchObject({ serverId, flaps: 1 });
    expect(hooksOf('server.offline')).toHaveLength(1);
    await smtp.waitFor((m) => /back online/.test(m.subject));
    // A short outage says nothing at all.
    simAt(k, 0).setFault({ down: true });
    await driveTo('offline');
    await run();
    simAt(k, 0).clearFaults();
    await driveTo('online');
    clock.advance(5 * MIN);
    await run();
    expect(hooksOf('server.offline')).toHaveLength(1);
    expect(hooksOf('server.online')).toHaveLength(1);
  });

  it('a changed certificate alerts at once; a muted server says nothing until the mute ends', async () => {
    await both(['server.tls_mismatch', 'server.auth_error', 'server.refused', 'server.online', 'server.offline']);
    simAt(k, 0).setFault({ wrongCert: true });
    await driveTo('tls_error');
    await run();
    const tls = await hook.waitFor((h) => h.body?.event === 'server.tls_mismatch');
    expect(tls.signed).toBe(true);
    await smtp.waitFor((m) => /different certificate/.test(m.subject));
    simAt(k, 0).clearFaults();
    await driveTo('online');
    // Proxmox refuses the stored token (its user disabled): at once too.
    const owner = simAt(k, 0).cluster.accounts.users.get(tokenOf(simAt(k, 0)).tokenId.split('!')[0] ?? '');
    if (!owner) throw new Error('the token has no owner in pve-sim');
    owner.enabled = false;
    await driveTo('auth_error');
    await run();
    expect((await hook.waitFor((h) => h.body?.event === 'server.auth_error')).signed).toBe(true);
    await smtp.waitFor((m) => /refuses Nexus/.test(m.subject));
    owner.enabled = true;
    await driveTo('online');
    // The operator narrows the tenant's egress to the webhook receiver alone (the tenant's webhooks
    // obey it too): the server's address is refused, and that alerts at once too.
    const narrow = await k.root.client.put(`${base()}/settings`, {
      allowedTargets: [`127.0.0.1:${new URL(hook.url).port}`],
    });
    expect(narrow.status, narrow.text).toBe(200);
    await driveTo('refused');
    await run();
    expect((await hook.waitFor((h) => h.body?.event === 'server.refused')).signed).toBe(true);
    await smtp.waitFor((m) => /refused by the egress policy/.test(m.subject));
    expect((await k.root.client.put(`${base()}/settings`, { allowedTargets: null })).status).toBe(200);
    await driveTo('online');
    clock.advance(MIN + 1000);
    await run();
    const onlines = hooksOf('server.online').length;
    // Muted: the outage passes unnoticed by the channels.
    const mute = await k.root.client.put(`${base()}/alert-mutes/${serverId}`, {
      until: new Date(clock.now() + 3_600_000).toISOString(),
      reason: 'maintenance',
    });
    expect(mute.status).toBe(200);
    expect((await k.viewer.client.put(`${base()}/alert-mutes/${serverId}`, mute.body)).status).toBe(403);
    const offlines = hooksOf('server.offline').length;
    simAt(k, 0).setFault({ down: true });
    await driveTo('offline');
    clock.advance(3 * MIN);
    await run();
    simAt(k, 0).clearFaults();
    await driveTo('online');
    clock.advance(2 * MIN);
    await run();
    expect(hooksOf('server.offline')).toHaveLength(offlines);
    expect(hooksOf('server.online')).toHaveLength(onlines);
    expect((await k.root.client.delete(`${base()}/alert-mutes/${serverId}`)).status).toBe(200);
    expect((await k.root.client.get(`${base()}/alert-mutes`)).body.mutes).toEqual([]);
  });

  it('guest actions, console opens and member changes reach e-mail and webhook', async () => {
    await both(['vm.action', 'console.opened', 'member.changed']);
    const guests = simAt(k, 0).guests();
    const consoleGuest = guests.find((g) => g.type === 'qemu');
    const other = guests.find((g) => g !== consoleGuest);
    if (!consoleGuest || !other) throw new Error('pve-sim has no qemu guest and another');
    consoleGuest.status = 'running';
    const vmid = other.vmid;
    const guest = `${base()}/servers/${serverId}/vms/${vmid}`;
    const action = other.status === 'running' ? 'shutdown' : 'start';
    expect((await k.root.client.post(`${guest}/actions/${action}`)).status).toBe(200);
    const newcomer = await newMember();
    const running = consoleGuest;
    const ticket = await k.root.client.post(`${base()}/servers/${serverId}/vms/${running?.vmid}/console`);
    expect(ticket.status).toBe(201);
    const socket = await openConsoleSocket({ t: k.t } as ConsoleEnv, ticket.body.wsPath, k.root.client);
    const rfb = await RfbTestClient.connect(socket.stream, { timeoutMs: 8000 });
    const opened = async () =>
      k.t.database.db.selectFrom('audit_logs').select('id').where('action', '=', 'console.opened').executeTakeFirst();
    for (let i = 0; i < 100 && !(await opened()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await opened()).toBeDefined();
    rfb.close?.();
    socket.ws.close();
    await run();
    for (const event of ['vm.action', 'console.opened', 'member.changed']) {
      const h = await hook.waitFor((x) => x.body?.event === event);
      expect(h.signed, event).toBe(true);
      expect(h.body.tenantId).toBe(k.tenantId);
    }
    expect(hooksOf('vm.action')[0]?.body.data).toMatchObject({ serverId, vmid, action, actorLabel: k.root.email });
    expect(hooksOf('member.changed')[0]?.body.data).toMatchObject({
      change: 'member added',
      memberLabel: newcomer.email,
    });
    await smtp.waitFor((m) => m.subject.includes(`${action} on guest ${vmid}`));
    await smtp.waitFor((m) => m.subject.includes('opened the console'));
    await smtp.waitFor((m) => m.subject.startsWith('Members changed'));
  });

  it('over the hourly limit, the rest arrives as one digest', async () => {
    await removeAllChannels();
    await channel({
      type: 'webhook',
      name: 'Limited',
      url: hook.url,
      secret: SECRET,
      events: ['member.changed'],
      maxPerHour: 3,
    });
    const start = hook.hooks.length;
    for (let i = 0; i < 6; i++) await newMember();
    await run();
    const got = hook.hooks.slice(start).map((h) => h.body);
    expect(got.map((b) => b.event)).toEqual(['member.changed', 'member.changed', 'digest']);
    expect(got[2].data.count).toBe(4);
    expect(got[2].data.items.map((i: any) => i.event)).toEqual(Array(4).fill('member.changed'));
    // Nothing more this hour; the next hour has room again.
    await newMember();
    await run();
    expect(hook.hooks.length - start).toBe(3);
    await later(61 * MIN);
    await run();
    expect(hook.hooks.slice(start).map((h) => h.body.event)).toEqual([
      'member.changed',
      'member.changed',
      'digest',
      'member.changed',
    ]);
  });

  it('quiet hours hold messages and deliver one digest at their end', async () => {
    await removeAllChannels();
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    await channel({
      type: 'webhook',
      name: 'Night',
      url: hook.url,
      secret: SECRET,
      events: ['member.changed'],
      quietHours: { from: hhmm(clock.now() - 30 * MIN), to: hhmm(clock.now() + 90 * MIN), timeZone: 'UTC' },
    });
    const start = hook.hooks.length;
    for (let i = 0; i < 3; i++) await newMember();
    await run();
    await later(50 * MIN);
    await run();
    expect(hook.hooks.length).toBe(start);
    await later(41 * MIN);
    await run();
    const got = hook.hooks.slice(start).map((h) => h.body);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ event: 'digest', data: { count: 3 } });
  });

  it('people get their own mail: others’ power actions on guests they see, sign-ins from a new device', async () => {
    await removeAllChannels();
    const watcher = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, watcher, 'viewer');
    await watcher.client.login(watcher.email, PASSWORD);
    const prefs = await watcher.client.put('/api/account/alerts', { guestPower: true, signIn: true });
    expect(prefs.body).toEqual({ guestPower: true, signIn: true });
    // Restricted to no guest: sees none, gets nothing.
    const blind = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, blind, 'viewer');
    await k.root.client.put(`${base()}/members/${blind.id}/assignments`, { restricted: true, assignments: [] });
    await blind.client.login(blind.email, PASSWORD);
    expect((await blind.client.put('/api/account/alerts', { guestPower: true })).status).toBe(200);
    const vmid = simAt(k, 0).guests()[1]?.vmid as number;
    const guest = `${base()}/servers/${serverId}/vms/${vmid}`;
    const action = (await k.root.client.get(guest)).body.status === 'running' ? 'shutdown' : 'start';
    expect((await k.root.client.post(`${guest}/actions/${action}`)).status).toBe(200);
    await run();
    const mail = await smtp.waitFor((m) => m.to.includes(watcher.email) && m.subject.includes(`guest ${vmid}`));
    expect(mail.secure).toBe(true);
    expect(smtp.mails.some((m) => m.to.includes(blind.email))).toBe(false);
    // A sign-in from a browser this account has not used: one mail; the same browser again: none.
    const fresh = new ApiClient(k.t.url);
    const signIn = () =>
      fresh.request(
        'POST',
        '/api/auth/login',
        { email: watcher.email, password: PASSWORD },
        { 'user-agent': 'NewDevice/1.0' },
      );
    expect((await signIn()).status).toBe(200);
    await run();
    await smtp.waitFor((m) => m.to.includes(watcher.email) && m.subject === 'New sign-in to your Nexus account');
    const count = smtp.mails.filter((m) => m.subject === 'New sign-in to your Nexus account').length;
    expect((await signIn()).status).toBe(200);
    await run();
    expect(smtp.mails.filter((m) => m.subject === 'New sign-in to your Nexus account')).toHaveLength(count);
  });

  it('speaks each recipient’s language: a channel’s chosen one, a person’s profile language', async () => {
    const { mail, web } = await both(['server.offline'], { language: 'de' });
    expect(mail.language).toBe('de');
    const fr = await k.root.client.patch(`${base()}/notification-channels/${web.id}`, {
      language: 'fr',
      preset: 'slack',
    });
    expect(fr.body.language).toBe('fr');
    expect((await k.root.client.patch(`${base()}/notification-channels/${web.id}`, { language: 'xx' })).status).toBe(
      400,
    );
    await k.root.client.post(`${base()}/notification-channels/${mail.id}/test`);
    await smtp.waitFor((x) => x.subject === 'Testnachricht von Nexus' && x.to.includes('ops@example.test'));
    await k.root.client.post(`${base()}/notification-channels/${web.id}/test`);
    const h = await hook.waitFor((x) => typeof x.body?.text === 'string' && x.body.text.includes('Message de test'));
    expect(h.body.text).toBe('Message de test de Nexus\nCe canal est configuré : Nexus peut le joindre.');
    // A person's own alerts follow the language of their profile.
    await removeAllChannels();
    const reader = await makeUser(k.t, { login: false });
    await addMember(k.t, k.tenantId, reader, 'viewer');
    await reader.client.login(reader.email, PASSWORD);
    expect((await reader.client.patch('/api/account', { locale: 'de' })).status).toBe(200);
    expect((await reader.client.put('/api/account/alerts', { signIn: true })).status).toBe(200);
    const fresh = new ApiClient(k.t.url);
    const signIn = await fresh.request(
      'POST',
      '/api/auth/login',
      { email: reader.email, password: PASSWORD },
      { 'user-agent': 'AnotherDevice/2.0' },
    );
    expect(signIn.status).toBe(200);
    await run();
    const got = await smtp.waitFor((m) => m.to.includes(reader.email));
    expect(got.subject).toBe('Neue Anmeldung bei Ihrem Nexus-Konto');
  });
});
