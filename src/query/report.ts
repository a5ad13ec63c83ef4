/**
 * Group-by reports (sum, average, p95, count over several dimensions) and
 * comparisons of two time ranges (the same grouping for A and B, deltas,
 * top movers).
 */
import type { FieldDef } from '../schema/fields.ts';
import type { QueryRunner, ResultColumn, SumMetric } from '../store/index.ts';
import {
  checkCount,
  dimension,
  metricExpr,
  prepare,
  QueryError,
  timeCondition,
  type QueryBase,
} from './sql.ts';
import { autoStep, type TimeRange } from './time.ts';

/** A report: group by `dimensions`, per group the metric's sum, average and p95 per step, and flow count. */
export interface ReportQuery extends QueryBase {
  readonly dimensions: readonly string[];
  readonly metric?: SumMetric;
  /** Width of the buckets the average and p95 are taken over; automatic when absent. */
  readonly stepMs?: number;
  readonly limit?: number;
  readonly offset?: number;
}

/** One group of a report. */
export interface ReportRow {
  keys: Record<string, unknown>;
  /** Total of the metric over the range. */
  sum: number;
  /** Average per step bucket over the whole range (empty buckets count as 0). */
  avg: number;
  /** 95th percentile of the per-bucket totals, over buckets that had traffic. */
  p95: number;
  /** Flow records. */
  count: number;
}

/** The groups, largest sum first. */
export interface ReportResult {
  stepMs: number;
  table: string;
  rows: ReportRow[];
}

/** The same grouping over ranges A and B. */
export interface CompareQuery {
  readonly a: TimeRange;
  readonly b: TimeRange;
  readonly filter?: QueryBase['filter'];
  readonly dimensions: readonly string[];
  readonly metric?: SumMetric;
  readonly limit?: number;
}

/** One group in both ranges. */
export interface CompareRow {
  keys: Record<string, unknown>;
  a: number;
  b: number;
  /** b - a. */
  delta: number;
  /** b / a - 1; null when a is 0. */
  change: number | null;
}

/** `rows`: the largest in B first; `movers`: the largest absolute change first. */
export interface CompareResult {
  table: string;
  rows: CompareRow[];
  movers: CompareRow[];
}

const MAX_LIMIT = 100_000;

function groupColumns(
  runner: QueryRunner,
  names: readonly string[],
): { dims: FieldDef[]; select: string; group: string; cols: ResultColumn[] } {
  if (names.length === 0) throw new QueryError('a report needs at least one dimension');
  const d = runner.dialect;
  const dims = names.map(dimension);
  return {
    dims,
    select: dims.map((f, i) => `${d.ident(f.name)} AS ${d.ident(`k${i}`)}`).join(', '),
    group: dims.map((_, i) => d.ident(`k${i}`)).join(', '),
    cols: dims.map((f, i) => ({ name: `k${i}`, kind: f.kind })),
  };
}

const keysOf = (dims: FieldDef[], r: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(dims.map((f, i) => [f.name, r[`k${i}`] ?? null]));

/** Runs a report. */
export async function report(runner: QueryRunner, nowMs: number, q: ReportQuery): Promise<ReportResult> {
  const d = runner.dialect;
  const g = groupColumns(runner, q.dimensions);
  const stepMs = q.stepMs ?? autoStep(q.range);
  const p = prepare(runner, q, { nowMs, groupBy: g.dims, stepMs });
  const m = metricExpr(d, p.plan, q.metric ?? 'bytes');
  const flows = metricExpr(d, p.plan, 'flows');
  const buckets = Math.max(1, Math.ceil((q.range.toMs - q.range.fromMs) / stepMs));
  const v = d.ident('v');
  const sql =
    `WITH b AS (SELECT ${g.select}, ${d.bucketMs(d.ident('time'), stepMs)} AS ${d.ident('t')}, ` +
    `sum(${m}) AS ${v}, sum(${flows}) AS ${d.ident('n')} FROM ${p.from} WHERE ${p.where} GROUP BY ${g.group}, ${d.ident('t')}) ` +
    `SELECT ${g.group}, sum(${v}) AS ${d.ident('sum')}, ${d.float(`sum(${v})`)} / ${buckets} AS ${d.ident('avg')}, ` +
    `${d.quantile(d.float(v), 0.95)} AS ${d.ident('p95')}, sum(${d.ident('n')}) AS ${d.ident('count')} ` +
    `FROM b GROUP BY ${g.group} ORDER BY ${d.ident('sum')} DESC, ${g.group} ` +
    `LIMIT ${checkCount('limit', q.limit ?? 100, MAX_LIMIT)} OFFSET ${checkCount('offset', q.offset ?? 0, Number.MAX_SAFE_INTEGER)}`;
  const cols: ResultColumn[] = [
    ...g.cols,
    { name: 'sum', kind: 'number' },
    { name: 'avg', kind: 'number' },
    { name: 'p95', kind: 'number' },
    { name: 'count', kind: 'number' },
  ];
  const rows = await runner.all(sql, cols);
  return {
    stepMs,
    table: p.plan.table,
    rows: rows.map((r) => ({
      keys: keysOf(g.dims, r),
      sum: Number(r['sum'] ?? 0),
      avg: Number(r['avg'] ?? 0),
      p95: Number(r['p95'] ?? 0),
      count: Number(r['count'] ?? 0),
    })),
  };
}

/** Runs a comparison of two ranges. */
export async function compareRanges(
  runner: QueryRunner,
  nowMs: number,
  q: CompareQuery,
): Promise<CompareResult> {
  const d = runner.dialect;
  const g = groupColumns(runner, q.dimensions);
  const p = prepare(runner, { range: q.a, filter: q.filter }, { nowMs, groupBy: g.dims, ranges: [q.a, q.b] });
  const m = metricExpr(d, p.plan, q.metric ?? 'bytes');
  const side = (r: TimeRange): string => `sum(CASE WHEN ${timeCondition(d, r)} THEN ${m} ELSE 0 END)`;
  const [a, b] = [d.ident('a'), d.ident('b')];
  const limit = checkCount('limit', q.limit ?? 10, MAX_LIMIT);
  const base = `SELECT ${g.select}, ${side(q.a)} AS ${a}, ${side(q.b)} AS ${b} FROM ${p.from} WHERE ${p.where} GROUP BY ${g.group}`;
  const run = async (order: string): Promise<CompareRow[]> => {
    const rows = await runner.all(`SELECT * FROM (${base}) c ORDER BY ${order}, ${g.group} LIMIT ${limit}`, [
      ...g.cols,
      { name: 'a', kind: 'number' },
      { name: 'b', kind: 'number' },
    ]);
    return rows.map((r) => {
      const va = Number(r['a'] ?? 0);
      const vb = Number(r['b'] ?? 0);
      return { keys: keysOf(g.dims, r), a: va, b: vb, delta: vb - va, change: va === 0 ? null : vb / va - 1 };
    });
  };
  const [rows, movers] = await Promise.all([
    run(`${b} DESC`),
    run(`abs(${d.float(b)} - ${d.float(a)}) DESC`),
  ]);
  return { table: p.plan.table, rows, movers };
}
