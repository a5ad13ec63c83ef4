/**
 * Decode worker: takes batches of datagrams, decodes them, keeps the recent
 * flows and per-exporter statistics. Runs in a worker thread so decoding never
 * delays UDP reception.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createFlowDecoder } from '../decode/index.ts';
import { createLiveAggregator, type LiveAggregator } from '../live/index.ts';
import { createStoreProducer } from '../store/index.ts';
import { ExporterStats } from './exporter-stats.ts';
import { FlowRing } from './flow-ring.ts';
import type { DecodeWorkerInit, FromWorker, ToWorker } from './messages.ts';

const init = workerData as DecodeWorkerInit;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

const decoder = createFlowDecoder({ netflow: { holdMs: init.holdMs } });
const ring = new FlowRing(init.ringCapacity);
const store = init.storePort
  ? createStoreProducer(init.storePort, {
      batchRows: init.storeBatchRows,
      maxDelayMs: init.storeBatchMaxDelayMs,
      now: Date.now,
    })
  : undefined;
const stats = new ExporterStats();
/** Live view sums (src/live); undefined until the collector asks for them. */
let live: LiveAggregator | undefined;
/** Live deltas go to the main thread once a second. */
const LIVE_INTERVAL_MS = 1000;

for (const file of init.loadStateFrom) {
  try {
    if (existsSync(file)) decoder.loadState(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    post({ t: 'log', level: 'warn', msg: 'template state not loaded', fields: { file, err: String(err) } });
  }
}

function saveState(): void {
  if (!init.saveStateTo) return;
  try {
    // Write then rename, so a crash mid-write never leaves a torn file.
    writeFileSync(`${init.saveStateTo}.tmp`, JSON.stringify(decoder.saveState()));
    renameSync(`${init.saveStateTo}.tmp`, init.saveStateTo);
  } catch (err) {
    post({
      t: 'log',
      level: 'warn',
      msg: 'template state not saved',
      fields: { file: init.saveStateTo, err: String(err) },
    });
  }
}

function decodeBatch(m: Extract<ToWorker, { t: 'batch' }>): void {
  const { batch } = m;
  const bytes = new Uint8Array(batch.bytes);
  const ctx = { exporter: '', receivedMs: 0 };
  for (let i = 0; i < batch.count; i++) {
    ctx.exporter = batch.exporters[i]!;
    ctx.receivedMs = batch.receivedMs[i]!;
    const out = decoder.decode(bytes.subarray(batch.offsets[i]!, batch.offsets[i + 1]!), ctx);
    for (const r of out.records) {
      if (r.samplingRate === undefined && init.defaultSamplingRate > 1)
        r.samplingRate = init.defaultSamplingRate;
      ring.push(r);
      store?.add(r);
      live?.add(r, ctx.receivedMs);
    }
    stats.addDatagram(ctx.exporter, out.format, out, ctx.receivedMs);
  }
  post({ t: 'done', datagrams: batch.count });
  // A backlog of batches starves the interval timer: report from here too.
  if (Date.now() - lastReportMs >= init.statsIntervalMs) report();
  if (live && Date.now() - lastLiveMs >= LIVE_INTERVAL_MS) reportLive();
}

let lastReportMs = Date.now();

function report(): void {
  lastReportMs = Date.now();
  stats.addExpired(decoder.expire(Date.now()).expiredByExporter);
  const s = decoder.netflow.stats();
  post({
    t: 'stats',
    deltas: stats.drain(),
    templates: s.templates,
    pending: s.pending,
    ringPushed: ring.pushed,
  });
}

const statsTimer = setInterval(report, init.statsIntervalMs);
let lastLiveMs = Date.now();
function reportLive(): void {
  lastLiveMs = Date.now();
  if (live && live.pending > 0) post({ t: 'live', delta: live.drain(lastLiveMs) });
}
const liveTimer = setInterval(reportLive, LIVE_INTERVAL_MS);
const storeTimer = store
  ? setInterval(() => store.tick(), Math.max(1, init.storeBatchMaxDelayMs / 2))
  : undefined;
/** Templates are saved now and then too, so a crash loses little. */
const SAVE_STATE_INTERVAL_MS = 60_000;
const saveTimer = setInterval(saveState, SAVE_STATE_INTERVAL_MS);

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'batch':
      decodeBatch(m);
      break;
    case 'recent':
      post({ t: 'recent', id: m.id, records: ring.recent(m.limit) });
      break;
    case 'live':
      live = m.enabled
        ? (live ?? createLiveAggregator({ source: `worker-${init.index}`, startMs: Date.now() }))
        : undefined;
      break;
    case 'stop':
      // Messages are handled in order: every batch sent before 'stop' is decoded by now.
      clearInterval(statsTimer);
      clearInterval(liveTimer);
      reportLive();
      clearInterval(saveTimer);
      report();
      saveState();
      clearInterval(storeTimer);
      store?.end();
      post({ t: 'stopped' });
      port.close();
      break;
  }
});
post({ t: 'ready' });
