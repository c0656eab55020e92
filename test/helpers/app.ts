// Starts the real app (createApp) on 127.0.0.1:0 with a fresh database, and captures every log
// line so tests can scan them for secrets.
import { Writable } from 'node:stream';
import { type AppDeps, createApp, type NexusApp } from '../../server/src/app';
import { type Config, loadConfig } from '../../server/src/config/config';
import { type Db, migrate } from '../../server/src/db/database';
import { createLogger } from '../../server/src/lib/logger';
import { createTestDatabase, type TestDatabase } from './db';
import { appLogs } from './secrets';

export interface TestApp {
  url: string;
  origin: string;
  nexus: NexusApp;
  config: Config;
  database: Db;
  testDb: TestDatabase;
  logs: string[];
  close(): Promise<void>;
}

export const TEST_MASTER_KEY = 'a'.repeat(64);

export async function startTestApp(
  opts: { env?: Record<string, string>; deps?: Partial<AppDeps>; background?: boolean; testDb?: TestDatabase } = {},
): Promise<TestApp> {
  const testDb = opts.testDb ?? (await createTestDatabase());
  const result = loadConfig({
    NEXUS_LOG_LEVEL: 'info',
    NEXUS_MASTER_KEY: TEST_MASTER_KEY,
    NEXUS_DATA_DIR: '/tmp/nexus-test-data',
    // Relays in the test's own process unless a test asks for workers (test/consoles/workers).
    NEXUS_RELAY_WORKERS: '0',
    ...opts.env,
  });
  if (!result.ok) throw new Error(`bad test config: ${result.errors.join('; ')}`);
  const database = testDb.open();
  await migrate(database);
  const logs: string[] = [];
  appLogs.push(logs);
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // The very object the app runs with: a test may change a setting read per request.
  const config: Config = { ...result.config, database: testDb.config };
  const nexus = await createApp(config, { database, logger: createLogger('info', sink), webDir: null, ...opts.deps });
  if (opts.background) nexus.startBackground();
  await nexus.app.listen({ port: 0, host: '127.0.0.1' });
  const address = nexus.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    origin: result.config.allowedOrigins[0] ?? url,
    nexus,
    config,
    database,
    testDb,
    logs,
    async close() {
      await nexus.close();
      await database.close();
      if (!opts.testDb) await testDb.drop();
    },
  };
}
