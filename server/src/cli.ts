// `npm run nexus -- <command>`: operator commands that run beside (or without) the server.
import fs from 'node:fs';
import { type Config, loadConfig, parseMasterKey } from './config/config';
import { migrate, openDatabase } from './db/database';
import { systemClock } from './lib/clock';
import { keyFilePath, loadMasterKeyring, type MasterKeyring } from './lib/crypto/master-keyring';
import { AuditService, type VerifyResult } from './modules/audit/audit.service';
import { AuditKeyring } from './modules/audit/audit-keys';
import { rotateMasterKey } from './modules/servers/master-key-rotation';

const USAGE = `Usage: npm run nexus -- <command>

Commands:
  migrate              apply pending database migrations
  audit-verify         check the audit log's hash chain and say which key each stretch uses;
                       exit 1 if it is broken (--json: the verdict as one JSON line)
  rotate-master-key    re-wrap every tenant data key with a new master key (safe while Nexus runs):
                       the key file gets a generated key, or give it in NEXUS_NEW_MASTER_KEY
                       (required when NEXUS_MASTER_KEY is set)
`;

/** Verify only reads: no key file is created when there is none (keyed rows then fail). */
function existingKeyring(config: Config): MasterKeyring | null {
  if (!config.masterKey && !fs.existsSync(keyFilePath(config.dataDir))) return null;
  return loadMasterKeyring(config, (msg) => process.stderr.write(`${msg}\n`));
}

function describeVerdict(v: VerifyResult): string {
  const lines = [`audit chain: ${v.checked} row(s) checked`];
  for (const s of v.segments) {
    const rows = s.fromSeq === s.toSeq ? `row ${s.fromSeq}` : `rows ${s.fromSeq}-${s.toSeq}`;
    lines.push(`  ${rows}: ${s.keyId ? `HMAC-SHA256 with key ${s.keyId}` : 'legacy SHA-256 (unkeyed, before keying)'}`);
  }
  if (v.head) lines.push(`  head: row ${v.head.seq}, hash ${v.head.hash}`);
  lines.push(
    v.ok
      ? 'OK: the chain is intact'
      : `BROKEN at row ${v.brokenAt?.seq}${v.brokenAt?.id ? ` (id ${v.brokenAt.id})` : ''}: ${v.brokenAt?.reason}`,
  );
  return `${lines.join('\n')}\n`;
}

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
        const keys = new AuditKeyring(database.db, existingKeyring(result.config));
        const verdict = await new AuditService(database.db, database.dialect, systemClock, keys).verify();
        process.stdout.write(
          process.argv.includes('--json') ? `${JSON.stringify(verdict)}\n` : describeVerdict(verdict),
        );
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
            `kept ${r.auditKeys} audit chain key(s) of the old master key(s), sealed under the new one\n` +
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
