// The sign-in limit across instances under concurrency (issue 14, finding 5): two Nexus processes
// on one PostgreSQL database, 300 parallel wrong passwords for one account from one address split
// between them — the account's limit holds as if there were one instance. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db/database';
import { LOGIN_MAX_FAILURES } from '../../server/src/modules/auth/login-limiter';
import { ApiClient } from '../helpers/client';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../helpers/db';
import { type NexusProcess, startNexusProcess } from '../helpers/process';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' };

describe.skipIf(TEST_DIALECT !== 'postgres')('sign-in limit across two instances', () => {
  let testDb: TestDatabase;
  let db: Db;
  let a: NexusProcess;
  let b: NexusProcess;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    if (testDb.config.kind !== 'postgres') throw new Error('unreachable');
    const env = {
      DATABASE_URL: testDb.config.url,
      NEXUS_MASTER_KEY: 'c'.repeat(64),
      NEXUS_ADMIN_EMAIL: ADMIN.email,
      NEXUS_ADMIN_PASSWORD: ADMIN.password,
      // 300 parallel requests from 127.0.0.1 are more sockets than the default per-address cap.
      NEXUS_MAX_CONNECTIONS_PER_IP: '1000',
    };
    [a, b] = await Promise.all([startNexusProcess(env), startNexusProcess(env)]);
    db = testDb.open();
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await testDb?.drop();
  });

  it('300 parallel wrong passwords over both instances: at most 5 checked in all', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        new ApiClient(i % 2 === 0 ? a.url : b.url).login(ADMIN.email, `wrong password ${i}`),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    const rows = await db.db
      .selectFrom('audit_logs')
      .select(['action', 'result'])
      .where('actor_label', '=', ADMIN.email)
      .execute();
    const checked = rows.filter((r) => r.action === 'auth.login' && r.result === 'failure').length;
    const refused = rows.filter((r) => r.action === 'auth.login_rate_limited').length;
    expect(checked).toBeLessThanOrEqual(LOGIN_MAX_FAILURES);
    expect(checked + refused).toBe(300);
    // Both instances refused some: the limit was shared, not per process.
    expect(results.filter((r, i) => r.status === 429 && i % 2 === 0).length).toBeGreaterThan(0);
    expect(results.filter((r, i) => r.status === 429 && i % 2 === 1).length).toBeGreaterThan(0);
  });
});
