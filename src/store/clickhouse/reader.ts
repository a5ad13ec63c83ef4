/** Read access to a ClickHouse store for CLI queries (any number may run beside the writers). */
import type { StoreReader } from '../duckdb/reader.ts';
import type { ClickhouseStoreConfig } from './config.ts';
import { clickhouseRetention } from './config.ts';
import { connectClickhouse } from './connection.ts';
import { createClickhouseRunner } from './runner.ts';
import { serverCapabilities } from './store.ts';

/** Connects, asks the server's version, and returns a runner; close() ends the connection. */
export async function openClickhouseReader(config: ClickhouseStoreConfig): Promise<StoreReader> {
  const conn = connectClickhouse(config.endpoint);
  try {
    const caps = await serverCapabilities(conn);
    return {
      runner: createClickhouseRunner(
        () => conn,
        () => caps,
        clickhouseRetention(config),
      ),
      close: () => void conn.close(),
    };
  } catch (err) {
    await conn.close();
    throw err;
  }
}
