/**
 * The stages every flow goes through after it is decoded or metered, in the
 * worker thread that produced it: default sampling rate, enrichment, the
 * recent-flows ring, the store producer and the live aggregator. Shared by the
 * decode workers (exported flows) and the capture worker (metered flows), so
 * both kinds take the same path.
 */
import type { MessagePort } from 'node:worker_threads';
import { createEnricher, type EnrichConfig } from '../enrich/index.ts';
import { createLiveAggregator, type LiveAggregator, type LiveDelta } from '../live/index.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import { createStoreProducer } from '../store/index.ts';
import { createSystemClock } from '../common/clock.ts';
import { createSilentLogger } from '../common/logger.ts';
import { FlowRing } from './flow-ring.ts';

/** What a worker's sink is built from (part of its workerData). */
export interface FlowSinkInit {
  /** Name of the producing worker in live deltas ("worker-0", "capture"). */
  source: string;
  ringCapacity: number;
  defaultSamplingRate: number;
  /** Port to the store worker (transferred); undefined stores nothing. */
  storePort: MessagePort | undefined;
  storeBatchRows: number;
  storeBatchMaxDelayMs: number;
  /** Enrichment settings; undefined or `enabled: false` leaves records as decoded. */
  enrich: EnrichConfig | undefined;
  /** live.localNetworks: the live view's in/out split; absent takes the live defaults. */
  localNetworks?: readonly string[];
}

/** The post-decode stages of one worker. */
export interface FlowSink {
  add(r: FlowRecord, nowMs: number): void;
  /** Live aggregation on or off (on once the main thread listens). */
  setLive(enabled: boolean): void;
  /** The live delta when one is due (or `force`), else undefined. */
  liveDelta(nowMs: number, force?: boolean): LiveDelta | undefined;
  recent(limit: number): FlowRecord[];
  readonly ringPushed: number;
  /** The enricher, for the meter's payload inspector and DNS learning. */
  readonly enricher: ReturnType<typeof createEnricher> | undefined;
  /** Settles once the enrichment databases are loaded (or failed to load). */
  readonly ready: Promise<void>;
  /** Flushes the store producer and stops timers and enrichment. */
  stop(): void;
}

/** Live deltas go to the main thread once a second. */
const LIVE_INTERVAL_MS = 1000;
/** Flows per columnar batch to the store: big enough to amortise a message, small enough to stay in cache. */
const STORE_BATCH_ROWS = 8192;
/** A partial batch goes to the store after this long (well under the store's flush interval). */
const STORE_BATCH_MAX_DELAY_MS = 100;

/** A sink's settings with the project's store batching. */
export function sinkInit(o: Omit<FlowSinkInit, 'storeBatchRows' | 'storeBatchMaxDelayMs'>): FlowSinkInit {
  return { ...o, storeBatchRows: STORE_BATCH_ROWS, storeBatchMaxDelayMs: STORE_BATCH_MAX_DELAY_MS };
}

/**
 * Builds the sink. Enrichment databases load in the background: collection
 * starts at once, and records are enriched from the moment they are loaded.
 */
export function createFlowSink(
  init: FlowSinkInit,
  warn: (msg: string, fields: Record<string, unknown>) => void,
): FlowSink {
  const ring = new FlowRing(init.ringCapacity);
  const store = init.storePort
    ? createStoreProducer(init.storePort, {
        batchRows: init.storeBatchRows,
        maxDelayMs: init.storeBatchMaxDelayMs,
        now: Date.now,
      })
    : undefined;
  const storeTimer = store
    ? setInterval(() => store.tick(), Math.max(1, init.storeBatchMaxDelayMs / 2))
    : undefined;
  const enricher =
    init.enrich && init.enrich.enabled
      ? createEnricher({ config: init.enrich, clock: createSystemClock(), log: createSilentLogger() })
      : undefined;
  const ready = (enricher?.start() ?? Promise.resolve()).catch((err: unknown) =>
    warn('enrichment databases not loaded', { err: String(err) }),
  );
  let live: LiveAggregator | undefined;
  let lastLiveMs = Date.now();
  return {
    enricher,
    ready,
    get ringPushed() {
      return ring.pushed;
    },
    add(r, nowMs) {
      if (r.samplingRate === undefined && init.defaultSamplingRate > 1)
        r.samplingRate = init.defaultSamplingRate;
      enricher?.enrich(r);
      ring.push(r);
      store?.add(r);
      live?.add(r, nowMs);
    },
    setLive(enabled) {
      live = enabled
        ? (live ??
          createLiveAggregator({
            source: init.source,
            startMs: Date.now(),
            ...(init.localNetworks ? { localNetworks: init.localNetworks } : {}),
          }))
        : undefined;
    },
    liveDelta(nowMs, force = false) {
      if (!live || (!force && nowMs - lastLiveMs < LIVE_INTERVAL_MS)) return undefined;
      lastLiveMs = nowMs;
      return live.pending > 0 ? live.drain(nowMs) : undefined;
    },
    recent: (limit) => ring.recent(limit),
    stop() {
      clearInterval(storeTimer);
      store?.end();
      enricher?.stop();
    },
  };
}
