/** From the `storage` configuration section to the store's own settings. */
import { resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import type { DuckDbStoreConfig } from './duckdb/store.ts';
import type { TableRetention } from './ports.ts';

/** The DuckDB store settings; relative paths resolve against `cwd`. */
export function duckDbStoreConfig(storage: Config['storage'], cwd: string): DuckDbStoreConfig {
  return {
    dir: resolve(cwd, storage.path),
    flushIntervalMs: Math.max(1, storage.flushInterval),
    flushRows: storage.flushRows,
    maxQueuedRows: storage.maxQueuedRows,
    retention: {
      maxAgeMs: storage.retention.maxAge,
      maxDiskBytes: storage.retention.maxDisk,
      maxAge1mMs: storage.retention.maxAge1m,
      maxAge1hMs: storage.retention.maxAge1h,
    },
  };
}

/** Table retention as the query planner needs it. */
export function tableRetention(storage: Config['storage']): TableRetention {
  return {
    rawMaxAgeMs: storage.retention.maxAge,
    rollupMaxAgeMs: { flows_1m: storage.retention.maxAge1m, flows_1h: storage.retention.maxAge1h },
  };
}
