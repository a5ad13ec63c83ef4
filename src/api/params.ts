/** Request parameters shared by the history routes: time ranges, pages, steps. */
import { parseStep, parseTime, TimeError, type QueryEngine, type TimeRange } from '../query/index.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

/** Query parameters of a time range. */
export interface RangeParams {
  from?: string;
  to?: string;
  filter?: string;
}

/** Query parameters of a page. */
export interface PageParams {
  limit: number;
  offset: number;
}

/** The default range: the last hour. */
export const DEFAULT_RANGE_MS = 3_600_000;

function timeParam(name: string, text: string, nowMs: number): number {
  try {
    return parseTime(text, nowMs);
  } catch (err) {
    if (err instanceof TimeError)
      throw new ApiError(400, err.code, `query parameter "${name}": ${err.message}`, name);
    throw err;
  }
}

/** `from`/`to` as a range (to defaults to now, from to one hour before to). */
export function rangeOf(
  q: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  prefix = '',
): TimeRange {
  const toName = prefix ? `${prefix}To` : 'to';
  const fromName = prefix ? `${prefix}From` : 'from';
  const toMs = q.to === undefined ? nowMs : timeParam(toName, q.to, nowMs);
  const fromMs = q.from === undefined ? toMs - DEFAULT_RANGE_MS : timeParam(fromName, q.from, nowMs);
  if (fromMs >= toMs)
    throw new ApiError(
      400,
      'FLOWLENS_ERR_TIME',
      `query parameter "${fromName}" must be before "${toName}"`,
      fromName,
    );
  return { fromMs, toMs };
}

/** `step` ("5m") as milliseconds, or undefined for automatic. */
export function stepOf(step: string | undefined): number | undefined {
  if (step === undefined) return undefined;
  const ms = parseStep(step);
  if (ms === undefined || ms <= 0)
    throw new ApiError(
      400,
      'FLOWLENS_ERR_VALIDATION',
      `query parameter "step" must be like 1m, 5m or 1h, not "${step}"`,
      'step',
    );
  return ms;
}

/** The query engine, or 503 when there is no store. */
export function engineOf(deps: ApiDeps): QueryEngine {
  if (!deps.queries)
    throw new ApiError(
      503,
      'FLOWLENS_ERR_STORE_UNAVAILABLE',
      `no flow store is available (storage.engine "${deps.storageEngine}")`,
    );
  return deps.queries;
}

/** A page of a list held in memory. */
export function pageList<T>(
  all: readonly T[],
  p: PageParams,
): { total: number; limit: number; offset: number; items: T[] } {
  return {
    total: all.length,
    limit: p.limit,
    offset: p.offset,
    items: all.slice(p.offset, p.offset + p.limit),
  };
}

/**
 * Grouped answers (top-N, hosts, reports) come from the engine largest
 * first with a limit and no count; a page of them reads this many groups at
 * most, which is what `total` counts (`truncated` says when there were more).
 */
export const MAX_GROUPS = 10_000;
