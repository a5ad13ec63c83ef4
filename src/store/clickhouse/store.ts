/**
 * The ClickHouse flow store: batches queue in memory and a flush (every
 * `flushInterval`, or once `flushRows` wait) sends them as Native blocks in
 * one INSERT; the materialized views fill the rollups in that INSERT. Any
 * number of collectors may write to one database: nothing is read back and
 * modified, DDL is idempotent. A failed INSERT puts its batches back in the
 * queue (room permitting) for the next flush.
 */
import type { Clock, Timer } from '../../common/clock.ts';
import type { Logger } from '../../common/logger.ts';
import type { ColumnarBatch } from '../columnar/batch.ts';
import { STORE_COLUMNS } from '../columnar/layout.ts';
import type { FlowStore, StoreStats } from '../ports.ts';
import { RAW_TABLE } from '../tables.ts';
import { capabilitiesOf, CURRENT_CAPABILITIES, type ClickhouseCapabilities } from './capabilities.ts';
import { type ClickhouseStoreConfig, ttlSecondsOf, clickhouseRetention } from './config.ts';
import { connectClickhouse, type ClickhouseConnection } from './connection.ts';
import { createClickhouseDialect } from './dialect.ts';
import { createLateDialect } from './late-dialect.ts';
import { createDatabase, migrateClickhouse } from './migrate.ts';
import { encodeNativeBlock } from './native.ts';
import { enforceClickhouseRetention } from './retention.ts';
import { createClickhouseRunner } from './runner.ts';
import { createClickhouseSchema, type ClickhouseSchema } from './schema.ts';

/** The ClickHouse store, plus what its server can do once started. */
export interface ClickhouseStore extends FlowStore {
  /** Known after start(). */
  capabilities(): ClickhouseCapabilities | undefined;
}

export interface ClickhouseStoreDeps {
  config: ClickhouseStoreConfig;
  clock: Clock;
  log: Logger;
}

/** Retention runs this often. */
const RETENTION_CHECK_MS = 60_000;

/** Asks the server its version. */
export async function serverCapabilities(conn: ClickhouseConnection): Promise<ClickhouseCapabilities> {
  const [[version] = []] = await conn.rows('SELECT version()');
  return capabilitiesOf(version ?? '');
}

/** Creates the store; nothing is opened until start(). */
export function createClickhouseStore(deps: ClickhouseStoreDeps): ClickhouseStore {
  const { config, clock, log } = deps;
  const retention = clickhouseRetention(config);
  let conn: ClickhouseConnection | undefined;
  let caps: ClickhouseCapabilities | undefined;
  let schema: ClickhouseSchema | undefined;
  let wireTypes: string[] = [];
  let queue: ColumnarBatch[] = [];
  let chain: Promise<void> = Promise.resolve();
  let flushScheduled = false;
  const timers: Timer[] = [];
  const s: StoreStats = {
    rowsWritten: 0,
    flushes: 0,
    rowsDropped: 0,
    rowsQueued: 0,
    diskBytes: 0,
    rowsDeletedByAge: 0,
    rowsDeletedForDisk: 0,
  };
  const late = createLateDialect();
  const connection = (): ClickhouseConnection => {
    if (!conn) throw new Error('store not started');
    return conn;
  };

  const serial = (fn: (c: ClickhouseConnection) => Promise<void>): Promise<void> => {
    const next = chain.then(() => (conn ? fn(conn) : undefined));
    chain = next.catch(() => undefined);
    return next;
  };

  const writeQueued = async (c: ClickhouseConnection): Promise<void> => {
    flushScheduled = false;
    const batches = queue;
    queue = [];
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    if (rows === 0) return;
    try {
      const blocks = batches.filter((b) => b.rows > 0).map((b) => encodeNativeBlock(b, wireTypes));
      await c.insertNative(
        schema!.table(RAW_TABLE),
        STORE_COLUMNS.map((col) => `\`${col.name}\``),
        blocks,
      );
      s.rowsQueued -= rows;
      s.rowsWritten += rows;
      s.flushes++;
    } catch (err) {
      // Kept for the next flush when there is room (newer batches stay behind them).
      if (s.rowsQueued <= config.maxQueuedRows) queue = [...batches, ...queue];
      else {
        s.rowsQueued -= rows;
        s.rowsDropped += rows;
      }
      log.error({ err, rows }, 'flows not stored in ClickHouse');
    }
  };

  const store: ClickhouseStore = {
    runner: createClickhouseRunner(connection, () => caps ?? CURRENT_CAPABILITIES, retention, late.dialect),
    capabilities: () => caps,
    async start() {
      const admin = connectClickhouse(config.endpoint, false);
      try {
        caps = await serverCapabilities(admin);
        schema = createClickhouseSchema(config.endpoint.database, caps, ttlSecondsOf(config));
        await createDatabase(admin, schema);
      } finally {
        await admin.close();
      }
      conn = connectClickhouse(config.endpoint);
      const applied = await migrateClickhouse(conn, schema, caps);
      if (applied.length > 0) log.info({ database: schema.database, applied }, 'ClickHouse schema migrated');
      const wire = createClickhouseDialect({ ...caps, lowCardinality: false });
      wireTypes = STORE_COLUMNS.map((col) => wire.columnType(col));
      late.set(createClickhouseDialect(caps));
      timers.push(clock.setInterval(() => void store.flush().catch(() => undefined), config.flushIntervalMs));
      timers.push(
        clock.setInterval(() => void store.enforceRetention().catch(() => undefined), RETENTION_CHECK_MS),
      );
      log.info(
        { url: config.endpoint.url, database: schema.database, version: caps.version.text },
        'flow store open',
      );
    },
    async stop() {
      for (const t of timers.splice(0)) t.cancel();
      await store.flush();
      await chain;
      await conn?.close();
      conn = undefined;
    },
    write(batch) {
      if (s.rowsQueued + batch.rows > config.maxQueuedRows) {
        s.rowsDropped += batch.rows;
        return false;
      }
      queue.push(batch);
      s.rowsQueued += batch.rows;
      if (s.rowsQueued >= config.flushRows && !flushScheduled) {
        flushScheduled = true;
        void store.flush().catch(() => undefined);
      }
      return true;
    },
    flush: () => serial(writeQueued),
    enforceRetention: () =>
      serial(async (c) => {
        const r = await enforceClickhouseRetention(
          c,
          schema!,
          clock.now(),
          retention,
          config.retention.maxDiskBytes,
        );
        s.rowsDeletedByAge += r.rawRowsByAge;
        s.rowsDeletedForDisk += r.rawRowsForDisk;
        s.diskBytes = r.diskBytes;
        if (r.rawRowsForDisk > 0)
          log.info(
            { rows: r.rawRowsForDisk, maxDiskBytes: config.retention.maxDiskBytes },
            'oldest flows dropped for the disk budget',
          );
      }),
    stats: () => ({ ...s }),
  };
  return store;
}
