/**
 * Bulk loading: many flows into a store as fast as its writer takes them
 * (benchmarks, tests, imports). `syntheticFlow` makes deterministic flows by
 * index, so a benchmark can feed the very same flows to another tool.
 */
import type { FlowRecord } from '../schema/flow-record.ts';
import { createBatchBuilder } from './columnar/batch.ts';
import type { FlowStore } from './ports.ts';

/** Where and how dense synthetic flows are. */
export interface SyntheticOptions {
  /** Flows are spread evenly over [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  count: number;
  /** Changes every value; the same seed gives the same flows. */
  seed?: number;
}

/** A 32-bit mix (splitmix-like) so values look random but are reproducible. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const PORTS = [443, 80, 53, 22, 123, 3306, 8080, 25] as const;

/**
 * Flow number `i` of a synthetic set: realistic skew (a few heavy sources,
 * popular ports), IPv4 addresses in 10/8 and 172.16/12, sampling 1-in-1 or
 * 1-in-100. Written into `into` when given (no allocation per flow).
 */
export function syntheticFlow(
  i: number,
  o: SyntheticOptions,
  into: FlowRecord = { type: 'netflow9', exporter: '', bytes: 0, packets: 0 },
): FlowRecord {
  const h = mix(i ^ mix(o.seed ?? 1));
  const h2 = mix(h);
  const end = o.fromMs + Math.floor(((o.toMs - o.fromMs) * i) / Math.max(1, o.count));
  // Squaring skews toward small numbers: a few sources carry most traffic.
  const src = Math.floor(((h & 0xffff) / 0x10000) ** 2 * 50_000);
  into.type = 'netflow9';
  into.exporter = `192.0.2.${1 + (h2 & 3)}`;
  into.start = end - (h2 & 0xfff);
  into.end = end;
  into.srcAddr = `10.${(src >>> 16) & 255}.${(src >>> 8) & 255}.${src & 255}`;
  into.dstAddr = `172.${16 + ((h >>> 16) & 15)}.${(h >>> 8) & 255}.${h2 & 255}`;
  into.srcPort = 1024 + ((h2 >>> 16) % 60_000);
  into.dstPort = PORTS[(h >>> 24) & 7]!;
  into.proto = into.dstPort === 53 || into.dstPort === 123 ? 17 : 6;
  into.packets = 1 + (h2 & 63);
  into.bytes = into.packets * (64 + ((h >>> 4) & 1023));
  into.inIf = 1 + (h & 7);
  into.outIf = 10 + ((h >>> 3) & 7);
  into.srcAs = 64_512 + (src & 255);
  into.dstAs = 15_169 + ((h >>> 20) & 15);
  into.tcpFlags = into.proto === 6 ? 0x1b : 0;
  if ((h2 & 0xff) < 64) into.samplingRate = 100;
  else delete into.samplingRate;
  return into;
}

/**
 * Writes `count` synthetic flows to the store in batches of `batchRows`
 * and flushes; resolves with the rows written. The store must be started.
 */
export async function loadSyntheticFlows(
  store: FlowStore,
  o: SyntheticOptions,
  batchRows = 100_000,
): Promise<number> {
  const builder = createBatchBuilder(batchRows);
  const r: FlowRecord = { type: 'netflow9', exporter: '', bytes: 0, packets: 0 };
  for (let i = 0; i < o.count; i++) {
    builder.add(syntheticFlow(i, o, r), o.toMs);
    if (builder.full) {
      store.write(builder.take());
      // Back-pressure: wait for the store rather than overfill its queue.
      if (store.stats().rowsQueued >= 4 * batchRows) await store.flush();
    }
  }
  if (builder.count > 0) store.write(builder.take());
  await store.flush();
  return o.count;
}
