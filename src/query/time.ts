/** Time ranges of queries: absolute or relative times, and automatic bucketing. */

/** [fromMs, toMs), epoch milliseconds. */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** A time that is neither ISO-8601 nor relative. */
export class TimeError extends Error {
  readonly code = 'FLOWLENS_ERR_TIME';
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** "90s", "5m", "1h", "2d" -> milliseconds, or undefined. */
export function parseStep(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/**
 * "now", a relative time ("-1h", "-15m", "-2d"), epoch milliseconds, or an
 * ISO-8601 date/time (UTC unless it says otherwise).
 */
export function parseTime(text: string, nowMs: number): number {
  const s = text.trim();
  if (s === 'now') return nowMs;
  const rel = /^-(\d+)(ms|s|m|h|d|w)$/.exec(s);
  if (rel) return nowMs - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  if (/^\d{10,}$/.test(s)) return Number(s);
  const iso = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(s);
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/.test(s) || !s.includes('T');
  const ms = iso ? Date.parse(hasZone ? s : `${s}Z`) : NaN;
  if (Number.isNaN(ms))
    throw new TimeError(`expected an ISO-8601 time or a relative one like -1h, got "${text}"`);
  return ms;
}

/** Steps automatic bucketing chooses from. */
const NICE_STEPS_MS = [
  10e3,
  30e3,
  60e3,
  300e3,
  600e3,
  900e3,
  1800e3,
  3600e3,
  3 * 3600e3,
  6 * 3600e3,
  12 * 3600e3,
  86400e3,
  7 * 86400e3,
];

/** Points a series aims for at most when the step is automatic. */
export const MAX_AUTO_POINTS = 300;

/** The smallest nice step that keeps the range within MAX_AUTO_POINTS buckets. */
export function autoStep(range: TimeRange): number {
  const span = Math.max(1, range.toMs - range.fromMs);
  return NICE_STEPS_MS.find((s) => span / s <= MAX_AUTO_POINTS) ?? NICE_STEPS_MS.at(-1)!;
}
