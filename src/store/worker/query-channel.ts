/**
 * Queries from the main thread to the store worker, which owns the DuckDB
 * database while `flowlens serve` runs. A request/response protocol over one
 * MessagePort: each request carries an id; `all` answers with the rows,
 * `stream` answers chunk by chunk with credit-based flow control (the worker
 * sends a chunk only while it holds a credit; the consumer returns one per
 * chunk it takes), so a large export is never one message nor buffered
 * whole on either side. Leaving a stream early cancels it in the worker.
 *
 * `createQueryRunnerProxy` implements QueryRunner, so createQueryEngine
 * runs unchanged on top of it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SqlDialect } from '../dialect.ts';
import type { QueryRunner, ResultColumn, ResultRow, TableRetention } from '../ports.ts';

/** Main -> worker. */
export type ToQueryServer =
  | { t: 'all'; id: number; sql: string; columns: readonly ResultColumn[] }
  | { t: 'stream'; id: number; sql: string; columns: readonly ResultColumn[]; credit: number }
  | { t: 'more'; id: number }
  | { t: 'cancel'; id: number };

/** Worker -> main. */
export type FromQueryServer =
  | { t: 'rows'; id: number; rows: ResultRow[] }
  | { t: 'chunk'; id: number; rows: ResultRow[] }
  | { t: 'end'; id: number }
  | { t: 'error'; id: number; message: string; code: string | undefined };

/** Chunks in flight per stream: one being consumed, one on its way. */
const STREAM_WINDOW = 2;

/** The store cannot answer (not started, stopped, or its worker ended). */
export class StoreUnavailableError extends Error {
  readonly code = 'FLOWLENS_ERR_STORE_UNAVAILABLE';
}

/** Worker side: answers the requests arriving on `port` with `runner`. */
export function serveQueries(port: MessagePort, runner: QueryRunner): void {
  const streams = new Map<number, { credit: number; cancelled: boolean; wake: (() => void) | undefined }>();
  const post = (m: FromQueryServer): void => port.postMessage(m);
  const fail = (id: number, err: unknown): void => {
    const e = err as Error & { code?: unknown };
    post({ t: 'error', id, message: e.message, code: typeof e.code === 'string' ? e.code : undefined });
  };

  const runStream = async (m: Extract<ToQueryServer, { t: 'stream' }>): Promise<void> => {
    const st = { credit: m.credit, cancelled: false, wake: undefined as (() => void) | undefined };
    streams.set(m.id, st);
    try {
      for await (const rows of runner.stream(m.sql, m.columns)) {
        while (st.credit === 0 && !st.cancelled) await new Promise<void>((r) => (st.wake = r));
        if (st.cancelled) return;
        st.credit--;
        post({ t: 'chunk', id: m.id, rows });
      }
      post({ t: 'end', id: m.id });
    } catch (err) {
      if (!st.cancelled) fail(m.id, err);
    } finally {
      streams.delete(m.id);
    }
  };

  port.on('message', (m: ToQueryServer) => {
    switch (m.t) {
      case 'all':
        runner.all(m.sql, m.columns).then(
          (rows) => post({ t: 'rows', id: m.id, rows }),
          (err: unknown) => fail(m.id, err),
        );
        break;
      case 'stream':
        void runStream(m);
        break;
      case 'more':
      case 'cancel': {
        const st = streams.get(m.id);
        if (!st) break;
        if (m.t === 'more') st.credit++;
        else st.cancelled = true;
        st.wake?.();
        st.wake = undefined;
        break;
      }
    }
  });
}

interface Pending {
  onRows(rows: ResultRow[]): void;
  onEnd(): void;
  onError(err: Error): void;
}

/** A QueryRunner in the main thread, with a way to drop its port (the worker ended). */
export interface QueryRunnerProxy extends QueryRunner {
  close(): void;
}

/**
 * Main side: a QueryRunner whose queries run in the store worker.
 * `connect` hands a fresh port wired to the worker, or undefined when there
 * is none (queries then reject with StoreUnavailableError); it is called at
 * the first query and again after the worker went away.
 */
export function createQueryRunnerProxy(
  connect: () => MessagePort | undefined,
  base: { dialect: SqlDialect; retention: TableRetention },
): QueryRunnerProxy {
  let port: MessagePort | undefined;
  let seq = 0;
  const pending = new Map<number, Pending>();

  const drop = (why: string): void => {
    port?.close();
    port = undefined;
    for (const p of pending.values()) p.onError(new StoreUnavailableError(why));
    pending.clear();
  };
  const open = (): MessagePort => {
    if (port) return port;
    const p = connect();
    if (!p) throw new StoreUnavailableError('the flow store is not running');
    p.on('message', (m: FromQueryServer) => {
      const h = pending.get(m.id);
      if (!h) return;
      if (m.t === 'rows' || m.t === 'chunk') h.onRows(m.rows);
      else if (m.t === 'end') h.onEnd();
      else h.onError(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
    });
    p.on('close', () => port === p && drop('the flow store stopped'));
    // Idle, the port must not keep the process alive.
    p.unref();
    port = p;
    return p;
  };
  const send = (m: ToQueryServer): void => open().postMessage(m);

  return {
    ...base,
    all(sql, columns) {
      return new Promise<ResultRow[]>((resolve, reject) => {
        const id = ++seq;
        const done = (): void => void pending.delete(id);
        pending.set(id, {
          onRows: (rows) => (done(), resolve(rows)),
          onEnd: () => (done(), resolve([])),
          onError: (err) => (done(), reject(err)),
        });
        try {
          send({ t: 'all', id, sql, columns });
        } catch (err) {
          done();
          reject(err as Error);
        }
      });
    },
    stream: (sql, columns) => proxyStream(send, pending, ++seq, sql, columns),
    close: () => drop('closed'),
  };
}

async function* proxyStream(
  send: (m: ToQueryServer) => void,
  pending: Map<number, Pending>,
  id: number,
  sql: string,
  columns: readonly ResultColumn[],
): AsyncIterable<ResultRow[]> {
  const queue: ResultRow[][] = [];
  let finished = false;
  let error: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  pending.set(id, {
    onRows: (rows) => (queue.push(rows), poke()),
    onEnd: () => ((finished = true), poke()),
    onError: (err) => ((error = err), poke()),
  });
  try {
    send({ t: 'stream', id, sql, columns, credit: STREAM_WINDOW });
    for (;;) {
      const rows = queue.shift();
      if (rows) {
        send({ t: 'more', id });
        yield rows;
        continue;
      }
      if (error) throw error;
      if (finished) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    pending.delete(id);
    if (!finished && !error) {
      try {
        send({ t: 'cancel', id });
      } catch {
        // The worker is gone: nothing to cancel.
      }
    }
  }
}
