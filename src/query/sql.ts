/**
 * Pieces every query shares: the WHERE clause (time range plus filter), the
 * metric expressions of raw and rollup tables, dimension checks.
 */
import { DIMENSIONS, type FieldDef } from '../schema/fields.ts';
import type { QueryRunner, SqlDialect, SumMetric } from '../store/index.ts';
import { RAW_TABLE } from '../store/tables.ts';
import { filterFields, type FilterNode } from './filter/ast.ts';
import { parseFilter } from './filter/parser.ts';
import { renderFilter } from './filter/render.ts';
import { planTable, type TablePlan } from './planner.ts';
import type { TimeRange } from './time.ts';

/** A query the engine refuses (unknown dimension, bad limit, ...). */
export class QueryError extends Error {
  readonly code = 'FLOWLENS_ERR_QUERY';
}

/** What every query has: a time range and an optional filter (text or parsed). */
export interface QueryBase {
  readonly range: TimeRange;
  readonly filter?: string | FilterNode | undefined;
}

const dims = new Map(DIMENSIONS.map((d) => [d.name.toLowerCase(), d]));

/** The dimension of that name (case-insensitive), or a QueryError. */
export function dimension(name: string): FieldDef {
  const d = dims.get(name.toLowerCase());
  if (!d)
    throw new QueryError(`unknown dimension "${name}" (one of: ${DIMENSIONS.map((x) => x.name).join(', ')})`);
  return d;
}

/** A positive integer no greater than max, or a QueryError. */
export function checkCount(what: string, n: number, max: number): number {
  if (!Number.isSafeInteger(n) || n < 0 || n > max)
    throw new QueryError(`${what} must be an integer 0..${max}`);
  return n;
}

/** A parsed filter. */
export function toFilter(f: QueryBase['filter']): FilterNode | undefined {
  return typeof f === 'string' ? parseFilter(f) : f;
}

/** The table plus its SQL pieces, for one query. */
export interface Prepared {
  readonly plan: TablePlan;
  readonly from: string;
  readonly where: string;
  readonly filter: FilterNode | undefined;
}

/** `time` within the range, in SQL. */
export function timeCondition(d: SqlDialect, r: TimeRange): string {
  return `${d.ident('time')} >= ${d.time(r.fromMs)} AND ${d.ident('time')} < ${d.time(r.toMs)}`;
}

/** Plans the table and renders the WHERE clause. */
export function prepare(
  runner: QueryRunner,
  q: QueryBase,
  opts: {
    nowMs: number;
    groupBy?: readonly FieldDef[];
    rawOnly?: boolean;
    stepMs?: number;
    ranges?: TimeRange[];
  },
): Prepared {
  const d = runner.dialect;
  const filter = toFilter(q.filter);
  const fields = filterFields(filter);
  for (const g of opts.groupBy ?? []) fields.add(g.name);
  const ranges = opts.ranges ?? [q.range];
  const plans = ranges.map((range) =>
    planTable(
      {
        fields,
        rawOnly: opts.rawOnly ?? false,
        range,
        nowMs: opts.nowMs,
        ...(opts.stepMs ? { stepMs: opts.stepMs } : {}),
      },
      runner.retention,
    ),
  );
  // Several ranges (comparisons): the finest table any of them needs answers all.
  const plan = plans.reduce((a, b) => (b.resolutionMs < a.resolutionMs ? b : a));
  const time = ranges.map((r) => `(${timeCondition(d, r)})`).join(' OR ');
  return { plan, from: d.ident(plan.table), where: `(${time}) AND ${renderFilter(filter, d)}`, filter };
}

/** Expression summed for a metric: scaled by the sampling rate on raw flows, pre-scaled in rollups. */
export function metricExpr(d: SqlDialect, plan: TablePlan, m: SumMetric): string {
  if (plan.table !== RAW_TABLE) return d.ident(m);
  if (m === 'flows') return '1';
  return `${d.ident(m)} * ${d.coalesce(d.ident('samplingRate'), '1')}`;
}

/** `sum(...) AS bytes, sum(...) AS packets, sum(...) AS flows`. */
export function sumColumns(d: SqlDialect, plan: TablePlan): string {
  return (['bytes', 'packets', 'flows'] as const)
    .map((m) => `sum(${metricExpr(d, plan, m)}) AS ${d.ident(m)}`)
    .join(', ');
}

/** Result columns of sumColumns. */
export const SUM_RESULT = [
  { name: 'bytes', kind: 'number' },
  { name: 'packets', kind: 'number' },
  { name: 'flows', kind: 'number' },
] as const;
