/**
 * The embedded store on DuckDB. One connection writes: batches queue in
 * memory, and a flush (every `flushInterval`, or once `flushRows` wait)
 * appends them, 2048 rows at a time, to the narrow or the wide raw table
 * (ADR 0006), sums them into the rollups in JS and appends those, all in
 * ONE transaction. A commit is durable (DuckDB syncs its write-ahead log),
 * and raw flows and rollups never disagree after a crash; a SIGKILL loses
 * what was queued since the last flush, at most one flush interval.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Clock, Timer } from '../../common/clock.ts';
import type { Logger } from '../../common/logger.ts';
import type { ColumnarBatch } from '../columnar/batch.ts';
import type { FlowStore, StoreStats, TableRetention } from '../ports.ts';
import { createFlushWriter, type FlushWriter } from './flush-writer.ts';
import { DUCKDB_FILE, openDuckDb } from './open.ts';
import { bytesPerRow, enforceAge, enforceDisk, fileBytes } from './retention.ts';
import { createDuckDbRunner } from './runner.ts';
import { createRawView, migrate, rawViewDdl } from './schema.ts';

/** What the DuckDB store needs from `storage` (config/schema.ts). */
export interface DuckDbStoreConfig {
  /** Folder of the database file. */
  dir: string;
  flushIntervalMs: number;
  flushRows: number;
  maxQueuedRows: number;
  retention: { maxAgeMs: number; maxDiskBytes: number; maxAge1mMs: number; maxAge1hMs: number };
}

export interface DuckDbStoreDeps {
  config: DuckDbStoreConfig;
  clock: Clock;
  log: Logger;
}

/** Age retention runs this often; the disk budget is checked after flushes, at most this often. */
const AGE_CHECK_MS = 60_000;
const DISK_CHECK_MS = 1_000;
/** The write-ahead log may take this share of the disk budget before a checkpoint. */
const WAL_SHARE = 1 / 16;
const MAX_WAL_BYTES = 64 * 1024 * 1024;
/** Bytes a flow takes on disk before there is data to measure (raw row, rollup share, log). */
const DEFAULT_ROW_BYTES = 120;

/** Creates the DuckDB store; nothing is opened until start(). */
export function createDuckDbStore(deps: DuckDbStoreDeps): FlowStore {
  const { config, clock, log } = deps;
  const file = join(config.dir, DUCKDB_FILE);
  const retention: TableRetention = {
    rawMaxAgeMs: config.retention.maxAgeMs,
    rollupMaxAgeMs: { flows_1m: config.retention.maxAge1mMs, flows_1h: config.retention.maxAge1hMs },
  };
  let db: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  let writer: FlushWriter | undefined;
  /** The `flows` view includes the wide table (schema.ts, rawViewDdl). */
  let wideInView = false;
  let queue: ColumnarBatch[] = [];
  let chain: Promise<void> = Promise.resolve();
  const timers: Timer[] = [];
  let lastDiskCheck = 0;
  /** Stored bytes per flow, measured; a pessimistic guess until there is data. */
  let rowBytes = DEFAULT_ROW_BYTES;
  /** A size-triggered flush is already scheduled (it takes everything queued when it runs). */
  let flushScheduled = false;
  const s: StoreStats = {
    rowsWritten: 0,
    flushes: 0,
    rowsDropped: 0,
    rowsQueued: 0,
    diskBytes: 0,
    rowsDeletedByAge: 0,
    rowsDeletedForDisk: 0,
  };

  /** Runs `fn` after everything already scheduled on the write connection. */
  const serial = (fn: (c: DuckDBConnection) => Promise<void>): Promise<void> => {
    const next = chain.then(() => (conn ? fn(conn) : undefined));
    chain = next.catch(() => undefined);
    return next;
  };

  const writeQueued = async (c: DuckDBConnection): Promise<void> => {
    flushScheduled = false;
    const batches = queue;
    queue = [];
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    s.rowsQueued -= rows;
    if (rows === 0) return;
    // A failing budget check (a compaction that could not finish) must not lose the flush.
    await checkDisk(c, rows * rowBytes).catch((err: unknown) =>
      log.error({ err }, 'disk budget not enforced before a flush'),
    );
    await c.run('BEGIN TRANSACTION');
    try {
      const wide = writer!.write(batches);
      // The view gains the wide table in the same transaction as its first rows.
      if (wide && !wideInView) await c.run(rawViewDdl(true));
      await c.run('COMMIT');
      if (wide) wideInView = true;
      s.rowsWritten += rows;
      s.flushes++;
    } catch (err) {
      writer!.clear();
      await c.run('ROLLBACK');
      s.rowsDropped += rows;
      log.error({ err, rows }, 'flows not stored');
    }
    if (clock.now() - lastDiskCheck >= DISK_CHECK_MS) {
      lastDiskCheck = clock.now();
      rowBytes = (await bytesPerRow(c, file)) ?? rowBytes;
    }
  };

  const checkDisk = async (c: DuckDBConnection, incomingBytes = 0): Promise<void> => {
    const { deleted: n, compacted } = await enforceDisk(
      c,
      file,
      config.retention.maxDiskBytes,
      incomingBytes,
    );
    if (compacted) log.info({ fileBytes: fileBytes(file) }, 'flow tables compacted for the disk budget');
    if (n > 0) {
      s.rowsDeletedForDisk += n;
      log.info(
        { rows: n, maxDiskBytes: config.retention.maxDiskBytes },
        'oldest flows deleted for the disk budget',
      );
    }
    s.diskBytes = fileBytes(file);
  };

  const store: FlowStore = {
    runner: createDuckDbRunner(async () => {
      if (!db) throw new Error('store not started');
      return db.connect();
    }, retention),
    async start() {
      mkdirSync(config.dir, { recursive: true });
      const wal = Math.min(MAX_WAL_BYTES, config.retention.maxDiskBytes * WAL_SHARE);
      db = await openDuckDb(file, { checkpointThresholdBytes: wal });
      conn = await db.connect();
      const applied = await migrate(conn);
      if (applied.length > 0) log.info({ file, applied }, 'store schema migrated');
      wideInView = await createRawView(conn);
      writer = await createFlushWriter(conn);
      await serial((c) => checkDisk(c));
      timers.push(clock.setInterval(() => void store.flush().catch(() => undefined), config.flushIntervalMs));
      timers.push(
        clock.setInterval(() => void store.enforceRetention().catch(() => undefined), AGE_CHECK_MS),
      );
      log.info({ file }, 'flow store open');
    },
    async stop() {
      for (const t of timers.splice(0)) t.cancel();
      await store.flush();
      await chain;
      writer?.close();
      conn?.closeSync();
      db?.closeSync();
      [writer, conn, db] = [undefined, undefined, undefined];
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
        s.rowsDeletedByAge += await enforceAge(c, clock.now(), retention);
        await checkDisk(c);
      }),
    stats: () => ({ ...s }),
  };
  return store;
}
