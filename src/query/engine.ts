/**
 * The query engine: flow search, top-N, time series, reports and
 * comparisons, rendered for the runner's dialect. Sums are scaled by the
 * sampling rate (bytes, packets); `flows` counts flow records.
 */
import type { FlowRecord } from '../schema/flow-record.ts';
import { FIELDS, type FieldKind } from '../schema/fields.ts';
import { ipToBigInt, macToNumber } from '../store/columnar/addr-words.ts';
import type {
  LiteralValue,
  QueryRunner,
  ResultColumn,
  ResultKind,
  ResultRow,
  SumMetric,
} from '../store/index.ts';
import {
  compareRanges,
  report,
  type CompareQuery,
  type CompareResult,
  type ReportQuery,
  type ReportResult,
} from './report.ts';
import { checkCount, dimension, prepare, QueryError, SUM_RESULT, sumColumns, type QueryBase } from './sql.ts';
import { autoStep } from './time.ts';
import { queryTop, type TopRow } from './top.ts';

export type { TopRow } from './top.ts';

/** `query flows`: matching records, newest first unless sorted otherwise. */
export interface FlowsQuery extends QueryBase {
  readonly limit?: number;
  readonly offset?: number;
  /** A field name; descending unless `asc`. */
  readonly sort?: { readonly field: string; readonly asc?: boolean };
}

/** A page of flows and how many match in all. */
export interface FlowsResult {
  total: number;
  records: FlowRecord[];
}

/** `query top`: the top values of one dimension. */
export interface TopQuery extends QueryBase {
  readonly dimension: string;
  readonly metric?: SumMetric;
  readonly limit?: number;
}

/** `query series`: totals per time bucket. */
export interface SeriesQuery extends QueryBase {
  /** Bucket width; automatic when absent (query/time.ts autoStep). */
  readonly stepMs?: number;
}

/** Buckets of a series, every bucket of the range present (zeros included). */
export interface SeriesResult {
  stepMs: number;
  table: string;
  points: { t: number; bytes: number; packets: number; flows: number }[];
}

/** Every query, over one runner. */
export interface QueryEngine {
  flows(q: FlowsQuery): Promise<FlowsResult>;
  /** The rows of a flow search as they stream out (no limit unless given). */
  streamFlows(q: FlowsQuery): AsyncIterable<FlowRecord[]>;
  top(q: TopQuery): Promise<TopRow[]>;
  series(q: SeriesQuery): Promise<SeriesResult>;
  report(q: ReportQuery): Promise<ReportResult>;
  compare(q: CompareQuery): Promise<CompareResult>;
}

export interface QueryEngineDeps {
  runner: QueryRunner;
  /** For relative times and retention checks. */
  now: () => number;
  /**
   * Every flow search as one query (no windows, no bounds, no located
   * offsets): the reference the faster paths are checked against (tests,
   * bench/query/paging.ts).
   */
  plainSearch?: boolean;
  /** Thresholds of the faster paths (tests set small ones to reach every path on little data). */
  searchTuning?: Partial<SearchTuning>;
}

/** Which path a flow search takes. */
export interface SearchTuning {
  /** Time-sorted pages up to this many rows (offset + limit) are looked for in windows first. */
  maxWindowedRows: number;
  /** Pages of a sort by value (not enum) up to this many rows (offset + limit) are bounded by value first. */
  maxBoundedRows: number;
  /** Deeper time-sorted pages are located among this many time slices of the range by their counts. */
  locateSlices: number;
}

const MAX_LIMIT = 1_000_000;

const DEFAULT_TUNING: SearchTuning = { maxWindowedRows: 10_000, maxBoundedRows: 100_000, locateSlices: 4096 };
/** The first window is this fraction of the range... */
const FIRST_WINDOW_DIVISOR = 64;
/** ...and each next one this many times wider. */
const WINDOW_GROWTH = 8;

/** A flow search: the count's SQL, the page's (in one query) and a run of the page (maybe in steps). */
interface FlowsSql {
  readonly count: string;
  readonly page: string;
  /** run() reads a page small enough to hold, in steps (windows or bounds); else the page query. */
  readonly stepped: boolean;
  run(): Promise<ResultRow[]>;
  /** A deep time-sorted page, located by the counts of time slices first; the count comes with it. */
  located?: () => Promise<{ rows: ResultRow[]; total: number }>;
}

