/** From the `storage` configuration section to the ClickHouse store's settings. */
import type { Config } from '../../config/index.ts';
import type { TableRetention } from '../ports.ts';
import type { ClickhouseEndpoint } from './connection.ts';
import type { TtlSeconds } from './schema.ts';

/** What the ClickHouse store needs (plain data: it crosses to the store worker). */
export interface ClickhouseStoreConfig {
  endpoint: ClickhouseEndpoint;
  flushIntervalMs: number;
  flushRows: number;
  maxQueuedRows: number;
  retention: { maxAgeMs: number; maxDiskBytes: number; maxAge1mMs: number; maxAge1hMs: number };
}

/** The ClickHouse store settings of a configuration. */
export function clickhouseStoreConfig(storage: Config['storage']): ClickhouseStoreConfig {
  const ch = storage.clickhouse;
  return {
    endpoint: {
      url: ch.url,
      database: ch.database,
      user: ch.user,
      password: ch.password,
      requestTimeoutMs: ch.requestTimeout,
    },
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
export function clickhouseRetention(c: ClickhouseStoreConfig): TableRetention {
  return {
    rawMaxAgeMs: c.retention.maxAgeMs,
    rollupMaxAgeMs: { flows_1m: c.retention.maxAge1mMs, flows_1h: c.retention.maxAge1hMs },
  };
}

/** TTLs of the tables, in seconds. */
export function ttlSecondsOf(c: ClickhouseStoreConfig): TtlSeconds {
  return {
    raw: c.retention.maxAgeMs / 1000,
    rollups: { flows_1m: c.retention.maxAge1mMs / 1000, flows_1h: c.retention.maxAge1hMs / 1000 },
  };
}
