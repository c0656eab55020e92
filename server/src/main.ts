// Entry point: read config → open db → migrate → start http + background work.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app';
import { loadConfig } from './config/config';
import { migrate, openDatabase } from './db/database';
import { createLogger } from './lib/logger';

/** dist/server/main.js and server/src/main.ts both sit two levels below the repository root. */
/** How long a draining instance keeps accepting before it closes its listener. */
const DRAIN_GRACE_MS = 1000;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(
      `Nexus cannot start: invalid configuration\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  const config = result.config;
  const log = createLogger(config.logLevel);
  const database = openDatabase(config.database, { warn: (msg) => log.warn(msg) });
  try {
    const { applied } = await migrate(database);
    if (applied.length > 0) log.info({ applied }, 'database migrated');
  } catch (err) {
    log.fatal({ err }, 'database migration failed; nothing was changed');
    await database.close();
    process.exit(1);
  }

  const nexus = await createApp(config, { database, logger: log, webDir: path.join(ROOT, 'dist', 'web') });
  const { setupUrl } = await nexus.services.auth.bootstrap();
  if (setupUrl) {
    log.warn({ setupUrl }, 'No users yet. Open this one-time link to create the first admin (valid 24 h)');
    // Also on a line of its own for the person at the terminal (the JSON line is for log shippers).
    process.stderr.write(
      `\n  No users yet. Create the first admin here (one-time link, valid 24 h):\n\n    ${setupUrl}\n\n`,
    );
  }
  // PROXMOX_HOST/PORT/API_TOKEN: registered once, in the background (one TLS handshake to pin it).
  nexus.services.serverBootstrap
    .ensureDefaultServer(config.defaultServer)
    .catch((err) => log.error({ err }, 'could not register the default Proxmox server'));
  nexus.startBackground();
  await nexus.app.listen({ port: config.port, host: config.host });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'forced exit');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      // Readiness turns false first and the listener stays open a moment, so a load balancer
      // stops sending and requests already on their way are read and answered, not reset.
      nexus.state.draining = true;
      await new Promise((r) => setTimeout(r, Math.min(DRAIN_GRACE_MS, config.shutdownTimeoutMs / 4)));
      await nexus.close();
      await database.close();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Nexus failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
