/**
 * Per-host sums of one live interval, bounded like BoundedSums (the lighter
 * half is pruned on overflow) but held in typed arrays indexed by a slot
 * number: adding a flow for a new host allocates no object, which matters
 * when every flow may bring two hosts not seen in this interval. IPv4 hosts
 * are found through an open-addressing table keyed by the address's 32-bit
 * value (no string hashing, and rebuilt cheaply after pruning); other
 * addresses through a Map.
 */
import { parseIpv4Number } from '../common/net.ts';
import { sampleMedian, sampleStride } from './bounded-sums.ts';
import type { HostDelta } from './delta.ts';

export class HostSums {
  /** Bytes and packets sent (out) and received (in), flows. */
  readonly bo: Float64Array;
  readonly po: Float64Array;
  readonly bi: Float64Array;
  readonly pi: Float64Array;
  readonly f: Float64Array;
  /** 1 when the host is inside the local networks (looked up once per host and interval). */
  readonly local: Uint8Array;
  /** Hosts dropped by pruning since the last drain. */
  pruned = 0;
  private readonly addrs: string[] = [];
  private readonly names: (string | undefined)[] = [];
  /** Non-IPv4 addresses -> slot. */
  private readonly index = new Map<string, number>();
  /** IPv4 value of each slot, or -1 for other addresses. */
  private readonly v4: Float64Array;
  /** Open-addressing table: IPv4 value -> slot + 1 (0 = empty); linear probing. */
  private readonly tableKeys: Uint32Array;
  private readonly tableSlots: Int32Array;
  private readonly tableMask: number;
  private count = 0;
  private readonly max: number;
  private readonly isLocal: (addr: string, v4: number) => boolean;

  /** `isLocal` gets the address and its IPv4 value (-1 for other addresses). */
  constructor(max: number, isLocal: (addr: string, v4: number) => boolean) {
    this.max = Math.max(2, max);
    this.isLocal = isLocal;
    this.bo = new Float64Array(this.max);
    this.po = new Float64Array(this.max);
    this.bi = new Float64Array(this.max);
    this.pi = new Float64Array(this.max);
    this.f = new Float64Array(this.max);
    this.local = new Uint8Array(this.max);
    this.v4 = new Float64Array(this.max);
    let size = 1;
    while (size < this.max * 2) size *= 2;
    this.tableKeys = new Uint32Array(size);
    this.tableSlots = new Int32Array(size);
    this.tableMask = size - 1;
  }

  private findV4(n: number): number {
    let h = Math.imul(n, 0x9e3779b1) >>> 0;
    for (;;) {
      const at = h & this.tableMask;
      const s = this.tableSlots[at]!;
      if (s === 0) return -1 - at; // empty: where to insert
      if (this.tableKeys[at] === n) return s - 1;
      h = at + 1;
    }
  }

  get size(): number {
    return this.count;
  }

  /** The slot of `addr` (created with zero sums when new); a known `name` replaces the slot's. */
  slot(addr: string, name: string | undefined): number {
    const n = parseIpv4Number(addr);
    let i = n >= 0 ? this.findV4(n) : (this.index.get(addr) ?? -1);
    if (i < 0) {
      if (this.count >= this.max) {
        this.prune();
        if (n >= 0) i = this.findV4(n); // the table was rebuilt: find the free place again
      }
      const at = -1 - i;
      i = this.count++;
      if (n >= 0) {
        this.tableKeys[at] = n;
        this.tableSlots[at] = i + 1;
      } else this.index.set(addr, i);
      this.v4[i] = n;
      this.addrs[i] = addr;
      this.names[i] = name;
      this.bo[i] = this.po[i] = this.bi[i] = this.pi[i] = this.f[i] = 0;
      this.local[i] = this.isLocal(addr, n) ? 1 : 0;
    } else if (name !== undefined) this.names[i] = name;
    return i;
  }

  /** Adds to slot `i`'s sums (sent, then received) and counts one flow. */
  add(i: number, bo: number, po: number, bi: number, pi: number): void {
    this.bo[i] = this.bo[i]! + bo;
    this.po[i] = this.po[i]! + po;
    this.bi[i] = this.bi[i]! + bi;
    this.pi[i] = this.pi[i]! + pi;
    this.f[i] = this.f[i]! + 1;
  }

  private insertV4(n: number, slot: number): void {
    const at = -1 - this.findV4(n);
    this.tableKeys[at] = n;
    this.tableSlots[at] = slot + 1;
  }

  /** Drops the hosts weighing (bytes both ways) at most the median of a sample; keeps the rest in order. */
  private prune(): void {
    const n = this.count;
    // Straight off the arrays: a generator over every slot cost ~40 ns a slot, a prune every few thousand flows.
    const sample: number[] = [];
    for (let i = 0, step = sampleStride(n); i < n; i += step) sample.push(this.bo[i]! + this.bi[i]!);
    const threshold = sampleMedian(sample);
    this.index.clear();
    this.tableSlots.fill(0);
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (this.bo[i]! + this.bi[i]! <= threshold) continue;
      if (j !== i) {
        this.addrs[j] = this.addrs[i]!;
        this.names[j] = this.names[i];
        this.bo[j] = this.bo[i]!;
        this.po[j] = this.po[i]!;
        this.bi[j] = this.bi[i]!;
        this.pi[j] = this.pi[i]!;
        this.f[j] = this.f[i]!;
        this.local[j] = this.local[i]!;
        this.v4[j] = this.v4[i]!;
      }
      if (this.v4[j]! >= 0) this.insertV4(this.v4[j]!, j);
      else this.index.set(this.addrs[j]!, j);
      j++;
    }
    this.pruned += n - j;
    this.count = j;
  }

  /** The interval's hosts; empties the table. */
  drain(): HostDelta[] {
    const out: HostDelta[] = [];
    for (let i = 0; i < this.count; i++) {
      const d: HostDelta = {
        addr: this.addrs[i]!,
        bytesOut: this.bo[i]!,
        packetsOut: this.po[i]!,
        bytesIn: this.bi[i]!,
        packetsIn: this.pi[i]!,
        flows: this.f[i]!,
      };
      const name = this.names[i];
      if (name !== undefined) d.name = name;
      out.push(d);
    }
    this.index.clear();
    this.tableSlots.fill(0);
    this.addrs.length = 0;
    this.names.length = 0;
    this.count = 0;
    this.pruned = 0;
    return out;
  }
}
