/**
 * The time window a page shows: a preset relative to now ("1h": the last
 * hour) or a fixed range (`range=custom&from=MS&to=MS` in the URL, made by
 * dragging across a chart). Pages ask the API with `from`/`to` and link to
 * each other with the same window.
 */

/** Preset spans, as the API's relative `from` (`-1h`) understands them. */
export const PRESET_MS: Record<string, number> = {
  '15m': 900_000,
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
};

/** A selection narrower than this is taken as a click, not a range. */
export const MIN_SELECTION_MS = 60_000;

export interface TimeWindow {
  /** A preset key or "custom". */
  range: string;
  /** The API's `from` and `to` parameters (`to` undefined: now). */
  from: string;
  to: string | undefined;
  spanMs: number;
  /** Query-string part that selects this window on another page ("range=1h"). */
  link: string;
  /** Custom windows: the instants (epoch ms). */
  fromMs?: number;
  toMs?: number;
}

/** The window of `query` (`range`, and `from`/`to` when custom); unknown values fall back to `fallback`. */
export function timeWindow(query: URLSearchParams, fallback = '1h'): TimeWindow {
  const range = query.get('range') ?? fallback;
  if (range === 'custom') {
    const fromMs = Number(query.get('from'));
    const toMs = Number(query.get('to'));
    if (Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs - fromMs >= MIN_SELECTION_MS)
      return customWindow(fromMs, toMs);
  }
  const key = PRESET_MS[range] === undefined ? fallback : range;
  return {
    range: key,
    from: `-${key}`,
    to: undefined,
    spanMs: PRESET_MS[key] ?? 3_600_000,
    link: `range=${key}`,
  };
}

/** A fixed window from `fromMs` to `toMs`, rounded outwards to whole minutes (the rollups' grain). */
export function customWindow(fromMs: number, toMs: number): TimeWindow {
  const a = Math.floor(fromMs / 60_000) * 60_000;
  const b = Math.ceil(toMs / 60_000) * 60_000;
  return {
    range: 'custom',
    from: String(a),
    to: String(b),
    spanMs: b - a,
    link: `range=custom&from=${a}&to=${b}`,
    fromMs: a,
    toMs: b,
  };
}

/** URL query changes that select a custom window (for setQuery). */
export const customQuery = (fromMs: number, toMs: number): Record<string, string> => {
  const w = customWindow(fromMs, toMs);
  return { range: 'custom', from: w.from, to: w.to! };
};

/**
 * The URL change that selects preset `v`, or "custom" starting from the
 * window `shown` (the last hour when there is none, as in live views), to be
 * edited in a RangeForm.
 */
export function rangeQuery(v: string, shown: TimeWindow | undefined): Record<string, string | undefined> {
  if (v !== 'custom') return { range: v, from: undefined, to: undefined };
  const end = shown?.toMs ?? Date.now();
  return customQuery(end - (shown?.spanMs ?? PRESET_MS['1h']!), end);
}

/** A series step giving a few hundred points at most over `spanMs`. */
export function seriesStep(spanMs: number): string {
  if (spanMs <= 3_600_000) return '1m';
  if (spanMs <= 21_600_000) return '5m';
  if (spanMs <= 86_400_000) return '10m';
  if (spanMs <= 604_800_000) return '1h';
  return '1d';
}

/** "Nov 21, 14:00" (the UI's short instant). */
export const fmtWhen = (ms: number): string =>
  new Date(ms).toLocaleString('en-GB', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/** "Nov 21, 14:00 – Nov 21, 15:30". */
export const fmtPeriod = (from: number, to: number): string => `${fmtWhen(from)} – ${fmtWhen(to)}`;

/** "The last 6h", or "Nov 21, 14:00 – Nov 21, 15:30". */
export function windowLabel(w: TimeWindow): string {
  return w.range === 'custom' ? fmtPeriod(w.fromMs!, w.toMs!) : `The last ${w.range}`;
}
