/**
 * The live delta: what one producer (a decode worker, a flow meter) saw in
 * one interval, summed and bounded, ready to cross a thread boundary with
 * postMessage. Bytes and packets are already multiplied by the sampling rate.
 */

/** Sums of one key over an interval: [key, bytes, packets, flows, label?]. */
export type KeyedSums = [key: string, bytes: number, packets: number, flows: number, label?: string];

/** Traffic through one interface of one exporter ("in": received on it, "out": sent out of it). */
export type InterfaceSums = [
  exporter: string,
  ifIndex: number,
  direction: 'in' | 'out',
  bytes: number,
  packets: number,
  flows: number,
];

/** One host's traffic in an interval ("out": it was the sender). */
export interface HostDelta {
  addr: string;
  /** Host name from enrichment, when known. */
  name?: string;
  bytesOut: number;
  packetsOut: number;
  bytesIn: number;
  packetsIn: number;
  flows: number;
}

/** A flow as the live views show it (bytes/packets scaled by sampling; reverse for biflows). */
export interface LiveFlow {
  exporter: string;
  srcAddr?: string;
  dstAddr?: string;
  srcPort?: number;
  dstPort?: number;
  proto?: number;
  bytes: number;
  packets: number;
  reverseBytes?: number;
  reversePackets?: number;
  appProto?: string;
  srcHost?: string;
  dstHost?: string;
  /** First and last packet, when the source says. */
  start?: number;
  end?: number;
  /** When FlowLens last heard of it (arrival of the record, or the meter's snapshot time). */
  lastSeenMs: number;
}

/** Dimensions with a top list besides talkers (talkers come from `hosts`). */
export type TopDimension = 'protocols' | 'applications' | 'categories' | 'as' | 'countries';

/** Every top dimension, in display order. */
export const TOP_DIMENSIONS: readonly TopDimension[] = [
  'protocols',
  'applications',
  'categories',
  'as',
  'countries',
];

/** One interval of one producer. */
export interface LiveDelta {
  /** Who produced it ("worker-0", "meter:eth0"); deltas of several sources add up. */
  source: string;
  startMs: number;
  endMs: number;
  bytes: number;
  packets: number;
  flows: number;
  /** Records left out as late (ended long before their exporter's newest record: replays, backfills); stored, not live. */
  lateRecords: number;
  /** Traffic entering live.localNetworks from outside ("in") and leaving them ("out"); internal and transit traffic is in neither. */
  bytesIn: number;
  packetsIn: number;
  bytesOut: number;
  packetsOut: number;
  exporters: KeyedSums[];
  interfaces: InterfaceSums[];
  /** The busiest hosts of the interval (all of them unless the producer's bound was hit). */
  hosts: HostDelta[];
  /** Host entries the producer's bound pruned: their traffic is in the totals only. */
  hostsPruned: number;
  top: Record<TopDimension, KeyedSums[]>;
  /** The largest flows of the interval. */
  largestFlows: LiveFlow[];
}
