import type { FlowRecord } from '../schema/flow-record.ts';

/**
 * The most recent flows in a fixed number of slots: memory stays bounded
 * whatever the rate; the oldest record is overwritten first.
 */
export class FlowRing {
  private readonly slots: (FlowRecord | undefined)[];
  private next = 0;
  private total = 0;

  constructor(capacity: number) {
    this.slots = new Array<FlowRecord | undefined>(capacity);
  }

  push(r: FlowRecord): void {
    if (this.slots.length === 0) return;
    this.slots[this.next] = r;
    this.next = (this.next + 1) % this.slots.length;
    this.total++;
  }

  /** Records ever pushed (including overwritten ones). */
  get pushed(): number {
    return this.total;
  }

  /** Up to `limit` records, newest first. */
  recent(limit: number): FlowRecord[] {
    const out: FlowRecord[] = [];
    const n = this.slots.length;
    for (let i = 1; i <= Math.min(limit, n); i++) {
      const r = this.slots[(this.next - i + n) % n];
      if (!r) break;
      out.push(r);
    }
    return out;
  }
}
