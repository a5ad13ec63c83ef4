/**
 * The flow table: open addressing (linear probing, backward-shift deletion)
 * over an Int32Array of slot numbers, each tagged with high bits of its
 * flow's hash, keyed by a numeric hash of the
 * canonical (direction-free) key; the flows themselves live in typed-array
 * columns (flow-columns.ts). Two intrusive doubly-linked lists order the
 * slots by last packet (idle expiry, eviction) and by start (active timeout).
 */
import { allocateColumns, touchSlots, TOUCH_SLOTS, type FlowColumns } from './flow-columns.ts';
import { keyMatches, type FlowKey } from './flow-key.ts';

/**
 * Column slots allocated at the start. The columns' untouched pages cost
 * address space, not memory (flow-columns.ts), so they start large: the
 * columns of most runs are never replaced, and V8 keeps reading them as
 * constants in the packet path. Replacing them (growth past this) made V8
 * deoptimise that code mid-file and reload every column at every access.
 */
const INITIAL_COLUMN_SLOTS = 262_144;
/**
 * The hash index starts for this many flows and grows 64-fold: it is
 * written whole when made (newIndex), 2 MB for 262,144 slots, which a small
 * capture should not pay for.
 */
const INITIAL_INDEX_SLOTS = 4096;
/**
 * Growth copies every column, and the untouched part of fresh (zeroed)
 * columns costs address space, not memory, until flows use it: the columns
 * grow 64-fold at a time (262,144 slots, then the bound), so a table grown
 * to a million flows has copied 262,144 slots once.
 */
const GROWTH_FACTOR = 64;
const NONE = -1;

/** Slot storage, index and lists. Keys are compared by the caller (`matches`). */
export interface FlowTable {
  cols: FlowColumns;
  readonly size: number;
  /** Slot holding key `k`, or -1. */
  find(k: FlowKey): number;
  /** A fresh slot indexed under `hash`, or -1 when the table holds maxFlows already. */
  insert(hash: number): number;
  remove(slot: number): void;
  /** Removes every flow at once (end of a file: cheaper than removing them one by one). */
  clear(): void;
  /** Least recently seen slot, and oldest started slot (-1 when empty). */
  lruHead(): number;
  ageHead(): number;
  /** Moves `slot` to the most-recently-seen end; `restartAge` also to the newest end of the age list. */
  touch(slot: number): void;
  restartAge(slot: number): void;
}

/**
 * Bits of an index entry for slot + 1 (enough for `maxFlows`); the high
 * bits of the flow's hash fill the rest. A probe that meets another flow's
 * entry turns it away by that tag instead of loading the other flow's hash
 * from the columns, a cache line of a flow possibly not seen for a while
 * (on the benchmark, 0.5 % fewer instructions for the command).
 */
function slotBits(maxFlows: number): number {
  if (!(maxFlows >= 1 && maxFlows < 2 ** 31 - 1)) throw new RangeError(`maxFlows ${maxFlows}: 1 to 2^31 - 2`);
  return Math.max(1, Math.ceil(Math.log2(maxFlows + 2)));
}

