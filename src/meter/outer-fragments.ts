/**
 * Tunnel packets whose outer IP packet is fragmented (GTP-U over a small
 * MTU): the inner packet exists only once every outer fragment arrived (the
 * tunnel endpoint drops an incomplete one), so it is metered when the
 * fragment completing it arrives, at that fragment's time, as Wireshark
 * dissects it in the reassembled frame. Until then the first fragment's
 * frame is kept (a copy: the capture buffer is reused). Bounded: the oldest
 * incomplete packet is forgotten first. A rare path, so plain objects.
 */

/** A held first fragment. */
export interface HeldFragment {
  linkType: number;
  frame: Uint8Array;
}

interface Entry extends HeldFragment {
  /** Data bytes of the fragments seen, and the packet's length once the last fragment came (0 before). */
  got: number;
  total: number;
}

export interface OuterFragments {
  /** Holds the first fragment of outer packet `hash` (its data `bytes`, ending at `end`, more to come or not). */
  hold(hash: number, linkType: number, frame: Uint8Array, bytes: number, end: number, more: boolean): void;
  /** True when a packet `hash` is held. */
  has(hash: number): boolean;
  /** Adds a fragment to held packet `hash`; returns the held first fragment when this one completes it. */
  add(hash: number, bytes: number, end: number, more: boolean): HeldFragment | undefined;
  clear(): void;
}

export function createOuterFragments(capacity: number): OuterFragments {
  const held = new Map<number, Entry>();
  const complete = (hash: number, e: Entry): HeldFragment | undefined => {
    if (e.total === 0 || e.got < e.total) return undefined;
    held.delete(hash);
    return e;
  };
  return {
    hold(hash, linkType, frame, bytes, end, more) {
      held.delete(hash); // a repeated first fragment starts the packet again
      if (held.size >= capacity) held.delete(held.keys().next().value!);
      held.set(hash, { linkType, frame: frame.slice(), got: bytes, total: more ? 0 : end });
    },
    has: (hash) => held.has(hash),
    add(hash, bytes, end, more) {
      const e = held.get(hash);
      if (!e) return undefined;
      e.got += bytes;
      if (!more) e.total = end;
      return complete(hash, e);
    },
    clear: () => held.clear(),
  };
}
