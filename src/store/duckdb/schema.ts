/**
 * DuckDB tables and migrations. The schema version lives in the database;
 * on open, each migration newer than it runs in its own transaction, then
 * any column the field table has gained is added, so a database written by
 * an older FlowLens opens up to date.
 *
 * Raw flows live in two tables (ADR 0006): `flows_core` holds the flows
 * that carry only CORE_FIELDS (most of them), `flows_wide` every column;
 * `flows`, the name queries read, is a view of both with every column.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { STORE_COLUMNS, type StoreColumn } from '../columnar/layout.ts';
import { CORE_COLUMN_INDEXES, RAW_TABLE, ROLLUP_COLUMNS, ROLLUP_DIMENSIONS, ROLLUPS } from '../tables.ts';
import { duckdbDialect as d } from './dialect.ts';

/** Raw flows that carry only core fields: the narrow table. */
export const RAW_CORE_TABLE = 'flows_core';
/** Raw flows with any other field: every column. */
export const RAW_WIDE_TABLE = 'flows_wide';
/** The tables behind the `flows` view (retention deletes from each). */
export const RAW_PARTS: readonly string[] = [RAW_CORE_TABLE, RAW_WIDE_TABLE];
/** The columns of the narrow table, in its order. */
export const CORE_COLUMNS: readonly StoreColumn[] = CORE_COLUMN_INDEXES.map((i) => STORE_COLUMNS[i]!);

/**
 * Addresses (UHUGEINT) are stored uncompressed: bit-packed 128-bit values cost
 * 1-2 µs each to read, 50-100x any other column, and were most of every top-N
 * or CIDR search (bench/query). Every other column keeps DuckDB's choice
 * (bit-packing included), which keeps the file about 3x smaller than turning
 * bit-packing off for the whole database.
 */
const compressionOf = (type: string): string =>
  type === 'UHUGEINT' ? ' USING COMPRESSION uncompressed' : '';

const columnsDdl = (cols: readonly StoreColumn[]): string =>
  cols
    .map((c) => {
      const type = d.columnType(c);
      return `${d.ident(c.name)} ${type}${compressionOf(type)}`;
    })
    .join(', ');

/** CREATE TABLE of the raw flows. */
export function rawTableDdl(name = RAW_WIDE_TABLE, temp = false): string {
  return `CREATE ${temp ? 'TEMP ' : ''}TABLE IF NOT EXISTS ${d.ident(name)} (${columnsDdl(STORE_COLUMNS)})`;
}

/** CREATE TABLE of the narrow raw table. */
export function coreTableDdl(name = RAW_CORE_TABLE): string {
  return `CREATE TABLE IF NOT EXISTS ${d.ident(name)} (${columnsDdl(CORE_COLUMNS)})`;
}

/**
 * The `flows` view: the narrow table with every column (NULL where it has
 * none) and, once it holds rows, the wide one. Only while the wide table is
 * empty does DuckDB plan a sorted page (`ORDER BY time DESC LIMIT n`) as on
 * a table, reading the sort column first: through UNION ALL it reads every
 * column of every row (3 M flows: 0.02 s of CPU vs 0.25 s).
 */
export function rawViewDdl(withWide = true): string {
  const core = new Set(CORE_COLUMNS.map((c) => c.name));
  const fromCore = STORE_COLUMNS.map((c) =>
    core.has(c.name)
      ? d.ident(c.name)
      : `CAST(NULL AS ${d.columnType({ ...c, required: false })}) AS ${d.ident(c.name)}`,
  );
  const all = STORE_COLUMNS.map((c) => d.ident(c.name));
  return (
    `CREATE OR REPLACE VIEW ${d.ident(RAW_TABLE)} AS ` +
    `SELECT ${fromCore.join(', ')} FROM ${d.ident(RAW_CORE_TABLE)}` +
    (withWide ? ` UNION ALL SELECT ${all.join(', ')} FROM ${d.ident(RAW_WIDE_TABLE)}` : '')
  );
}

