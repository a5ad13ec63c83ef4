/**
 * A ring of time slots (seconds, or 5-second steps) with a few numeric
 * fields each. Slots are cleared lazily when time moves past them, so an
 * idle key costs nothing per tick; reads ignore slots older than the ring.
 */
export class SlotRing {
  readonly data: Float64Array;
  /** Newest slot written; slots in (last - slots, last] are valid. */
  last = -Infinity;
  readonly slots: number;
  readonly width: number;

  constructor(slots: number, width: number) {
    this.slots = slots;
    this.width = width;
    this.data = new Float64Array(slots * width);
  }

  /** Adds `v` to `field` of `slot` (slot numbers only move forward; an older slot still in the ring is fine). */
  add(slot: number, field: number, v: number): void {
    if (slot > this.last) this.advance(slot);
    else if (slot <= this.last - this.slots) return; // too old for the ring
    const i = (slot % this.slots) * this.width + field;
    this.data[i] = (this.data[i] ?? 0) + v;
  }

  /** Sum of `field` over slots [from, to). */
  sum(field: number, from: number, to: number): number {
    const lo = Math.max(from, this.last - this.slots + 1);
    const hi = Math.min(to, this.last + 1);
    let s = 0;
    for (let slot = lo; slot < hi; slot++) s += this.data[(slot % this.slots) * this.width + field] ?? 0;
    return s;
  }

  /** Value of `field` in one slot (0 when outside the ring). */
  at(field: number, slot: number): number {
    if (slot > this.last || slot <= this.last - this.slots) return 0;
    return this.data[(slot % this.slots) * this.width + field] ?? 0;
  }

  private advance(slot: number): void {
    const from = Number.isFinite(this.last)
      ? Math.max(this.last + 1, slot - this.slots + 1)
      : slot - this.slots + 1;
    for (let s = from; s <= slot; s++)
      this.data.fill(0, (s % this.slots) * this.width, ((s % this.slots) + 1) * this.width);
    this.last = slot;
  }
}
