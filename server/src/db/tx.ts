// Transactions and the few spots where the dialects need different SQL, each named here.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from './database';
import type { Database } from './schema';

export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Serializes writers of one named chain (the audit log, per-tenant limits) across transactions
 * and, on PostgreSQL, across instances. SQLite already runs one write transaction at a time.
 */
export async function lockNamed(trx: Transaction<Database>, dialect: Dialect, name: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  }
}

/** Whether an error is a unique-constraint violation in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export const bool = (v: boolean): number => (v ? 1 : 0);