/** A table holding at most `maxFlows` flows. */
export function createFlowTable(maxFlows: number): FlowTable {
  const bits = slotBits(maxFlows);
  /** Entry bits holding slot + 1, and those holding the tag (int32: ~0 for 31 slot bits leaves bit 31). */
  const slotMask = bits >= 31 ? 0x7fffffff : (1 << bits) - 1;
  const tagMask = ~slotMask;
  let capacity = Math.min(INITIAL_COLUMN_SLOTS, maxFlows);
  let cols = allocateColumns(capacity);
  /** Slots the index is sized for (newIndex): at most `capacity`. */
  let indexSlots = Math.min(INITIAL_INDEX_SLOTS, capacity);
  let index = newIndex(indexSlots);
  let mask = index.length - 1;
  let used = 0; // slots ever handed out (high-water mark)
  /** Slots from here on have never been used, nor their pages touched (touchSlots). */
  let touched = 0;
  const free: number[] = [];
  const lru = { head: NONE, tail: NONE };
  const age = { head: NONE, tail: NONE };

  /** Room for one more slot: a larger index, and past the columns' capacity larger columns. */
  const grow = (): void => {
    if (used >= capacity) {
      capacity = Math.min(capacity * GROWTH_FACTOR, maxFlows);
      cols = allocateColumns(capacity, cols);
      table.cols = cols;
      touched = used; // copied up to there
    }
    indexSlots = Math.min(indexSlots * GROWTH_FACTOR, capacity);
    index = newIndex(indexSlots);
    mask = index.length - 1;
    for (let s = 0; s < used; s++) if (cols.gen[s]! & 1) place(s);
  };
  const place = (slot: number): void => {
    const hash = cols.hash[slot]!;
    let i = hash & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = (hash & tagMask) | (slot + 1);
  };
  const unlink = (prev: Int32Array, next: Int32Array, l: { head: number; tail: number }, s: number): void => {
    const p = prev[s]!;
    const n = next[s]!;
    if (p === NONE) l.head = n;
    else next[p] = n;
    if (n === NONE) l.tail = p;
    else prev[n] = p;
  };
  const append = (prev: Int32Array, next: Int32Array, l: { head: number; tail: number }, s: number): void => {
    prev[s] = l.tail;
    next[s] = NONE;
    if (l.tail === NONE) l.head = s;
    else next[l.tail] = s;
    l.tail = s;
  };

  // Plain data properties only: an accessor (`get size()`) would make this literal a dictionary-mode
  // object, and every `table.find` / `table.cols` in the packet loop a generic LoadIC call (measured:
  // five a packet, 7 % of the meter's instructions).
  const table: FlowTable & { size: number } = {
    cols,
    size: 0,
    find(k) {
      const hash = k.hash;
      for (let i = hash & mask; ; i = (i + 1) & mask) {
        const e = index[i]!;
        if (e === 0) return NONE;
        if (((e ^ hash) & tagMask) !== 0) continue;
        const s = (e & slotMask) - 1;
        if (cols.hash[s] === hash && keyMatches(cols, s, k)) return s;
      }
    },
    insert(hash) {
      if (table.size >= maxFlows) return NONE;
      let slot = free.pop();
      if (slot === undefined) {
        if (used >= indexSlots) grow();
        slot = used++;
        if (slot >= touched) {
          touchSlots(cols, capacity, touched, touched + TOUCH_SLOTS);
          touched += TOUCH_SLOTS;
        }
      }
      table.size++;
      cols.hash[slot] = hash;
      cols.gen[slot] = (cols.gen[slot]! + 1) | 1; // odd = in use
      place(slot);
      append(cols.lruPrev, cols.lruNext, lru, slot);
      append(cols.agePrev, cols.ageNext, age, slot);
      return slot;
    },
    remove(slot) {
      let i = cols.hash[slot]! & mask;
      while ((index[i]! & slotMask) !== slot + 1) i = (i + 1) & mask;
      // Backward-shift deletion keeps every probe sequence unbroken without tombstones.
      for (let j = (i + 1) & mask; index[j] !== 0; j = (j + 1) & mask) {
        const want = cols.hash[(index[j]! & slotMask) - 1]! & mask;
        const between = i <= j ? want > i && want <= j : want > i || want <= j;
        if (between) continue;
        index[i] = index[j]!;
        i = j;
      }
      index[i] = 0;
      unlink(cols.lruPrev, cols.lruNext, lru, slot);
      unlink(cols.agePrev, cols.ageNext, age, slot);
      cols.gen[slot] = cols.gen[slot]! + 1; // even = free
      free.push(slot);
      table.size--;
    },
    clear() {
      index.fill(0);
      const gen = cols.gen;
      for (let s = 0; s < used; s++) gen[s] = (gen[s]! + 1) & ~1; // even = free; the next use makes it odd again
      free.length = 0;
      used = 0;
      table.size = 0;
      lru.head = lru.tail = age.head = age.tail = NONE;
    },
    lruHead: () => lru.head,
    ageHead: () => age.head,
    touch(slot) {
      if (lru.tail === slot) return;
      unlink(cols.lruPrev, cols.lruNext, lru, slot);
      append(cols.lruPrev, cols.lruNext, lru, slot);
    },
    restartAge(slot) {
      unlink(cols.agePrev, cols.ageNext, age, slot);
      append(cols.agePrev, cols.ageNext, age, slot);
    },
  };
  return table;
}

/**
 * The hash index for `capacity` slots: a power of two at least twice the
 * capacity, so probe sequences stay short. Written whole at once: probes read
 * it at random, and a page read before it is written costs a second fault and
 * a TLB flush (touchSlots in flow-columns.ts); 2 MB for 262,144 slots.
 */
function newIndex(capacity: number): Int32Array {
  let n = 2;
  while (n < capacity * 2) n *= 2;
  return new Int32Array(n).fill(0);
}
