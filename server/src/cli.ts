// `npm run nexus -- <command>`: operator commands that run beside (or without) the server.
import { loadConfig } from './config/config';
import { migrate, openDatabase } from './db/database';
import { systemClock } from './lib/clock';
import { AuditService } from './modules/audit/audit.service';

const USAGE = `Usage: npm run nexus -- <command>

Commands:
  migrate              apply pending database migrations
  audit-verify         check the audit log's hash chain; exit 1 if it is broken
`;

async function run(command: string | undefined): Promise<number> {
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`invalid configuration\n${result.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 1;
  }
  const database = openDatabase(result.config.database);
  try {
    switch (command) {
      case 'migrate': {
        const { applied } = await migrate(database);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
        return 0;
      }
      case 'audit-verify': {
        const verdict = await new AuditService(database.db, database.dialect, systemClock).verify();
        process.stdout.write(`${JSON.stringify(verdict)}\n`);
        return verdict.ok ? 0 : 1;
      }
      default:
        process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
        return 1;
    }
  } finally {
    await database.close();
  }
}

run(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