/** (Re)creates the `flows` view, with the wide table when it has rows; returns whether it has. */
export async function createRawView(c: DuckDBConnection): Promise<boolean> {
  const r = await c.runAndReadAll(`SELECT count(*) FROM (SELECT 1 FROM ${d.ident(RAW_WIDE_TABLE)} LIMIT 1)`);
  const withWide = Number(r.getRows()[0]?.[0] ?? 0) > 0;
  await c.run(rawViewDdl(withWide));
  return withWide;
}

/** CREATE TABLE of a rollup. */
export function rollupTableDdl(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${d.ident(name)} (${columnsDdl(ROLLUP_COLUMNS)})`;
}

/** INSERT of a rollup's buckets from the raw rows of `from`. */
export function rollupInsertSql(rollup: string, resolutionMs: number, from: string): string {
  const dims = ROLLUP_DIMENSIONS.map((c) => d.ident(c.name)).join(', ');
  const rate = `coalesce("samplingRate", 1)`;
  const bucket = `epoch_ms(epoch_ms("time") // ${resolutionMs} * ${resolutionMs})`;
  return (
    `INSERT INTO ${d.ident(rollup)} SELECT ${bucket}, ${dims}, ` +
    `sum("bytes" * ${rate}), sum("packets" * ${rate}), count(*) ` +
    `FROM ${d.ident(from)} GROUP BY ALL`
  );
}

interface Migration {
  version: number;
  why: string;
  statements: () => string[];
}

/** Append-only: a released migration never changes; a new one gets the next version. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    why: 'raw flows and the 1 minute / 1 hour rollups',
    statements: () => [rawTableDdl('flows'), ...ROLLUPS.map((r) => rollupTableDdl(r.name))],
  },
  {
    version: 2,
    why: 'raw flows split into a narrow and a wide table behind the flows view (ADR 0006)',
    // Existing rows stay where they are, in the wide table: nothing is copied.
    statements: () => ['ALTER TABLE flows RENAME TO flows_wide', coreTableDdl('flows_core')],
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** Brings the database up to date; returns the versions applied. */
export async function migrate(c: DuckDBConnection): Promise<number[]> {
  await c.run('CREATE TABLE IF NOT EXISTS flowlens_schema (version INTEGER NOT NULL, applied TIMESTAMP)');
  const r = await c.runAndReadAll('SELECT coalesce(max(version), 0) FROM flowlens_schema');
  const current = Number(r.getRows()[0]?.[0] ?? 0);
  if (current > SCHEMA_VERSION)
    throw new Error(`database schema ${current} is newer than this FlowLens (${SCHEMA_VERSION})`);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await c.run('BEGIN TRANSACTION');
    try {
      for (const s of m.statements()) await c.run(s);
      await c.run(`INSERT INTO flowlens_schema VALUES (${m.version}, now())`);
      await c.run('COMMIT');
    } catch (err) {
      await c.run('ROLLBACK');
      throw new Error(`migration ${m.version} (${m.why}) failed`, { cause: err });
    }
    applied.push(m.version);
  }
  await addMissingColumns(c, RAW_WIDE_TABLE, STORE_COLUMNS);
  await addMissingColumns(c, RAW_CORE_TABLE, CORE_COLUMNS);
  for (const r of ROLLUPS) await addMissingColumns(c, r.name, ROLLUP_COLUMNS);
  // After the columns: the view lists every column the field table has now.
  await createRawView(c);
  return applied;
}

/** Fields added to the field table after a database was created become new nullable columns. */
async function addMissingColumns(
  c: DuckDBConnection,
  table: string,
  cols: readonly StoreColumn[],
): Promise<void> {
  const r = await c.runAndReadAll(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${d.string(table)}`,
  );
  const have = new Set(r.getRows().map((row) => String(row[0])));
  for (const col of cols) {
    if (have.has(col.name)) continue;
    // Old rows get NULL: the field was unknown when they were written.
    const type = d.columnType({ ...col, required: false });
    await c.run(
      `ALTER TABLE ${d.ident(table)} ADD COLUMN ${d.ident(col.name)} ${type}${compressionOf(type)}`,
    );
  }
}
