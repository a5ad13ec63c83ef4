/** Timing: every contender of a query runs in turn, round after round, so a noisy moment hits them all. */

/** Wall times of one contender, seconds. */
export interface Timing {
  runs: number[];
  best: number;
  median: number;
}

/** Something timed: runs once per round. */
export interface Timed {
  label: string;
  run(): Promise<void>;
}

/** Statistics of wall times. */
export function timingOf(runs: number[]): Timing {
  const s = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { runs, best: s[0] ?? NaN, median };
}

/**
 * Runs each contender once untimed (warm-up: caches as in steady use, and the
 * answers checked), then `rounds` timed rounds, contenders interleaved.
 */
export async function timeRounds(contenders: Timed[], rounds: number): Promise<Map<string, Timing>> {
  for (const c of contenders) await c.run();
  const runs = new Map<string, number[]>(contenders.map((c) => [c.label, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      const t = performance.now();
      await c.run();
      runs.get(c.label)!.push((performance.now() - t) / 1000);
    }
  }
  return new Map([...runs].map(([k, v]) => [k, timingOf(v)]));
}
