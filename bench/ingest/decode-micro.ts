/**
 * Micro-benchmark of FlowLens's per-datagram work on one thread, stage by
 * stage, with the bench's own streams (no sockets): where a collector core
 * goes per flow. Stages, each run for `--seconds`:
 *
 *   receive   what the receiving thread does per datagram (byte counter with a
 *             label, exporter hash, BatchBuilder.add/take), as in pipeline/collector.ts
 *   decode    createFlowDecoder().decode() only
 *   stats     decode + ExporterStats.addDatagram (per-exporter counters)
 *   ring      decode + FlowRing.push of every record (recentFlows = 100 000 kept alive)
 *   worker    decode + both, as the decode worker does per datagram
 *   walk      decode-free baseline: read the same fields with a DataView, no objects
 *
 *   node bench/ingest/decode-micro.ts [--protocol=v9|ipfix] [--seconds=3]
 */
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { Counter, Registry } from 'prom-client';
import { createFlowDecoder } from '../../src/decode/index.ts';
import { BatchBuilder } from '../../src/pipeline/batch.ts';
import { ExporterStats } from '../../src/pipeline/exporter-stats.ts';
import { FlowRing } from '../../src/pipeline/flow-ring.ts';
import { buildExportStream, type ExportStream, type Protocol } from './export-stream.ts';

const arg = (name: string, def: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const protocol = arg('protocol', 'v9') as Protocol;
const seconds = Number(arg('seconds', '3'));
const RING_DATAGRAMS = 8192;
const RECENT_FLOWS = Number(arg('recent-flows', '100000'));
const BATCH_DATAGRAMS = 256;

const stream = buildExportStream({
  protocol,
  domain: 100,
  seed: 1,
  ringDatagrams: RING_DATAGRAMS,
  maxDatagramBytes: 1400,
  nowMs: Date.now(),
});
// Sequence numbers stamped as a sender would, so the decoder sees no gaps.
const datagrams = stream.data.map((d) => {
  stream.stampData(d);
  return d;
});

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

/** Runs `one(d)` over the datagrams in a loop for `seconds`; prints the rate and the share of GC pauses. */
async function measure(name: string, one: (d: Buffer) => void): Promise<void> {
  for (let i = 0; i < 2000; i++) one(datagrams[i % datagrams.length]!); // warm-up
  await new Promise((r) => setImmediate(r));
  gcMs = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 256; k++) one(datagrams[n++ % datagrams.length]!);
  }
  const s = (performance.now() - t0) / 1000;
  // GC entries are delivered asynchronously.
  await new Promise((r) => setTimeout(r, 50));
  const perSec = n / s;
  const flows = perSec * stream.flowsPerDatagram;
  console.log(
    `${name.padEnd(8)} ${Math.round(perSec).toLocaleString('en-US').padStart(10)} datagrams/s  ${(flows / 1e6).toFixed(2)}M flows/s  ${((1e9 / flows) | 0).toString().padStart(5)} ns/flow  GC pauses ${((gcMs / 10 / s) | 0).toString().padStart(3)}% of the time`,
  );
}

function receiveStage(): (d: Buffer) => void {
  const registry = new Registry();
  const received = new Counter({
    name: 'rx_bytes_total',
    help: 'x',
    labelNames: ['listener'],
    registers: [registry],
  });
  const builder = new BatchBuilder(BATCH_DATAGRAMS);
  const address = '127.0.0.1';
  return (d) => {
    received.inc({ listener: 'netflow' }, d.length);
    let h = 0;
    for (let i = 0; i < address.length; i++) h = (h * 31 + address.charCodeAt(i)) | 0;
    builder.add(d, address, Date.now());
    if (builder.full) builder.take();
  };
}

function decodeStage(withStats: boolean, withRing: boolean): (d: Buffer) => void {
  const decoder = createFlowDecoder();
  const ring = new FlowRing(RECENT_FLOWS);
  const stats = new ExporterStats();
  const ctx = { exporter: '127.0.0.1', receivedMs: Date.now() };
  decoder.decode(stream.template, ctx);
  let records = 0;
  return (d) => {
    const out = decoder.decode(d, ctx);
    records += out.records.length;
    if (withRing) for (const r of out.records) ring.push(r);
    if (withStats) {
      stats.addDatagram(ctx.exporter, out.format, out, ctx.receivedMs);
      if (records > 1_000_000) {
        stats.drain();
        records = 0;
      }
    }
  };
}

/** Reads every field of every record into a reused typed array: the floor for a decoder. */
function walkStage(s: ExportStream): (d: Buffer) => void {
  const recordBytes = protocol === 'v9' ? 53 : 69;
  const header = protocol === 'v9' ? 20 : 16;
  const cols = new Float64Array(18);
  return (d) => {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    let off = header + 4;
    for (let r = 0; r < s.flowsPerDatagram; r++, off += recordBytes) {
      cols[0] = v.getUint32(off);
      cols[1] = v.getUint32(off + 4);
      cols[2] = v.getUint32(off + 8);
      cols[3] = v.getUint32(off + 12);
      cols[4] = v.getUint32(off + 16);
      cols[5] = v.getUint32(off + 20);
      cols[6] = v.getUint32(off + 24);
      cols[7] = v.getUint32(off + 28);
      cols[8] = v.getUint32(off + 32);
      cols[9] = v.getUint16(off + 36);
      cols[10] = v.getUint16(off + 38);
      cols[11] = v.getUint8(off + 40);
    }
  };
}

console.log(
  `decode-micro: ${protocol}, ${stream.flowsPerDatagram} flows per datagram, Node ${process.version}`,
);
await measure('receive', receiveStage());
await measure('decode', decodeStage(false, false));
await measure('stats', decodeStage(true, false));
await measure('ring', decodeStage(false, true));
await measure('worker', decodeStage(true, true));
await measure('walk', walkStage(stream));
