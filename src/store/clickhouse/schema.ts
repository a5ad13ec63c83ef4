/**
 * ClickHouse tables (ADR 0004): raw flows in a MergeTree partitioned by UTC
 * day and sorted by (hour, exporter, time); each rollup a SummingMergeTree
 * fed by a materialized view on the raw table. DDL is text generated from
 * the field table and the server's capabilities, so it is unit-tested for
 * 18.16 and for current releases without a server. Every statement is
 * idempotent (IF NOT EXISTS): several collectors may start at once.
 */
import { STORE_COLUMNS, type StoreColumn } from '../columnar/layout.ts';
import { RAW_TABLE, ROLLUP_COLUMNS, ROLLUP_DIMENSIONS, ROLLUPS, type RollupDef } from '../tables.ts';
import type { ClickhouseCapabilities } from './capabilities.ts';
import { createClickhouseDialect } from './dialect.ts';

/** Table retention in seconds (0: kept until dropped for disk); TTL clauses use it where supported. */
export interface TtlSeconds {
  raw: number;
  /** Rollup name -> seconds. */
  rollups: Readonly<Record<string, number>>;
}

/** The versions table: one row per applied migration (several writers may insert the same). */
export const VERSIONS_TABLE = 'flowlens_schema';

/** How a table is partitioned: by UTC day, or by UTC month for the long-lived hourly rollup. */
export type PartitionUnit = 'day' | 'month';

/** Partition unit of each table. */
export function partitionUnit(table: string): PartitionUnit {
  return table === ROLLUPS.at(-1)?.name ? 'month' : 'day';
}

/** DDL for one server. */
export interface ClickhouseSchema {
  readonly database: string;
  /** CREATE DATABASE. */
  createDatabase(): string;
  /** CREATE of the versions table. */
  createVersions(): string;
  /** Every CREATE of the current schema, in order (tables before the views that feed them). */
  createAll(): string[];
  /** The TTL clause of a table ('' when the server has no TTL or the table keeps data). */
  ttlClause(table: string): string;
  /** ALTER ... MODIFY TTL for an existing table. */
  modifyTtl(table: string): string;
  /** ALTER ... ADD COLUMN of a column the field table gained. */
  addColumn(table: string, col: StoreColumn): string;
  /** Fully qualified table name. */
  table(name: string): string;
}

/** Creates the DDL generator for `database` on a server with `caps`. */
export function createClickhouseSchema(
  database: string,
  caps: ClickhouseCapabilities,
  ttl: TtlSeconds,
): ClickhouseSchema {
  const d = createClickhouseDialect(caps);
  const q = (n: string): string => d.ident(n);
  const table = (n: string): string => `${q(database)}.${q(n)}`;
  const seconds = `toDateTime(intDiv(${q('time')}, 1000), 'UTC')`;
  const columns = (cols: readonly StoreColumn[]): string => {
    const defs = cols.map((c) => `${q(c.name)} ${d.columnType(c)}`);
    // A readable time for people querying ClickHouse directly (not stored).
    const readable = caps.dateTime64
      ? `DateTime64(3, 'UTC') ALIAS toDateTime64(${q('time')} / 1000, 3, 'UTC')`
      : `DateTime('UTC') ALIAS ${seconds}`;
    return [...defs, `${q('timeUtc')} ${readable}`].join(', ');
  };
  const partition = (name: string): string =>
    partitionUnit(name) === 'month' ? `toYYYYMM(${seconds})` : `toYYYYMMDD(${seconds})`;
  const ttlSeconds = (name: string): number => (name === RAW_TABLE ? ttl.raw : (ttl.rollups[name] ?? 0));
  const ttlExpr = (name: string): string => `${seconds} + INTERVAL ${Math.floor(ttlSeconds(name))} SECOND`;
  const ttlClause = (name: string): string =>
    caps.ttl && ttlSeconds(name) > 0 ? ` TTL ${ttlExpr(name)}` : '';

  const rawDdl = (): string =>
    `CREATE TABLE IF NOT EXISTS ${table(RAW_TABLE)} (${columns(STORE_COLUMNS)}) ENGINE = MergeTree ` +
    `PARTITION BY ${partition(RAW_TABLE)} ORDER BY (intDiv(${q('time')}, 3600000), ${q('exporter')}, ${q('time')})` +
    `${ttlClause(RAW_TABLE)} SETTINGS index_granularity = 8192`;

  // Summing merges rows with equal sorting keys, so every dimension is in the key; nullable
  // ones as (value or default, is-null) so an unknown value never merges with a zero.
  const rollupKey = (): string =>
    [
      q('time'),
      ...ROLLUP_DIMENSIONS.map((c) =>
        c.required ? q(c.name) : `assumeNotNull(${q(c.name)}), isNull(${q(c.name)})`,
      ),
    ].join(', ');
  // The in-memory index holds the leading required columns only (type, exporter).
  const firstOptional = ROLLUP_DIMENSIONS.findIndex((c) => !c.required);
  const primaryKey = [q('time'), ...ROLLUP_DIMENSIONS.slice(0, firstOptional).map((c) => q(c.name))].join(
    ', ',
  );
  const rollupDdl = (r: RollupDef): string =>
    `CREATE TABLE IF NOT EXISTS ${table(r.name)} (${columns(ROLLUP_COLUMNS)}) ` +
    `ENGINE = SummingMergeTree((${q('bytes')}, ${q('packets')}, ${q('flows')})) ` +
    `PARTITION BY ${partition(r.name)} PRIMARY KEY (${primaryKey}) ` +
    `ORDER BY (${rollupKey()})${ttlClause(r.name)}`;
  const viewDdl = (r: RollupDef): string => {
    const dims = ROLLUP_DIMENSIONS.map((c) => q(c.name)).join(', ');
    const rate = `coalesce(${q('samplingRate')}, 1)`;
    return (
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table(`${r.name}_mv`)} TO ${table(r.name)} AS SELECT ` +
      `intDiv(${q('time')}, ${r.resolutionMs}) * ${r.resolutionMs} AS ${q('time')}, ${dims}, ` +
      `sum(${q('bytes')} * ${rate}) AS ${q('bytes')}, sum(${q('packets')} * ${rate}) AS ${q('packets')}, ` +
      `count() AS ${q('flows')} FROM ${table(RAW_TABLE)} GROUP BY ${q('time')}, ${dims}`
    );
  };

  return {
    database,
    table,
    createDatabase: () => `CREATE DATABASE IF NOT EXISTS ${q(database)}`,
    createVersions: () =>
      `CREATE TABLE IF NOT EXISTS ${table(VERSIONS_TABLE)} (${q('version')} UInt32, ${q('applied')} DateTime, ` +
      `${q('by')} String) ENGINE = MergeTree ORDER BY ${q('version')}`,
    createAll: () => [rawDdl(), ...ROLLUPS.map(rollupDdl), ...ROLLUPS.map(viewDdl)],
    ttlClause,
    modifyTtl: (name) => `ALTER TABLE ${table(name)} MODIFY TTL ${ttlExpr(name)}`,
    addColumn: (name, col) =>
      `ALTER TABLE ${table(name)} ADD COLUMN ${q(col.name)} ${d.columnType({ ...col, required: false })}`,
  };
}
