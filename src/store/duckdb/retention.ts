/**
 * Retention on DuckDB: by age (raw flows and each rollup with its own
 * maximum age) and by disk budget. DuckDB never shrinks its file, but blocks
 * freed by a DELETE and a CHECKPOINT are reused, so keeping the used blocks
 * under a high-water mark keeps the file under the budget: past
 * HIGH_WATER of the budget the oldest flows are deleted down to LOW_WATER.
 * The 60% headroom is what DuckDB needs: a checkpoint writes changed row
 * groups to new blocks before it frees the old ones, and freed blocks are
 * reusable only after the next checkpoint (measured: up to ~25% of the used
 * blocks at a time).
 */
import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RAW_TABLE, ROLLUPS } from '../tables.ts';
import type { TableRetention } from '../ports.ts';
import { duckdbDialect as d } from './dialect.ts';
import { RAW_PARTS } from './schema.ts';

/** Fraction of the budget that triggers deleting. */
const HIGH_WATER = 0.4;
/** Fraction of the budget deleting aims for. */
const LOW_WATER = 0.25;
/**
 * The file itself past this fraction of the budget: free blocks are too
 * fragmented for checkpoints to reuse, so deleting aims lower (FILE_LOW_WATER)
 * to leave whole row groups free before the file grows again.
 */
const FILE_HIGH_WATER = 0.75;
const FILE_LOW_WATER = 0.15;
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

/**
 * Keeps the store under `maxDiskBytes`: deletes the oldest raw flows (then
 * the oldest rollup buckets, when raw flows alone do not suffice) and
 * checkpoints so the space is reused. Returns rows deleted.
 */
export async function enforceDisk(
  c: DuckDBConnection,
  file: string,
  maxDiskBytes: number,
  incomingBytes = 0,
): Promise<number> {
  let deleted = 0;
  const names = ROLLUPS.map((t) => t.name);
  const tables = [[RAW_TABLE, ...names.slice(0, -1)], names.slice(-1)];
  // Once per call: the file does not shrink, so its size would ask for more every round.
  let filePressure = fileBytes(file) + incomingBytes > maxDiskBytes * FILE_HIGH_WATER;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Room is made before a flush for what it will add, so the file never overshoots.
    const used = (await usedBytes(c, file)) + incomingBytes;
    const target = maxDiskBytes * (filePressure ? FILE_LOW_WATER : LOW_WATER);
    if (used <= maxDiskBytes * HIGH_WATER && (!filePressure || used <= target)) break;
    filePressure = false;
    // Delete a share of the data proportional to the excess, at least a tenth.
    const fraction = Math.min(1, Math.max(0.1, 1 - target / used));
    // Raw flows and the finer rollups shrink together (rollups of busy networks are not
    // small); the coarsest rollup, the long history, goes only when nothing else is left.
    for (const group of tables) {
      let any = false;
      for (const table of group) {
        const cutoff = await timeQuantile(c, table, fraction);
        if (cutoff === undefined) continue;
        any = true;
        // `<=` so the quantile row itself goes too: a table of one instant still empties.
        const n = await deleteBefore(c, table, cutoff, true);
        if (table === RAW_TABLE) deleted += n;
      }
      if (any) break;
    }
    await c.run('CHECKPOINT');
  }
  return deleted;
}

/** Stored bytes per row (all tables), to foresee what a flush adds; undefined when empty. */
export async function bytesPerRow(c: DuckDBConnection, file: string): Promise<number | undefined> {
  const r = await c.runAndReadAll('SELECT sum(estimated_size) FROM duckdb_tables() WHERE NOT temporary');
  const rows = Number(r.getRows()[0]?.[0] ?? 0);
  return rows > 10_000 ? (await usedBytes(c, file)) / rows : undefined;
}
