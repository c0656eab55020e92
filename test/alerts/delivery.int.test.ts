// Delivery one can trust: a receiver that is down for ten minutes — with Nexus restarted in
// between — gets every message afterwards, in order, each once; with two instances on one
// PostgreSQL database each message is sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { ApiClient } from '../helpers/client';
import { FakeClock } from '../helpers/clock';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { makeTenant, makeUser, PASSWORD, type TestUser } from '../helpers/factories';
import { registerSecret } from '../helpers/secrets';
import { startWebhookSink, type WebhookSink } from '../helpers/webhook-sink';

const SECRET = 'whsec-delivery-0123456789abcdef';
registerSecret(SECRET, 'webhook secret');
const MIN = 60_000;

let testDb: TestDatabase;
let hook: WebhookSink;
const apps: TestApp[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  hook = await startWebhookSink(SECRET);
});
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => {});
  await testDb?.drop();
  await hook?.close();
});

async function start(clock: FakeClock): Promise<TestApp> {
  const t = await startTestApp({ testDb, deps: { clock } });
  apps.push(t);
  return t;
}

async function setUp(t: TestApp) {
  const root = await makeUser(t, { globalRole: 'admin' });
  const tenantId = (await makeTenant(t, root)).id;
  const res = await root.client.post(`/api/tenants/${tenantId}/notification-channels`, {
    type: 'webhook',
    name: 'SIEM-ish',
    url: hook.url,
    secret: SECRET,
    events: ['member.changed'],
    maxPerHour: 1000,
  });
  expect(res.status, res.text).toBe(201);
  return { root, tenantId, channelId: res.body.id as string };
}

/** Adds n new members through the API; their addresses in the order they were added. */
async function addMembers(t: TestApp, root: TestUser, tenantId: string, n: number): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = await makeUser(t, { login: false });
    const res = await root.client.post(`/api/tenants/${tenantId}/members`, { email: u.email, role: 'viewer' });
    expect(res.status, res.text).toBeLessThan(300);
    emails.push(u.email);
  }
  return emails;
}

const labelsFor = (emails: string[]) =>
  hook.hooks.map((h) => h.body?.data?.memberLabel).filter((l: unknown) => emails.includes(l as string));

describe(`alert delivery (${TEST_DIALECT})`, () => {
  it('a receiver down for 10 minutes gets every message afterwards, in order, after a restart', async () => {
    const clock = new FakeClock();
    let t = await start(clock);
    const { root, tenantId, channelId } = await setUp(t);
    await hook.stop();
    const emails = await addMembers(t, root, tenantId, 5);
    await t.nexus.services.alerts.runOnce();
    clock.advance(4 * MIN);
    await t.nexus.services.alerts.runOnce();
    const failing = await root.client.get(`/api/tenants/${tenantId}/notification-channels`);
    const health = failing.body.channels.find((c: any) => c.id === channelId).health;
    expect(health.failingSince).not.toBeNull();
    expect(health.lastError).toMatch(/ECONNREFUSED|refused/i);
    expect(health.pending).toBe(5);
    // Nexus restarts while the receiver is still down.
    await t.close();
    apps.splice(apps.indexOf(t), 1);
    t = await start(clock);
    clock.advance(3 * MIN);
    await t.nexus.services.alerts.runOnce();
    expect(labelsFor(emails)).toEqual([]);
    clock.advance(3 * MIN);
    await hook.start();
    for (let i = 0; i < 30 && labelsFor(emails).length < 5; i++) {
      clock.advance(MIN);
      await t.nexus.services.alerts.runOnce();
    }
    expect(labelsFor(emails)).toEqual(emails);
    expect(hook.hooks.filter((h) => emails.includes(h.body?.data?.memberLabel)).every((h) => h.signed)).toBe(true);
    // Every attempt was recorded; the channel is healthy again.
    const attempts = await t.database.db
      .selectFrom('alert_attempts')
      .select(['ok'])
      .where('delivery_id', 'in', (qb) =>
        qb.selectFrom('alert_deliveries').select('id').where('channel_id', '=', channelId),
      )
      .execute();
    expect(attempts.filter((a) => a.ok === 0).length).toBeGreaterThanOrEqual(3);
    expect(attempts.filter((a) => a.ok === 1)).toHaveLength(5);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/nexus_alert_delivery_attempts_total\{channel="webhook",outcome="sent"\} 5/);
    expect(metrics).toMatch(/nexus_alert_delivery_attempts_total\{channel="webhook",outcome="retry"\} [1-9]/);
    const again = new ApiClient(t.url);
    expect((await again.login(root.email, PASSWORD)).status).toBe(200);
    const healed = await again.get(`/api/tenants/${tenantId}/notification-channels`);
    expect(healed.body.channels.find((c: any) => c.id === channelId).health).toMatchObject({
      failingSince: null,
      pending: 0,
    });
  });

  it.skipIf(TEST_DIALECT !== 'postgres')('two instances on one database send each message once', async () => {
    const clock = new FakeClock();
    const a = await start(clock);
    const b = await start(clock);
    const { root, tenantId } = await setUp(a);
    const emails = await addMembers(a, root, tenantId, 12);
    for (let i = 0; i < 4; i++) {
      await Promise.all([a.nexus.services.alerts.runOnce(), b.nexus.services.alerts.runOnce()]);
    }
    expect(labelsFor(emails).sort()).toEqual([...emails].sort());
  });
});
