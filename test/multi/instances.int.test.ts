// Several Nexus processes on one PostgreSQL database (issue 9): nothing may depend on which
// instance a request lands on. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { type NexusProcess, startNexusProcess } from '../helpers/process';
import { openSse } from '../helpers/sse';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };
const MASTER_KEY = 'b'.repeat(64);

describe.skipIf(TEST_DIALECT !== 'postgres')('several instances on PostgreSQL', () => {
  let testDb: TestDatabase;
  let a: NexusProcess;
  let b: NexusProcess;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    if (testDb.config.kind !== 'postgres') throw new Error('unreachable');
    const env = {
      DATABASE_URL: testDb.config.url,
      NEXUS_MASTER_KEY: MASTER_KEY,
      NEXUS_ADMIN_EMAIL: ADMIN.email,
      NEXUS_ADMIN_PASSWORD: ADMIN.password,
    };
    // Started together: migrations and the first-admin bootstrap must not trip over each other.
    [a, b] = await Promise.all([startNexusProcess(env), startNexusProcess(env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await testDb?.drop();
  });

  it('refuses to start on PostgreSQL without a shared master key', async () => {
    if (testDb.config.kind !== 'postgres') return;
    const p = await startNexusProcess({ DATABASE_URL: testDb.config.url }, { waitReady: false });
    expect(await p.exited).toBe(1);
    expect(p.output.join('')).toContain('NEXUS_MASTER_KEY');
    await p.stop();
  });

  it('shares sessions: signed in on A, recognised on B', async () => {
    const onA = new ApiClient(a.url);
    expect((await onA.login(ADMIN.email, ADMIN.password)).status).toBe(200);
    const onB = new ApiClient(b.url);
    onB.cookie = onA.cookie;
    onB.csrf = onA.csrf;
    expect((await onB.get('/api/auth/me')).body.user.email).toBe(ADMIN.email);
  });

  it('delivers an event published on A to an event stream on B', async () => {
    const admin = new ApiClient(a.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const tenant = (await admin.post('/api/tenants', { name: 'Multi', slug: `multi-${Date.now()}` })).body;
    const onB = new ApiClient(b.url);
    onB.cookie = admin.cookie;
    const stream = await openSse(onB, `/api/tenants/${tenant.id}/events`);
    expect(stream.status).toBe(200);
    await admin.put(`/api/tenants/${tenant.id}/settings`, { maxServers: 9 });
    await stream.waitFor((e) => e.event === 'tenant.updated', 5000);
    stream.close();
  });

  it('limits 100 bad logins spread over both instances as one', async () => {
    let limited = 0;
    for (let i = 0; i < 100; i++) {
      const c = new ApiClient(i % 2 === 0 ? a.url : b.url);
      const res = await c.login('victim@example.test', `guess number ${i}`);
      if (res.status === 429) limited++;
    }
    expect(limited).toBeGreaterThanOrEqual(95);
  });
});
