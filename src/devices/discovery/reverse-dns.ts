/**
 * Reverse DNS (PTR, RFC 1035 §3.5) of the devices' current addresses:
 * at most maxPerRun lookups per run, the addresses asked least recently
 * first, so a large inventory is covered over several runs; a failed lookup
 * is skipped (an address without a PTR is normal), not a failed run.
 */
import type { Observation } from '../model.ts';
import type { DiscoveryMethod } from './scheduler.ts';

/** Settings and system access of the rdns method. */
export interface ReverseDnsOptions {
  intervalMs: number;
  timeoutMs: number;
  maxPerRun: number;
  now(): number;
  /** The addresses to name (the devices' current ones). */
  addresses(): string[];
  reverse(ip: string): Promise<string[]>;
}

/** Lookups remembered (for the least-recently-asked order). */
const MAX_REMEMBERED = 100_000;

/** The `rdns` method. */
export function createReverseDnsMethod(o: ReverseDnsOptions): DiscoveryMethod {
  const asked = new Map<string, number>();
  return {
    name: 'rdns',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run(signal) {
      const batch = o
        .addresses()
        .sort((a, b) => (asked.get(a) ?? 0) - (asked.get(b) ?? 0))
        .slice(0, o.maxPerRun);
      const out: Observation[] = [];
      await Promise.all(
        batch.map(async (ip) => {
          if (signal.aborted) return;
          asked.delete(ip);
          asked.set(ip, o.now());
          const names = await o.reverse(ip).catch(() => [] as string[]);
          if (names.length)
            out.push({
              source: 'rdns',
              tsMs: o.now(),
              ip,
              names: names.map((n) => ({ name: n.replace(/\.$/, ''), source: 'rdns' as const })),
            });
        }),
      );
      while (asked.size > MAX_REMEMBERED) asked.delete(asked.keys().next().value!);
      return out;
    },
  };
}
