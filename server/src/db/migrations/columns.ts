// The column groups and table shapes the migrations repeat, written once. Each emits exactly the
// DDL the migrations used to spell out by hand: a migration that has run must keep meaning the
// same schema, so these may gain callers but must never change what they produce.
import type { CreateTableBuilder, ColumnDataType as DataType, Kysely } from 'kysely';
import type { MigrationContext } from './index';

type Table = CreateTableBuilder<string, string>;
type Millis = MigrationContext['types']['millis'];

/** A table keyed by a text `id` that the application generates. */
export function createEntity(db: Kysely<unknown>, table: string): Table {
  return db.schema.createTable(table).addColumn('id', 'text', (c) => c.primaryKey());
}

/**
 * A text column referencing `parent.id`, deleted with its parent: required (the default),
 * `optional`, or the table's `primaryKey` (one row per parent).
 */
export function ownedBy(column: string, parent: string, how: 'required' | 'optional' | 'primaryKey' = 'required') {
  return (table: Table): Table =>
    table.addColumn(column, 'text', (c) => {
      const col = how === 'primaryKey' ? c.primaryKey() : how === 'required' ? c.notNull() : c;
      return col.references(`${parent}.id`).onDelete('cascade');
    });
}

/** Required (not null) columns of one type, in the order given: `required(t.millis, 'created_at')`. */
export function required(type: DataType, ...columns: string[]) {
  return (table: Table): Table => columns.reduce((t, name) => t.addColumn(name, type, (c) => c.notNull()), table);
}

/** `created_at` and `updated_at`, both required. */
export function timestamps(millis: Millis) {
  return required(millis, 'created_at', 'updated_at');
}

/** Integer columns that are never null and start at `initial` (flags and counters). */
export function counters(initial: number, ...columns: string[]) {
  return (table: Table): Table =>
    columns.reduce((t, name) => t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(initial)), table);
}

/** A plain (non-unique) index on `columns` of `table`. */
export async function createIndex(db: Kysely<unknown>, name: string, table: string, columns: string[]): Promise<void> {
  await db.schema.createIndex(name).on(table).columns(columns).execute();
}

/** Drops each table that exists, in the order given (dependents first). */
export async function dropTables(db: Kysely<unknown>, tables: string[]): Promise<void> {
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}

/** Adds nullable columns to an existing table, one statement each (as SQLite requires). */
export async function addColumns(db: Kysely<unknown>, table: string, columns: Record<string, DataType>): Promise<void> {
  for (const [name, type] of Object.entries(columns)) await db.schema.alterTable(table).addColumn(name, type).execute();
}

/** Adds a required column to an existing table; rows already there take `initial`. */
export async function addRequiredColumn(
  db: Kysely<unknown>,
  table: string,
  column: string,
  type: DataType,
  initial: number | string,
): Promise<void> {
  await db.schema
    .alterTable(table)
    .addColumn(column, type, (c) => c.notNull().defaultTo(initial))
    .execute();
}

/** Drops columns from a table, one statement each, in the order given. */
export async function dropColumns(db: Kysely<unknown>, table: string, columns: string[]): Promise<void> {
  for (const name of columns) await db.schema.alterTable(table).dropColumn(name).execute();
}