/**
 * Sort columns a page is bounded on by value: numbers, text, addresses and
 * MACs, whose values read back exactly and compare in SQL as they sort (not
 * enums, which sort by position, not lists or JSON).
 */
const BOUNDED_KINDS: ReadonlySet<FieldKind> = new Set([
  'u8',
  'u16',
  'u32',
  'u64',
  'float',
  'lowcard',
  'string',
  'ip',
  'mac',
]);

/** A sort column's value as read (`valueKind`), as a literal's value; undefined for NULL. */
function boundValue(kind: FieldKind, text: unknown): LiteralValue | undefined {
  if (typeof text !== 'string') return undefined;
  if (kind === 'lowcard' || kind === 'string') return text;
  if (kind === 'ip') return ipToBigInt(text);
  if (kind === 'mac') return macToNumber(text);
  if (kind === 'u64') return /^\d+$/.test(text) ? BigInt(text) : undefined;
  const n = text === '' ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** How a sort column's value is read for boundValue: addresses and MACs as the runner formats them, others as text. */
const valueKind = (kind: FieldKind): ResultKind => (kind === 'ip' || kind === 'mac' ? kind : 'text');

/** Record columns of a flow search: every field (times as epoch ms). */
const RECORD_COLUMNS: ResultColumn[] = FIELDS.map((f) => ({ name: f.name, kind: f.kind }));
const COUNT_COLUMNS: ResultColumn[] = [{ name: 'n', kind: 'number' }];

/** Creates the engine; it holds no resources of its own. */
export function createQueryEngine(deps: QueryEngineDeps): QueryEngine {
  const { runner } = deps;
  const d = runner.dialect;
  const plain = deps.plainSearch === true;
  const tuning: SearchTuning = { ...DEFAULT_TUNING, ...deps.searchTuning };

  const flowsSql = (q: FlowsQuery, paged: boolean): FlowsSql => {
    const p = prepare(runner, q, { nowMs: deps.now(), rawOnly: true });
    const cols = FIELDS.map((f) =>
      f.kind === 'time' ? `${d.epochMs(d.ident(f.name))} AS ${d.ident(f.name)}` : d.ident(f.name),
    );
    const sortField = q.sort?.field ?? 'time';
    const sortDef = FIELDS.find((f) => f.name === sortField);
    if (sortField !== 'time' && !sortDef) throw new QueryError(`cannot sort by "${sortField}"`);
    const dir = q.sort?.asc ? 'ASC' : 'DESC';
    // Tie-breakers keep pages stable when many flows share the sort key.
    const ties = ['time', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'bytes'].filter((n) => n !== sortField);
    const order = [`${d.ident(sortField)} ${dir}`, ...ties.map((n) => `${d.ident(n)} ${dir}`)].join(', ');
    const limit = paged || q.limit !== undefined ? checkCount('limit', q.limit ?? 100, MAX_LIMIT) : undefined;
    const offset = q.offset ? checkCount('offset', q.offset, Number.MAX_SAFE_INTEGER) : 0;
    const pageAt = (where: string, off: number): string =>
      `SELECT ${cols.join(', ')} FROM ${p.from} WHERE ${where} ORDER BY ${order}` +
      (limit === undefined ? '' : ` LIMIT ${limit}`) +
      (off ? ` OFFSET ${off}` : '');
    const page = pageAt(p.where, offset);
    const t = d.ident('time');
    const k = d.ident(sortField);
    const small = !plain && limit !== undefined && limit > 0;
    const windowed = small && sortField === 'time' && offset + limit <= tuning.maxWindowedRows;
    const bounded =
      small &&
      sortDef !== undefined &&
      BOUNDED_KINDS.has(sortDef.kind) &&
      offset + limit <= tuning.maxBoundedRows;

    /**
     * A time-sorted page is looked for in the newest (oldest, ascending)
     * part of the range first, a window zone maps narrow to few row groups,
     * widened 8x until it holds a full page or is the range. A full page
     * from a window is the range's page: every match outside sorts after
     * every match inside.
     */
    const inWindows = async (): Promise<ResultRow[]> => {
      const { fromMs, toMs } = q.range;
      for (let span = (toMs - fromMs) / FIRST_WINDOW_DIVISOR; ; span *= WINDOW_GROWTH) {
        const edge = Math.floor(dir === 'DESC' ? toMs - span : fromMs + span);
        // A window no narrower than the range (whole milliseconds) is the range.
        if (span >= toMs - fromMs || edge <= fromMs || edge >= toMs) return (await bounds(p.where))!;
        const rows = await bounds(
          `${p.where} AND ${t} ${dir === 'DESC' ? '>=' : '<'} ${d.time(edge)}`,
          false,
        );
        if (rows) return rows;
      }
    };

    /** The sort column's value in SQL, from its text; undefined for NULL. */
    const sortLiteral = (text: unknown): string | undefined => {
      if (!sortDef) {
        const ms = boundValue('u64', text);
        return ms === undefined ? undefined : d.time(Number(ms));
      }
      const v = boundValue(sortDef.kind, text);
      return v === undefined ? undefined : d.literal(sortDef.kind, v);
    };

    /**
     * The page of the matches of `where`, between the sort values of its
     * first and last rows, read from the sort column alone: a sort with a
     * LIMIT reads every column of every match (through DuckDB's UNION view
     * of ADR 0006 and on its tables alike: 0.5-0.7 s for the largest 100 of
     * 10 M flows, ~10x the sort column alone). Matches beyond the first
     * value all sort before the page (counted on that column too), those
     * beyond the last one after it: only the rows in between are read
     * whole (time-sorted, they are neighbours on disk). Undefined when
     * `where` has fewer than a page's matches past the offset and `partial`
     * is false.
     */
    const bounds = async (where: string, partial = true): Promise<ResultRow[] | undefined> => {
      const v = d.ident('v');
      const values = await runner.all(
        `SELECT ${sortDef ? k : d.epochMs(k)} AS ${v} FROM ${p.from} WHERE ${where} ORDER BY ${k} ${dir} LIMIT ${limit} OFFSET ${offset}`,
        [{ name: 'v', kind: sortDef ? valueKind(sortDef.kind) : 'text' }],
      );
      if (values.length < limit! && !partial) return undefined;
      if (values.length === 0) return [];
      const first = sortLiteral(values[0]!['v']);
      const last = sortLiteral(values.at(-1)!['v']);
      // NULLs (sorted last) on the page: the page query as it is.
      if (first === undefined || last === undefined) return runner.all(pageAt(where, offset), RECORD_COLUMNS);
      const [before, after] = dir === 'DESC' ? ['>', '<'] : ['<', '>'];
      let ahead = 0;
      if (offset) {
        const n = await runner.all(
          `SELECT count(*) AS n FROM ${p.from} WHERE ${where} AND ${k} ${before} ${first}`,
          COUNT_COLUMNS,
        );
        ahead = Number(n[0]?.['n'] ?? 0);
      }
      // Plain comparisons, which DuckDB pushes into the scan (zone maps, then the other columns of matches only).
      const within = `${k} ${after}= ${first} AND ${k} ${before}= ${last}`;
      return runner.all(pageAt(`${where} AND ${within}`, offset - ahead), RECORD_COLUMNS);
    };

    /**
     * A deep page of a time-sorted search: the matches are counted per time
     * slice (one pass over the time and filter columns), which gives how
     * many sort before the slice holding the offset; only the slices that
     * hold the page are then sorted. Rows of one millisecond are always in
     * one slice, so every match outside sorts wholly before or after the
     * page's. The slices' counts add up to the total.
     */
    const located = async (): Promise<{ rows: ResultRow[]; total: number }> => {
      const { fromMs, toMs } = q.range;
      const step = Math.max(1, Math.ceil((toMs - fromMs) / tuning.locateSlices));
      const b = d.ident('b');
      const slices = await runner.all(
        `SELECT ${d.bucketMs(t, step)} AS ${b}, count(*) AS ${d.ident('n')} FROM ${p.from} WHERE ${p.where} GROUP BY ${b}`,
        [{ name: 'b', kind: 'number' }, ...COUNT_COLUMNS],
      );
      const counts = slices.map((r) => ({ at: Number(r['b']), n: Number(r['n']) }));
      counts.sort((x, y) => (dir === 'DESC' ? y.at - x.at : x.at - y.at));
      const total = counts.reduce((a, c) => a + c.n, 0);
      if (offset >= total) return { rows: [], total };
      // first: the slice holding row `offset`; last: the one holding the page's last row.
      let ahead = 0;
      let first = 0;
      while (ahead + counts[first]!.n <= offset) ahead += counts[first++]!.n;
      let last = first;
      let through = ahead + counts[first]!.n;
      while (through < offset + limit! && last + 1 < counts.length) through += counts[++last]!.n;
      const [newest, oldest] =
        dir === 'DESC' ? [counts[first]!, counts[last]!] : [counts[last]!, counts[first]!];
      const slice = `${t} >= ${d.time(oldest.at)} AND ${t} < ${d.time(newest.at + step)}`;
      const rows = await runner.all(pageAt(`${p.where} AND ${slice}`, offset - ahead), RECORD_COLUMNS);
      return { rows, total };
    };

    return {
      count: `SELECT count(*) AS n FROM ${p.from} WHERE ${p.where}`,
      page,
      stepped: windowed || bounded,
      run: async () =>
        windowed ? inWindows() : bounded ? (await bounds(p.where))! : runner.all(page, RECORD_COLUMNS),
      ...(small && sortField === 'time' && !windowed ? { located } : {}),
    };
  };

  return {
    async flows(q) {
      const s = flowsSql(q, true);
      if (s.located) {
        const { rows, total } = await s.located();
        return { total, records: rows as unknown as FlowRecord[] };
      }
      const [rows, count] = await Promise.all([s.run(), runner.all(s.count, COUNT_COLUMNS)]);
      return { total: Number(count[0]?.['n'] ?? 0), records: rows as unknown as FlowRecord[] };
    },
    async *streamFlows(q) {
      const s = flowsSql(q, false);
      // A page small enough to be read in steps is one chunk; larger exports stream.
      if (s.stepped) {
        yield (await s.run()) as unknown as FlowRecord[];
        return;
      }
      for await (const rows of runner.stream(s.page, RECORD_COLUMNS)) yield rows as unknown as FlowRecord[];
    },
    async top(q) {
      const dim = dimension(q.dimension);
      const p = prepare(runner, q, { nowMs: deps.now(), groupBy: [dim] });
      return queryTop(runner, p, dim, q.metric ?? 'bytes', checkCount('limit', q.limit ?? 10, MAX_LIMIT));
    },
    async series(q) {
      const stepMs = q.stepMs ?? autoStep(q.range);
      if (!Number.isSafeInteger(stepMs) || stepMs <= 0)
        throw new QueryError('step must be a positive duration');
      if ((q.range.toMs - q.range.fromMs) / stepMs > MAX_LIMIT)
        throw new QueryError('too many buckets: use a larger step');
      const p = prepare(runner, q, { nowMs: deps.now(), stepMs });
      const t = d.bucketMs(d.ident('time'), stepMs);
      const sql = `SELECT ${t} AS ${d.ident('t')}, ${sumColumns(d, p.plan)} FROM ${p.from} WHERE ${p.where} GROUP BY ${d.ident('t')} ORDER BY ${d.ident('t')}`;
      const rows = await runner.all(sql, [{ name: 't', kind: 'number' }, ...SUM_RESULT]);
      const byT = new Map(rows.map((r) => [Number(r['t']), r]));
      const points: SeriesResult['points'] = [];
      for (let t = Math.floor(q.range.fromMs / stepMs) * stepMs; t < q.range.toMs; t += stepMs) {
        const r = byT.get(t);
        points.push({
          t,
          bytes: Number(r?.['bytes'] ?? 0),
          packets: Number(r?.['packets'] ?? 0),
          flows: Number(r?.['flows'] ?? 0),
        });
      }
      return { stepMs, table: p.plan.table, points };
    },
    report: (q) => report(runner, deps.now(), q),
    compare: (q) => compareRanges(runner, deps.now(), q),
  };
}
