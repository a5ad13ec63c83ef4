/**
 * Retention on DuckDB: by age (raw flows and each rollup with its own
 * maximum age) and by disk budget. Blocks freed by a DELETE and a
 * CHECKPOINT are reused, so keeping the used blocks under a high-water mark
 * leaves room for what comes: past HIGH_WATER of the budget the oldest
 * flows are deleted down to LOW_WATER. The headroom is what DuckDB needs: a
 * checkpoint writes changed row groups to new blocks before it frees the
 * old ones, and freed blocks are reusable only after the next checkpoint
 * (measured: up to ~25% of the used blocks at a time). DuckDB gives space
 * back only from the end of the file, so when the file itself nears the
 * budget while mostly free inside, the tables are compacted (compact.ts).
 */
import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RAW_TABLE, ROLLUPS } from '../tables.ts';
import type { TableRetention } from '../ports.ts';
import { duckdbDialect as d } from './dialect.ts';
import { RAW_PARTS } from './schema.ts';
import { compactTables } from './compact.ts';

/** Fraction of the budget that triggers deleting. */
const HIGH_WATER = 0.4;
/** Fraction of the budget deleting aims for. */
const LOW_WATER = 0.25;
/**
 * The file (with what the next flush adds) past this fraction of the budget
 * is compacted: the margin above it takes one flush and the checkpoints of
 * a compaction.
 */
const COMPACT_WATER = 0.7;
/** The coarsest rollup may keep this share of all rows before disk pressure trims it. */
const HISTORY_SHARE = 0.25;
/** Rows sampled to find the time below which a fraction of a table lies. */
const SAMPLE_ROWS = 100_000;
/** Delete-and-measure rounds before giving up until the next check. */
const MAX_ROUNDS = 4;

/** Bytes of the database file plus its write-ahead log. */
export function fileBytes(file: string): number {
  const size = (p: string): number => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(file) + size(`${file}.wal`);
}

/** Bytes in use: used blocks plus the write-ahead log (free blocks are reused). */
export async function usedBytes(c: DuckDBConnection, file: string): Promise<number> {
  const r = await c.runAndReadAll('SELECT used_blocks, block_size FROM pragma_database_size() LIMIT 1');
  const [used, block] = r.getRows()[0] ?? [0, 0];
  let wal = 0;
  try {
    wal = statSync(`${file}.wal`).size;
  } catch {
    // No log: everything is checkpointed.
  }
  return Number(used) * Number(block) + wal;
}

/** Deletes rows of `table` older than the cutoff (`inclusive`: at it too); the raw view deletes from its tables. */
async function deleteBefore(
  c: DuckDBConnection,
  table: string,
  cutoffMs: number,
  inclusive = false,
): Promise<number> {
  let n = 0;
  for (const t of table === RAW_TABLE ? RAW_PARTS : [table]) {
    const r = await c.run(
      `DELETE FROM ${d.ident(t)} WHERE "time" ${inclusive ? '<=' : '<'} ${d.time(Math.floor(cutoffMs))}`,
    );
    n += r.rowsChanged;
  }
  return n;
}

/** Deletes what is older than each table's maximum age; returns rows deleted from the raw table. */
export async function enforceAge(c: DuckDBConnection, nowMs: number, r: TableRetention): Promise<number> {
  const raw = await deleteBefore(c, RAW_TABLE, nowMs - r.rawMaxAgeMs);
  for (const t of ROLLUPS) {
    const age = r.rollupMaxAgeMs[t.name];
    if (age !== undefined) await deleteBefore(c, t.name, nowMs - age);
  }
  return raw;
}

/** The time below which `fraction` of the table's rows lie (sampled), or undefined when empty. */
async function timeQuantile(
  c: DuckDBConnection,
  table: string,
  fraction: number,
): Promise<number | undefined> {
  const r = await c.runAndReadAll(
    `SELECT epoch_ms(quantile_disc("time", ${fraction})), count(*) FROM ${d.ident(table)} ` +
      `USING SAMPLE ${SAMPLE_ROWS} ROWS`,
  );
  const [t, n] = r.getRows()[0] ?? [];
  return t === null || t === undefined || Number(n) === 0 ? undefined : Number(t);
}

/** What enforceDisk did. */
export interface DiskEnforcement {
  /** Raw flows deleted. */
  deleted: number;
  /** The tables were compacted. */
  compacted: boolean;
}

/**
 * Keeps the store under `maxDiskBytes`: deletes the oldest raw flows and
 * finer rollups (the coarsest rollup too while it holds more than
 * HISTORY_SHARE of the rows) and checkpoints so the space is reused;
 * compacts when the file nears the budget.
 */
export async function enforceDisk(
  c: DuckDBConnection,
  file: string,
  maxDiskBytes: number,
  incomingBytes = 0,
): Promise<DiskEnforcement> {
  let deleted = 0;
  const names = ROLLUPS.map((t) => t.name);
  const coarsest = names.at(-1)!;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Room is made before a flush for what it will add, so the file never overshoots.
    const used = (await usedBytes(c, file)) + incomingBytes;
    const target = maxDiskBytes * LOW_WATER;
    if (used <= maxDiskBytes * HIGH_WATER) break;
    // Delete a share of the data proportional to the excess, at least a tenth.
    const fraction = Math.min(1, Math.max(0.1, 1 - target / used));
    const rows = await tableRows(c);
    const total = [...rows.values()].reduce((a, b) => a + b, 0);
    // Raw flows and the finer rollups shrink together (rollups of busy networks are not
    // small). The coarsest rollup, the long history, is usually small and kept; where its
    // keys barely aggregate it would grow without bound, so it is held to a share.
    const victims = [RAW_TABLE, ...names.slice(0, -1)];
    if ((rows.get(coarsest) ?? 0) > total * HISTORY_SHARE) victims.push(coarsest);
    let any = false;
    for (const table of victims) {
      const cutoff = await timeQuantile(c, table, fraction);
      if (cutoff === undefined) continue;
      any = true;
      // `<=` so the quantile row itself goes too: a table of one instant still empties.
      const n = await deleteBefore(c, table, cutoff, true);
      if (table === RAW_TABLE) deleted += n;
    }
    // Only the long history is left: it goes too, oldest first.
    if (!any) {
      const cutoff = await timeQuantile(c, coarsest, fraction);
      if (cutoff !== undefined) await deleteBefore(c, coarsest, cutoff, true);
    }
    await c.run('CHECKPOINT');
  }
  const compacted = fileBytes(file) + incomingBytes > maxDiskBytes * COMPACT_WATER;
  if (compacted) await compactTables(c);
  return { deleted, compacted };
}

/** Rows of each flow table (the raw view's parts summed under RAW_TABLE). */
async function tableRows(c: DuckDBConnection): Promise<Map<string, number>> {
  const r = await c.runAndReadAll(
    "SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main'",
  );
  const out = new Map<string, number>();
  for (const [name, n] of r.getRows()) {
    const key = RAW_PARTS.includes(String(name)) ? RAW_TABLE : String(name);
    out.set(key, (out.get(key) ?? 0) + Number(n));
  }
  return out;
}

/** Stored bytes per row (all tables), to foresee what a flush adds; undefined when empty. */
export async function bytesPerRow(c: DuckDBConnection, file: string): Promise<number | undefined> {
  const r = await c.runAndReadAll('SELECT sum(estimated_size) FROM duckdb_tables() WHERE NOT temporary');
  const rows = Number(r.getRows()[0]?.[0] ?? 0);
  return rows > 10_000 ? (await usedBytes(c, file)) / rows : undefined;
}
