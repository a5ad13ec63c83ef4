/**
 * Retention on ClickHouse, by whole partitions (UTC days; months for the
 * hourly rollup): a partition goes once all of it is older than its table's
 * maximum age, on every version (servers with TTL also expire rows inside
 * partitions as they merge). The disk budget drops the oldest raw and
 * 1-minute partitions while the database is over it, never the newest day.
 * Dropping a partition another collector already dropped does nothing.
 */
import { RAW_TABLE, ROLLUPS } from '../tables.ts';
import type { TableRetention } from '../ports.ts';
import type { ClickhouseConnection } from './connection.ts';
import { quoteClickhouse } from './dialect.ts';
import { partitionUnit, type ClickhouseSchema } from './schema.ts';

/** A partition of a table with its rows and bytes. */
interface Part {
  table: string;
  id: string;
  endMs: number;
  rows: number;
  bytes: number;
}

/** End (exclusive, epoch ms) of a partition id: YYYYMMDD or YYYYMM. */
export function partitionEndMs(id: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})?$/.exec(id);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  return d === undefined ? Date.UTC(y, mo, 1) : Date.UTC(y, mo - 1, d + 1);
}

async function listParts(conn: ClickhouseConnection, schema: ClickhouseSchema): Promise<Part[]> {
  const found = await conn.rows(
    `SELECT table, partition_id, sum(rows), sum(bytes_on_disk) FROM system.parts ` +
      `WHERE database = ${quoteClickhouse(schema.database)} AND active GROUP BY table, partition_id`,
  );
  const parts: Part[] = [];
  for (const [table = '', id = '', rows = '0', bytes = '0'] of found) {
    const endMs = partitionEndMs(id);
    if (endMs !== undefined) parts.push({ table, id, endMs, rows: Number(rows), bytes: Number(bytes) });
  }
  return parts;
}

async function drop(conn: ClickhouseConnection, schema: ClickhouseSchema, p: Part): Promise<void> {
  // The id is digits only (checked by partitionEndMs), the partition value itself.
  await conn.command(`ALTER TABLE ${schema.table(p.table)} DROP PARTITION ${p.id}`);
}

/** Result of a retention pass. */
export interface RetentionResult {
  rawRowsByAge: number;
  rawRowsForDisk: number;
  diskBytes: number;
}

/** Drops partitions past their age, then the oldest while over `maxDiskBytes`. */
export async function enforceClickhouseRetention(
  conn: ClickhouseConnection,
  schema: ClickhouseSchema,
  nowMs: number,
  retention: TableRetention,
  maxDiskBytes: number,
): Promise<RetentionResult> {
  const res: RetentionResult = { rawRowsByAge: 0, rawRowsForDisk: 0, diskBytes: 0 };
  const maxAge = (t: string): number | undefined =>
    t === RAW_TABLE ? retention.rawMaxAgeMs : retention.rollupMaxAgeMs[t];
  let parts = await listParts(conn, schema);
  for (const p of parts) {
    const age = maxAge(p.table);
    if (age === undefined || p.endMs > nowMs - age) continue;
    await drop(conn, schema, p);
    if (p.table === RAW_TABLE) res.rawRowsByAge += p.rows;
  }
  parts = parts.filter((p) => {
    const age = maxAge(p.table);
    return age === undefined || p.endMs > nowMs - age;
  });
  const shrinkable = new Set([
    RAW_TABLE,
    ...ROLLUPS.filter((r) => partitionUnit(r.name) === 'day').map((r) => r.name),
  ]);
  let total = parts.reduce((n, p) => n + p.bytes, 0);
  const newest = Math.max(0, ...parts.map((p) => p.endMs));
  const oldestFirst = parts
    .filter((p) => shrinkable.has(p.table) && p.endMs < newest)
    .sort((a, b) => a.endMs - b.endMs);
  for (const p of oldestFirst) {
    if (total <= maxDiskBytes) break;
    await drop(conn, schema, p);
    total -= p.bytes;
    if (p.table === RAW_TABLE) res.rawRowsForDisk += p.rows;
  }
  res.diskBytes = total;
  return res;
}
