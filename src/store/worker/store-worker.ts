/**
 * The store worker: the one place that writes the store (DuckDB, or
 * ClickHouse with `storage.engine: clickhouse`) while `flowlens serve` runs. Decode workers send columnar batches straight to it over their own
 * MessagePorts (transferred buffers, no copy, no detour through the main
 * thread, so receiving UDP never waits for the disk).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import { createSystemClock } from '../../common/clock.ts';
import { createClickhouseStore } from '../clickhouse/store.ts';
import { createDuckDbStore } from '../duckdb/store.ts';
import type { FromProducer, FromStoreWorker, StoreWorkerInit, ToStoreWorker } from './messages.ts';
import { serveQueries } from './query-channel.ts';

const init = workerData as StoreWorkerInit;
const port = parentPort!;
const post = (m: FromStoreWorker): void => port.postMessage(m);

/** Producers that have not said 'end' yet; stop waits for them (ports are not ordered with each other). */
const open = new Set<MessagePort>();
/** A producer that never ends (crashed) does not hold the stop longer than this. */
const PRODUCER_END_TIMEOUT_MS = 10_000;

// Logs travel to the main thread's logger, so there is one log stream.
const log = pino(
  { level: 'info' },
  {
    write(line: string) {
      const o = JSON.parse(line) as Record<string, unknown> & { level: number; msg: string };
      const level = o.level >= 50 ? 'error' : o.level >= 40 ? 'warn' : 'info';
      const { msg, level: _l, time: _t, pid: _p, hostname: _h, ...fields } = o;
      post({ t: 'log', level, msg, fields });
    },
  },
);

const clickhouse = init.clickhouse
  ? createClickhouseStore({ config: init.clickhouse, clock: createSystemClock(), log })
  : undefined;
const store = clickhouse ?? createDuckDbStore({ config: init.config, clock: createSystemClock(), log });

function addProducer(p: MessagePort): void {
  open.add(p);
  p.on('message', (m: FromProducer) => {
    if (m.t === 'batch') store.write(m.batch);
    else {
      open.delete(p);
      p.close();
    }
  });
}

async function stop(): Promise<void> {
  const deadline = Date.now() + PRODUCER_END_TIMEOUT_MS;
  while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  for (const p of open) p.close();
  clearInterval(statsTimer);
  await store.stop();
  post({ t: 'stats', stats: store.stats() });
  post({ t: 'stopped' });
  port.close();
}

const statsTimer = setInterval(() => post({ t: 'stats', stats: store.stats() }), init.statsIntervalMs);

port.on('message', (m: ToStoreWorker) => {
  switch (m.t) {
    case 'producer':
      addProducer(m.port);
      break;
    case 'queries':
      serveQueries(m.port, store.runner);
      break;
    case 'flush':
      store.flush().then(
        () => post({ t: 'flushed', id: m.id }),
        () => post({ t: 'flushed', id: m.id }),
      );
      break;
    case 'stop':
      void stop();
      break;
  }
});

store.start().then(
  () => post({ t: 'ready', clickhouseVersion: clickhouse?.capabilities()?.version.text }),
  (err: unknown) => {
    clearInterval(statsTimer);
    const e = err as Error & { code?: string };
    post({ t: 'failed', message: e.message, code: e.code });
    port.close();
  },
);
