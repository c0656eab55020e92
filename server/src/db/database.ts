// Opens the database (SQLite file by default, PostgreSQL with DATABASE_URL) behind one Kysely
// instance, and runs migrations in a single transaction so a failure leaves it as it was.
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  type DialectAdapter,
  Kysely,
  type Migration,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import { ensurePrivateDir, ensurePrivateFile, tightenIfLoose } from '../lib/private-files';
import { migrationProvider } from './migrations/index';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';
export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** SQLite does run DDL inside transactions; Kysely's adapter just doesn't claim it. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NexusSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/**
 * Kysely prepares every query anew; compiling the same SQL over and over was the largest single
 * cost of a warm request in profiles. Statements are reused per SQL text (bounded), which is
 * safe because better-sqlite3 runs each statement to completion synchronously.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, max = 500): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      stmt = sqlite.prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(source, stmt);
    }
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** `warn` hears of a data dir or database file that other users could read. */
export function openDatabase(cfg: DatabaseConfig, opts: { warn?: (msg: string) => void } = {}): Db {
  if (cfg.kind === 'sqlite') {
    if (cfg.file !== ':memory:') {
      // The database holds password hashes, sealed credentials and the audit log: owner only.
      // SQLite gives -wal and -shm the database file's mode, so creating that 0600 covers them.
      const warn = opts.warn ?? (() => {});
      ensurePrivateDir(path.dirname(cfg.file), warn);
      ensurePrivateFile(cfg.file, warn);
      for (const suffix of ['-wal', '-shm']) tightenIfLoose(`${cfg.file}${suffix}`, warn);
    }
    const sqlite = new SqliteDatabase(cfg.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return handle(
      new Kysely<Database>({ dialect: new NexusSqliteDialect({ database: withStatementCache(sqlite) }) }),
      'sqlite',
    );
  }
  const pool = new pg.Pool({
    connectionString: cfg.url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    // Epoch-millisecond timestamps and counts are int8; they fit a JS number.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text'),
    },
  });
  // A client losing its connection (database restart) must not crash the process. pg-pool
  // listens for errors only while a client is idle and drops that listener on checkout, so a
  // connection that dies while checked out between two statements (inside a transaction, say)
  // would emit an unhandled 'error' and kill Nexus. Every client keeps a listener of its own; the
  // statement in flight fails on its own, and the pool discards the broken client on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return handle(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

function handle(db: Kysely<Database>, dialect: Dialect): Db {
  return {
    db,
    dialect,
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

export interface MigrateResult {
  applied: string[];
}

/** Applies pending migrations, all in one transaction. Throws (after rollback) on failure. */
export async function migrate(
  handle: Db,
  extra: Record<string, { up(db: Kysely<unknown>): Promise<void> }> = {},
): Promise<MigrateResult> {
  const migrator = new Migrator({
    db: handle.db,
    provider: migrationProvider(handle.dialect, extra),
    migrationTableName: 'nexus_migrations',
    migrationLockTableName: 'nexus_migrations_lock',
    // Time-stamped names from parallel branches may land out of order; each runs once.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export type { Migration };
