// `npm run nexus -- <command>`: operator commands that run beside (or without) the server.
import { loadConfig, parseMasterKey } from './config/config';
import { migrate, openDatabase } from './db/database';
import { systemClock } from './lib/clock';
import { AuditService } from './modules/audit/audit.service';
import { rotateMasterKey } from './modules/servers/master-key-rotation';

const USAGE = `Usage: npm run nexus -- <command>

Commands:
  migrate              apply pending database migrations
  audit-verify         check the audit log's hash chain; exit 1 if it is broken
  rotate-master-key    re-wrap every tenant data key with a new master key (safe while Nexus runs):
                       the key file gets a generated key, or give it in NEXUS_NEW_MASTER_KEY
                       (required when NEXUS_MASTER_KEY is set)
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
  const database = openDatabase(result.config.database, {
    warn: (msg) => process.stderr.write(`warning: ${msg}\n`),
  });
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
      case 'rotate-master-key': {
        const raw = process.env.NEXUS_NEW_MASTER_KEY?.trim();
        const newKey = raw ? parseMasterKey(raw) : undefined;
        if (newKey === null) {
          process.stderr.write('NEXUS_NEW_MASTER_KEY: must be 32 bytes as 64 hex or 44 base64 characters\n');
          return 1;
        }
        const r = await rotateMasterKey({ config: result.config, database, newKey });
        process.stdout.write(
          `re-wrapped ${r.rewrapped} tenant data key(s): master key ${r.previousKeyId} -> ${r.keyId}\n` +
            (r.keyFile
              ? `${r.keyFile} now holds only the new key; running servers pick it up by themselves. Back it up.\n`
              : 'Now set NEXUS_MASTER_KEY to the new key on every instance and restart them; keep the old key in NEXUS_MASTER_KEY_PREVIOUS until all of them run with the new one.\n'),
        );
        return 0;
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
