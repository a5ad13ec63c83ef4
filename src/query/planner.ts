/**
 * Picks the smallest table that can answer a query: the coarsest rollup that
 * has every dimension the query groups or filters on, whose resolution
 * divides the series step, whose buckets line up with the range (or the
 * range is long enough that edge buckets do not matter), and that still
 * holds the start of the range. Otherwise the raw flows.
 */
import type { TableRetention } from '../store/ports.ts';
// The table list itself, not the store's index: that loads both engines and
// the store worker, ~0.1 s of start-up a `flowlens query` does not need.
import { RAW_TABLE, ROLLUP_DIMENSIONS, ROLLUPS } from '../store/tables.ts';
import type { TimeRange } from './time.ts';

/** The table a query reads. */
export interface TablePlan {
  readonly table: string;
  /** 0 for raw flows. */
  readonly resolutionMs: number;
}

/** What a query needs from a table. */
export interface TableNeeds {
  readonly fields: ReadonlySet<string>;
  /** Needs per-flow values (records, quality metrics): raw only. */
  readonly rawOnly: boolean;
  readonly range: TimeRange;
  readonly stepMs?: number;
  readonly nowMs: number;
}

/** An unaligned range may use a rollup when it spans at least this many buckets (edge error < 0.5%). */
const MIN_BUCKETS_UNALIGNED = 400;

const rollupFields = new Set(ROLLUP_DIMENSIONS.map((c) => c.name));

/** The plan for a query. */
export function planTable(needs: TableNeeds, retention: TableRetention): TablePlan {
  const raw: TablePlan = { table: RAW_TABLE, resolutionMs: 0 };
  if (needs.rawOnly) return raw;
  for (const f of needs.fields) if (!rollupFields.has(f)) return raw;
  const { fromMs, toMs } = needs.range;
  for (const r of [...ROLLUPS].reverse()) {
    const res = r.resolutionMs;
    if (needs.stepMs !== undefined && needs.stepMs % res !== 0) continue;
    const aligned = fromMs % res === 0 && toMs % res === 0;
    if (!aligned && (toMs - fromMs) / res < MIN_BUCKETS_UNALIGNED) continue;
    const maxAge = retention.rollupMaxAgeMs[r.name];
    if (maxAge !== undefined && fromMs < needs.nowMs - maxAge) continue;
    return { table: r.name, resolutionMs: res };
  }
  return raw;
}
