/**
 * Decode worker: takes batches of datagrams, decodes them, keeps the recent
 * flows and per-exporter statistics. Runs in a worker thread so decoding never
 * delays UDP reception.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createFlowDecoder } from '../decode/index.ts';
import { ExporterStats } from './exporter-stats.ts';
import { createFlowSink } from './flow-sink.ts';
import type { DecodeWorkerInit, FromWorker, ToWorker } from './messages.ts';

const init = workerData as DecodeWorkerInit;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

const decoder = createFlowDecoder({ netflow: { holdMs: init.holdMs } });
const sink = createFlowSink(init.sink, (msg, fields) => post({ t: 'log', level: 'warn', msg, fields }));
const stats = new ExporterStats();

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
    for (const r of out.records) sink.add(r, ctx.receivedMs);
    stats.addDatagram(ctx.exporter, out.format, out, ctx.receivedMs);
  }
  // The batch's statistics travel with its 'done', so the receiving thread has them once it
  // knows the batch is decoded (settle() relies on it), however busy this thread is. Expiry
  // and the template gauges walk every exporter: they stay on the timer (report()).
  post({ t: 'done', datagrams: batch.count, deltas: stats.drain() });
  reportLive();
}

function report(): void {
  stats.addExpired(decoder.expire(Date.now()).expiredByExporter);
  const s = decoder.netflow.stats();
  post({
    t: 'stats',
    deltas: stats.drain(),
    templates: s.templates,
    pending: s.pending,
    ringPushed: sink.ringPushed,
  });
}

const statsTimer = setInterval(report, init.statsIntervalMs);
/** How often a due live delta is looked for when no batch arrives. */
const LIVE_CHECK_MS = 250;
function reportLive(force = false): void {
  const delta = sink.liveDelta(Date.now(), force);
  if (delta) post({ t: 'live', delta });
}
const liveTimer = setInterval(reportLive, LIVE_CHECK_MS);
/** Templates are saved now and then too, so a crash loses little. */
const SAVE_STATE_INTERVAL_MS = 60_000;
const saveTimer = setInterval(saveState, SAVE_STATE_INTERVAL_MS);

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'batch':
      decodeBatch(m);
      break;
    case 'recent':
      post({ t: 'recent', id: m.id, records: sink.recent(m.limit) });
      break;
    case 'live':
      sink.setLive(m.enabled);
      break;
    case 'stop':
      // Messages are handled in order: every batch sent before 'stop' is decoded by now.
      clearInterval(statsTimer);
      clearInterval(liveTimer);
      reportLive(true);
      clearInterval(saveTimer);
      report();
      saveState();
      sink.stop();
      post({ t: 'stopped' });
      port.close();
      break;
  }
});
post({ t: 'ready' });
void sink.ready.then(() => post({ t: 'enriched' }));
