/** Opening the DuckDB file, with the errors users can act on. */
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/** The store file is held by another process (DuckDB allows one writer process). */
export class StoreLockedError extends Error {
  readonly code = 'FLOWLENS_ERR_STORE_LOCKED';
  readonly pid: number | undefined;
  constructor(message: string, pid: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.pid = pid;
  }
}

/** There is no store at the path (nothing was ever written). */
export class StoreMissingError extends Error {
  readonly code = 'FLOWLENS_ERR_STORE_MISSING';
}

/** File name of the embedded store inside `storage.path`. */
export const DUCKDB_FILE = 'flows.duckdb';

export interface OpenOptions {
  readOnly?: boolean;
  /** WAL size that triggers a checkpoint; small disk budgets want small logs. */
  checkpointThresholdBytes?: number;
}

/** Opens (creating unless read-only) the database at `file`. */
export async function openDuckDb(file: string, opts: OpenOptions = {}): Promise<DuckDBInstance> {
  if (opts.readOnly && !existsSync(file)) throw new StoreMissingError(`no flow store at ${file}`);
  const options: Record<string, string> = {};
  if (opts.readOnly) options['access_mode'] = 'READ_ONLY';
  if (opts.checkpointThresholdBytes !== undefined)
    options['checkpoint_threshold'] = `${Math.max(1, Math.floor(opts.checkpointThresholdBytes / 1024))}KiB`;
  const db = await createInstance(file, options);
  // Address columns are declared uncompressed in the schema (schema.ts,
  // compressionOf); nothing to set per instance.
  return db;
}

async function createInstance(file: string, options: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file, options);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/Could not set lock|Conflicting lock/i.test(msg)) {
      const pid = /PID (\d+)/.exec(msg)?.[1];
      throw new StoreLockedError(
        `the flow store ${file} is in use by another process${pid ? ` (PID ${pid})` : ''}, ` +
          'probably a running "flowlens serve"; stop it, or query through its API once it has one',
        pid === undefined ? undefined : Number(pid),
        { cause: err },
      );
    }
    throw err;
  }
}
