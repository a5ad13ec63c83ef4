/**
 * Compaction in place. DuckDB reuses the blocks that deletes free, but gives
 * disk space back only from the end of the file: blocks still in use near
 * the end keep the file long, mostly free inside. Rewriting a table copies
 * its rows into the lowest free blocks (DuckDB allocates those first) and
 * frees its old ones; after a checkpoint the free tail is cut off. Each
 * table is rewritten in its own transaction, so a crash leaves either the
 * old table or the new one, and the copy needs free blocks the size of one
 * table, never of the whole store.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUPS } from '../tables.ts';
import { duckdbDialect as d } from './dialect.ts';
import { coreTableDdl, RAW_CORE_TABLE, RAW_WIDE_TABLE, rawTableDdl, rollupTableDdl } from './schema.ts';

/** Suffix of a table being rebuilt (never left behind: it is renamed in the same transaction). */
const REBUILD_SUFFIX = '__compact';

/** Every table the store rewrites, with the DDL of its replacement. */
function tables(): { name: string; ddl: (name: string) => string }[] {
  return [
    { name: RAW_CORE_TABLE, ddl: coreTableDdl },
    { name: RAW_WIDE_TABLE, ddl: (n) => rawTableDdl(n) },
    ...ROLLUPS.map((r) => ({ name: r.name, ddl: rollupTableDdl })),
  ];
}

/** Rewrites every flow table into the lowest free blocks and checkpoints after each. */
export async function compactTables(c: DuckDBConnection): Promise<void> {
  for (const t of tables()) {
    const tmp = `${t.name}${REBUILD_SUFFIX}`;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(`DROP TABLE IF EXISTS ${d.ident(tmp)}`);
      await c.run(t.ddl(tmp));
      // By name: a migrated table may have its columns in another order. Time order is kept
      // (insertion order), so deleting the oldest rows later still frees whole row groups.
      await c.run(`INSERT INTO ${d.ident(tmp)} BY NAME SELECT * FROM ${d.ident(t.name)}`);
      await c.run(`DROP TABLE ${d.ident(t.name)}`);
      await c.run(`ALTER TABLE ${d.ident(tmp)} RENAME TO ${d.ident(t.name)}`);
      await c.run('COMMIT');
    } catch (err) {
      await c.run('ROLLBACK');
      throw new Error(`compacting ${t.name} failed`, { cause: err });
    }
    await c.run('CHECKPOINT');
  }
}
