/**
 * The benchmark's flows: `syntheticFlow` of src/store (the generator FlowLens's
 * own bulk loader uses), made identical for both stores. Sampled flows are
 * scaled here (bytes and packets times the rate, no rate kept), because
 * nfcapd stores counters as sent and FlowLens scales at query time: after
 * this both stores hold the very same numbers.
 */
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { syntheticFlow, type SyntheticOptions } from '../../src/store/index.ts';

/** Seed of every run: the same N flows each time. */
export const FLOW_SEED = 42;
/** Flows end in [RANGE_FROM_MS, RANGE_FROM_MS + hours). A fixed day, so runs are reproducible. */
export const RANGE_FROM_MS = Date.UTC(2026, 0, 1);

/** The generator's options for `count` flows over `hours` hours. */
export function flowOptions(count: number, hours: number): SyntheticOptions {
  return { fromMs: RANGE_FROM_MS, toMs: RANGE_FROM_MS + hours * 3_600_000, count, seed: FLOW_SEED };
}

/** Flow `i`, written into `into`, with sampling applied to the counters. */
export function benchFlow(i: number, o: SyntheticOptions, into: FlowRecord): FlowRecord {
  const r = syntheticFlow(i, o, into);
  const rate = r.samplingRate;
  if (rate !== undefined && rate > 1) {
    r.bytes *= rate;
    r.packets *= rate;
  }
  delete r.samplingRate;
  return r;
}

/** A new record object for benchFlow to fill. */
export function emptyFlow(): FlowRecord {
  return { type: 'netflow9', exporter: '', bytes: 0, packets: 0 };
}

/** Dotted IPv4 text -> unsigned 32-bit integer (the generator makes only IPv4). */
export function ipv4ToInt(s: string): number {
  let v = 0;
  let part = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 46) {
      v = v * 256 + part;
      part = 0;
    } else part = part * 10 + (c - 48);
  }
  return v * 256 + part;
}
