/**
 * Non-first IP fragments carry no ports: they find their flow through the
 * first fragment's (addresses, protocol, identification) hash. A bounded
 * ring: the oldest remembered fragment is forgotten first.
 */

/** First fragments remembered -> flow slot. */
export interface FragmentMap {
  remember(hash: number, slot: number, gen: number, outer: boolean, direction: number): void;
  /** The slot of the flow of a fragment with `hash`, or -1 (unknown, or the flow has ended since). */
  lookup(hash: number, gens: Uint32Array): number;
  /** Of the last successful lookup: whether the fragmented layer was a tunnel's outer packet, and the direction. */
  lastOuter(): boolean;
  lastDirection(): number;
  clear(): void;
}

export function createFragmentMap(capacity: number): FragmentMap {
  const byHash = new Map<number, number>();
  const hashes = new Uint32Array(capacity);
  const slots = new Int32Array(capacity).fill(-1);
  const gens = new Uint32Array(capacity);
  const info = new Uint8Array(capacity);
  let next = 0;
  let last = 0;
  return {
    remember(hash, slot, gen, outer, direction) {
      const i = byHash.get(hash) ?? next;
      if (i === next) {
        if (slots[i]! >= 0) byHash.delete(hashes[i]!);
        next = (next + 1) % capacity;
      }
      hashes[i] = hash;
      slots[i] = slot;
      gens[i] = gen;
      info[i] = (outer ? 1 : 0) | (direction << 1);
      byHash.set(hash, i);
    },
    lookup(hash, flowGens) {
      const i = byHash.get(hash);
      if (i === undefined) return -1;
      const s = slots[i]!;
      if (flowGens[s] !== gens[i]) return -1;
      last = info[i]!;
      return s;
    },
    lastOuter: () => (last & 1) === 1,
    lastDirection: () => last >> 1,
    clear() {
      byHash.clear();
      slots.fill(-1);
      next = 0;
    },
  };
}
