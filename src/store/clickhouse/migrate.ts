/**
 * Bringing a ClickHouse database up to date, safely when several collectors
 * start at once: every statement is idempotent, a race on CREATE (another
 * writer won) is tolerated, a migration's version row is inserted after its
 * statements (duplicates are harmless: the current version is the max),
 * and TTLs follow the configuration where the server has them.
 */
import { hostname } from 'node:os';
import { STORE_COLUMNS } from '../columnar/layout.ts';
import { RAW_TABLE, ROLLUPS } from '../tables.ts';
import type { ClickhouseCapabilities } from './capabilities.ts';
import { ClickhouseError, type ClickhouseConnection } from './connection.ts';
import { quoteClickhouse } from './dialect.ts';
import { VERSIONS_TABLE, type ClickhouseSchema } from './schema.ts';

interface Migration {
  version: number;
  why: string;
  statements: (s: ClickhouseSchema) => string[];
}

/** Append-only: a released migration never changes; a new one gets the next version. */
const MIGRATIONS: readonly Migration[] = [
  { version: 1, why: 'raw flows, rollups and their views', statements: (s) => s.createAll() },
];

/** The schema version this code writes. */
export const CLICKHOUSE_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** ClickHouse codes meaning "someone else already did it": table, database, column exists. */
const ALREADY = new Set([44, 57, 82]);

async function idempotent(conn: ClickhouseConnection, sql: string): Promise<void> {
  try {
    await conn.command(sql);
  } catch (err) {
    if (
      err instanceof ClickhouseError &&
      (ALREADY.has(err.serverCode ?? 0) || /already exists/i.test(err.message))
    )
      return;
    throw err;
  }
}

/** Creates the database (through a connection that does not select it). */
export async function createDatabase(admin: ClickhouseConnection, schema: ClickhouseSchema): Promise<void> {
  await idempotent(admin, schema.createDatabase());
}

/** Applies the migrations the database lacks; returns their versions. */
export async function migrateClickhouse(
  conn: ClickhouseConnection,
  schema: ClickhouseSchema,
  caps: ClickhouseCapabilities,
): Promise<number[]> {
  await idempotent(conn, schema.createVersions());
  const [[max] = ['0']] = await conn.rows(`SELECT max(version) FROM ${schema.table(VERSIONS_TABLE)}`);
  const current = Number(max ?? 0);
  if (current > CLICKHOUSE_SCHEMA_VERSION)
    throw new Error(
      `ClickHouse schema ${current} is newer than this FlowLens (${CLICKHOUSE_SCHEMA_VERSION})`,
    );
  const applied: number[] = [];
  const by = quoteClickhouse(`${hostname()}:${process.pid}`);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    try {
      for (const sql of m.statements(schema)) await idempotent(conn, sql);
    } catch (err) {
      throw new Error(`ClickHouse migration ${m.version} (${m.why}) failed`, { cause: err });
    }
    await conn.command(`INSERT INTO ${schema.table(VERSIONS_TABLE)} VALUES (${m.version}, now(), ${by})`);
    applied.push(m.version);
  }
  await addMissingColumns(conn, schema);
  if (caps.ttl) await syncTtl(conn, schema);
  return applied;
}

/** Fields added to the field table after the raw table was created become nullable columns. */
async function addMissingColumns(conn: ClickhouseConnection, schema: ClickhouseSchema): Promise<void> {
  const rows = await conn.rows(
    `SELECT name FROM system.columns WHERE database = ${quoteClickhouse(schema.database)} ` +
      `AND table = ${quoteClickhouse(RAW_TABLE)}`,
  );
  const have = new Set(rows.map((r) => r[0]));
  for (const col of STORE_COLUMNS)
    if (!have.has(col.name)) await idempotent(conn, schema.addColumn(RAW_TABLE, col));
}

/**
 * Sets each table's TTL to the configured one when it differs (the server
 * prints `INTERVAL n SECOND` as `toIntervalSecond(n)`). With several
 * collectors, give them the same retention: the last one started wins.
 */
async function syncTtl(conn: ClickhouseConnection, schema: ClickhouseSchema): Promise<void> {
  const rows = await conn.rows(
    `SELECT name, engine_full FROM system.tables WHERE database = ${quoteClickhouse(schema.database)}`,
  );
  const engines = new Map(rows.map((r) => [r[0], r[1] ?? '']));
  for (const table of [RAW_TABLE, ...ROLLUPS.map((r) => r.name)]) {
    const clause = schema.ttlClause(table);
    const n = /INTERVAL (\d+) SECOND/.exec(clause)?.[1];
    const engine = engines.get(table) ?? '';
    if (
      n === undefined ||
      engine.includes(`toIntervalSecond(${n})`) ||
      engine.includes(`INTERVAL ${n} SECOND`)
    )
      continue;
    await conn.command(schema.modifyTtl(table));
  }
}
