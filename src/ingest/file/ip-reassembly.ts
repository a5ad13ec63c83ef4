/**
 * IP fragment reassembly (RFC 791 / RFC 8200 §4.5) for capture files: fragments
 * keyed by addresses and identification, bounded in count and size, stale
 * ones dropped. Overlaps are resolved by the later fragment (as Linux does).
 */
export interface Reassembler {
  /** Adds a fragment; returns the whole payload when this one completes it. */
  add(key: string, offset: number, more: boolean, data: Uint8Array, tsMs: number): Uint8Array | undefined;
  /** Fragments dropped: timed out, over the bounds, or inconsistent. */
  readonly dropped: number;
}

export interface ReassemblyLimits {
  maxDatagrams: number;
  maxBytes: number;
  timeoutMs: number;
}

const DEFAULT_LIMITS: ReassemblyLimits = { maxDatagrams: 1024, maxBytes: 65_535, timeoutMs: 30_000 };

interface Partial {
  parts: { offset: number; data: Uint8Array }[];
  total: number;
  firstMs: number;
}

export function createReassembler(limits: ReassemblyLimits = DEFAULT_LIMITS): Reassembler {
  const pending = new Map<string, Partial>();
  let dropped = 0;
  const sweep = (nowMs: number): void => {
    for (const [k, p] of pending) {
      if (nowMs - p.firstMs <= limits.timeoutMs) continue;
      dropped += p.parts.length;
      pending.delete(k);
    }
  };
  return {
    get dropped() {
      return dropped;
    },
    add(key, offset, more, data, tsMs) {
      if (offset + data.length > limits.maxBytes) return void dropped++;
      let p = pending.get(key);
      if (!p) {
        if (pending.size >= limits.maxDatagrams) sweep(tsMs);
        if (pending.size >= limits.maxDatagrams) return void dropped++;
        p = { parts: [], total: -1, firstMs: tsMs };
        pending.set(key, p);
      }
      p.parts.push({ offset, data });
      if (!more) p.total = offset + data.length;
      if (p.total < 0) return undefined;
      const out = new Uint8Array(p.total);
      const have = new Uint8Array(p.total);
      for (const part of p.parts) {
        const n = Math.min(part.data.length, p.total - part.offset);
        if (n <= 0) continue;
        out.set(part.data.subarray(0, n), part.offset);
        have.fill(1, part.offset, part.offset + n);
      }
      if (have.includes(0)) return undefined;
      pending.delete(key);
      return out;
    },
  };
}
