/**
 * The largest flows of an interval: a min-heap by bytes (both directions) of
 * bounded size, so a record costs one comparison unless it is among them.
 */
import type { FlowRecord } from '../schema/flow-record.ts';
import type { LiveFlow } from './delta.ts';

const weight = (f: LiveFlow): number => f.bytes + (f.reverseBytes ?? 0);

/** Keeps the `capacity` heaviest flows offered since the last drain. */
export class LargestFlows {
  private heap: LiveFlow[] = [];
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Offers a record with its scaled counters; builds a LiveFlow only if it makes the cut. */
  offer(r: FlowRecord, b: number, p: number, rb: number, rp: number, nowMs: number): void {
    const h = this.heap;
    if (this.capacity === 0) return;
    if (h.length >= this.capacity && b + rb <= weight(h[0]!)) return;
    const f = toLiveFlow(r, b, p, rb, rp, nowMs);
    if (h.length < this.capacity) {
      h.push(f);
      this.up(h.length - 1);
    } else {
      h[0] = f;
      this.down(0);
    }
  }

  /** The flows kept, heaviest first; empties the heap. */
  drain(): LiveFlow[] {
    const out = this.heap.sort((a, b) => weight(b) - weight(a));
    this.heap = [];
    return out;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (weight(h[parent]!) <= weight(h[i]!)) return;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && weight(h[l]!) < weight(h[m]!)) m = l;
      if (r < h.length && weight(h[r]!) < weight(h[m]!)) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}

/** The live view of a record (only the fields the views show). */
export function toLiveFlow(
  r: FlowRecord,
  b: number,
  p: number,
  rb: number,
  rp: number,
  nowMs: number,
): LiveFlow {
  const f: LiveFlow = { exporter: r.exporter, bytes: b, packets: p, lastSeenMs: nowMs };
  if (r.srcAddr !== undefined) f.srcAddr = r.srcAddr;
  if (r.dstAddr !== undefined) f.dstAddr = r.dstAddr;
  if (r.srcPort !== undefined) f.srcPort = r.srcPort;
  if (r.dstPort !== undefined) f.dstPort = r.dstPort;
  if (r.proto !== undefined) f.proto = r.proto;
  if (rb > 0 || rp > 0) {
    f.reverseBytes = rb;
    f.reversePackets = rp;
  }
  if (r.appProto !== undefined) f.appProto = r.appProto;
  if (r.srcHost !== undefined) f.srcHost = r.srcHost;
  if (r.dstHost !== undefined) f.dstHost = r.dstHost;
  if (r.start !== undefined) f.start = r.start;
  if (r.end !== undefined) f.end = r.end;
  return f;
}
