/** Read-only access to a DuckDB store that no running server holds (CLI queries). */
import { join } from 'node:path';
import type { QueryRunner, TableRetention } from '../ports.ts';
import { DUCKDB_FILE, openDuckDb } from './open.ts';
import { createDuckDbRunner } from './runner.ts';

/** A runner over a store opened read-only; close() releases the file. */
export interface StoreReader {
  readonly runner: QueryRunner;
  close(): void;
}

/**
 * Opens the store in `dir` read-only. Rejects with StoreMissingError when
 * there is none, StoreLockedError when a server holds it.
 */
export async function openDuckDbReader(dir: string, retention: TableRetention): Promise<StoreReader> {
  const db = await openDuckDb(join(dir, DUCKDB_FILE), { readOnly: true });
  return {
    runner: createDuckDbRunner(() => db.connect(), retention),
    close: () => db.closeSync(),
  };
}
