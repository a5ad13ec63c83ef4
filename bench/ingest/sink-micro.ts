/**
 * Micro-benchmark of a decode worker's whole per-flow path on one thread, with
 * the bench's own stream (no sockets): decode, then the flow sink's stages
 * added one at a time (enrichment with the packaged databases, the recent-flows
 * ring, the columnar store batches posted to a port nobody reads, the live
 * aggregator). Prints ns per flow of CPU for each cumulative step.
 *
 *   node bench/ingest/sink-micro.ts [--protocol=v9|ipfix] [--seconds=3] [--recent-flows=100000]
 */
import { MessageChannel } from 'node:worker_threads';
import { createFlowDecoder } from '../../src/decode/index.ts';
import { defaultEnrichConfig } from '../../src/enrich/config.ts';
import { createFlowSink, sinkInit } from '../../src/pipeline/flow-sink.ts';
import { buildExportStream, type Protocol } from './export-stream.ts';

const arg = (name: string, def: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const protocol = arg('protocol', 'v9') as Protocol;
const seconds = Number(arg('seconds', '3'));
const recentFlows = Number(arg('recent-flows', '100000'));
const only = arg('only', '');

const stream = buildExportStream({
  protocol,
  domain: 100,
  seed: 1,
  ringDatagrams: 8192,
  maxDatagramBytes: 1400,
  nowMs: Date.now(),
});
const datagrams = stream.data.map((d) => {
  stream.stampData(d);
  return d;
});

interface Step {
  name: string;
  enrich: boolean;
  ring: boolean;
  store: boolean;
  live: boolean;
}
const steps: Step[] = [
  { name: 'decode', enrich: false, ring: false, store: false, live: false },
  { name: '+enrich', enrich: true, ring: false, store: false, live: false },
  { name: '+ring', enrich: true, ring: true, store: false, live: false },
  { name: '+store', enrich: true, ring: true, store: true, live: false },
  { name: '+live', enrich: true, ring: true, store: true, live: true },
];

for (const step of steps) {
  if (only && step.name !== only) continue;
  const channel = new MessageChannel();
  channel.port2.on('message', () => {}); // drained and dropped
  const sink = createFlowSink(
    sinkInit({
      source: 'bench',
      ringCapacity: step.ring ? recentFlows : 1,
      defaultSamplingRate: 1,
      storePort: step.store ? channel.port1 : undefined,
      enrich: step.enrich ? defaultEnrichConfig() : undefined,
    }),
    () => {},
  );
  sink.setLive(step.live);
  await sink.ready; // databases loaded
  const decoder = createFlowDecoder();
  const ctx = { exporter: '127.0.0.1', receivedMs: Date.now() };
  decoder.decode(stream.template, ctx);
  const one = (d: Buffer): number => {
    const out = decoder.decode(d, ctx);
    for (const r of out.records) sink.add(r, ctx.receivedMs);
    return out.records.length;
  };
  for (let i = 0; i < 4000; i++) one(datagrams[i % datagrams.length]!);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let flows = 0;
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    for (let k = 0; k < 64; k++) flows += one(datagrams[n++ % datagrams.length]!);
    if (step.live) sink.liveDelta(Date.now());
    // let the port deliver (and free) posted batches now and then
    if ((n & 1023) === 0) await new Promise((r) => setImmediate(r));
  }
  const c = process.cpuUsage(c0);
  const cpuNs = (c.user + c.system) * 1000;
  const wallS = (performance.now() - t0) / 1000;
  console.log(
    `${step.name.padEnd(8)} ${(cpuNs / flows).toFixed(0).padStart(6)} ns CPU/flow  ${(flows / wallS / 1e6).toFixed(2)}M flows/s wall (one thread + GC helpers)`,
  );
  sink.stop();
  channel.port2.close();
}
process.exit(0);
