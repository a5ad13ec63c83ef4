/** /api/v1/reports: group-by reports, comparisons of two ranges, and the report export (CSV/JSON, streamed). */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ReportQuery, ReportRow } from '../../query/index.ts';
import type { ApiDeps } from '../deps.ts';
import { engineOf, MAX_GROUPS, rangeOf, stepOf, type PageParams, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import {
  DIMENSION_NAMES,
  keysSchema,
  metricQuery,
  pageOf,
  pageQuery,
  rangeQuery,
  truncatedProp,
} from '../schemas.ts';
import { groupPage } from '../top-pages.ts';

type Metric = 'bytes' | 'packets' | 'flows';
interface ReportParams extends RangeParams {
  dimensions: string[];
  metric: Metric;
  step?: string;
}

const dimensionsQuery = {
  dimensions: {
    type: 'array',
    items: { type: 'string', enum: DIMENSION_NAMES },
    minItems: 1,
    maxItems: 5,
    description: 'Group by these dimensions (repeat the parameter: dimensions=srcAddr&dimensions=dstPort)',
  },
} as const;
const stepQuery = {
  step: {
    type: 'string',
    pattern: '^\\d+(ms|s|m|h|d|w)$',
    description: 'Buckets for avg and p95; automatic when absent',
  },
} as const;

const reportRowSchema = {
  type: 'object',
  required: ['keys', 'sum', 'avg', 'p95', 'count'],
  properties: {
    keys: keysSchema,
    sum: { type: 'number', description: 'Total of the metric' },
    avg: { type: 'number', description: 'Average per step bucket (empty buckets count as 0)' },
    p95: { type: 'number', description: '95th percentile of the per-bucket totals (buckets with traffic)' },
    count: { type: 'integer', description: 'Flow records' },
  },
} as const;
const compareRowSchema = {
  type: 'object',
  required: ['keys', 'a', 'b', 'delta', 'change'],
  properties: {
    keys: keysSchema,
    a: { type: 'number' },
    b: { type: 'number' },
    delta: { type: 'number', description: 'b - a' },
    change: { type: ['number', 'null'], description: 'b / a - 1; null when a is 0' },
  },
} as const;

function reportQuery(q: ReportParams, nowMs: number, limit: number): ReportQuery {
  const stepMs = stepOf(q.step);
  return {
    range: rangeOf(q, nowMs),
    filter: q.filter,
    dimensions: q.dimensions,
    metric: q.metric,
    limit,
    ...(stepMs ? { stepMs } : {}),
  };
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

async function* reportCsv(dims: readonly string[], rows: readonly ReportRow[]): AsyncGenerator<string> {
  yield `${[...dims, 'sum', 'avg', 'p95', 'count'].join(',')}\n`;
  for (let i = 0; i < rows.length; i += 1000)
    yield rows
      .slice(i, i + 1000)
      .map((r) => `${[...dims.map((d) => r.keys[d]), r.sum, r.avg, r.p95, r.count].map(csvCell).join(',')}\n`)
      .join('');
}

async function* reportJson(head: object, rows: readonly ReportRow[]): AsyncGenerator<string> {
  yield `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  for (let i = 0; i < rows.length; i += 1000)
    yield (
      (i ? ',' : '') +
      rows
        .slice(i, i + 1000)
        .map((r) => JSON.stringify(r))
        .join(',')
    );
  yield ']}\n';
}

/** Registers the routes. */
export function reportRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['reports'];
  const reportParams = { ...rangeQuery, ...dimensionsQuery, ...metricQuery, ...stepQuery };
  defineRoute<{ Querystring: ReportParams & PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/reports',
      role: 'viewer',
      tags,
      summary: 'Group-by report',
      description:
        'Per group: sum, average and p95 per step of the metric, and the flow count; largest sum first.',
      querystring: query({ ...reportParams, ...pageQuery }, ['dimensions']),
      response: {
        200: pageOf(reportRowSchema, {
          stepMs: { type: 'integer' },
          table: { type: 'string' },
          ...truncatedProp,
        }),
      },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const r = await engineOf(deps).report(reportQuery(q, deps.clock.now(), MAX_GROUPS + 1));
      const page = groupPage(r.rows.slice(0, MAX_GROUPS), r.rows.length > MAX_GROUPS, q);
      return { stepMs: r.stepMs, table: r.table, ...page };
    },
  );

  defineRoute<{ Querystring: ReportParams & { format: 'csv' | 'json'; limit: number } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/reports/export',
      role: 'viewer',
      tags,
      summary: 'Export a report (CSV or JSON, streamed)',
      querystring: query(
        {
          ...reportParams,
          format: { type: 'string', enum: ['csv', 'json'], default: 'csv' },
          limit: {
            type: 'integer',
            minimum: 1,
            maximum: 100_000,
            default: 100_000,
            description: 'Groups at most',
          },
        },
        ['dimensions'],
      ),
      response: {
        200: {
          description: 'The report',
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/json': { schema: { type: 'object', additionalProperties: true } },
          },
        },
      },
      errors: [503],
    },
    async (req, reply) => {
      const q = req.query;
      const r = await engineOf(deps).report(reportQuery(q, deps.clock.now(), q.limit));
      const body =
        q.format === 'csv'
          ? reportCsv(q.dimensions, r.rows)
          : reportJson({ stepMs: r.stepMs, table: r.table }, r.rows);
      return reply
        .type(q.format === 'csv' ? 'text/csv' : 'application/json')
        .header('content-disposition', `attachment; filename="report.${q.format}"`)
        .send(Readable.from(body));
    },
  );

  interface CompareParams {
    aFrom: string;
    aTo: string;
    bFrom: string;
    bTo: string;
    filter?: string;
    dimensions: string[];
    metric: Metric;
    limit: number;
  }
  const t = (d: string) => ({ type: 'string', description: d });
  defineRoute<{ Querystring: CompareParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/reports/compare',
      role: 'viewer',
      tags,
      summary: 'Compare two time ranges',
      description:
        'The same grouping over ranges A and B: `rows` largest in B first, `movers` largest change first.',
      querystring: query(
        {
          aFrom: t('Start of range A (time forms as `from`)'),
          aTo: t('End of range A'),
          bFrom: t('Start of range B'),
          bTo: t('End of range B'),
          filter: rangeQuery.filter,
          ...dimensionsQuery,
          ...metricQuery,
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
        },
        ['aFrom', 'aTo', 'bFrom', 'bTo', 'dimensions'],
      ),
      response: {
        200: {
          type: 'object',
          required: ['table', 'rows', 'movers'],
          properties: {
            table: { type: 'string' },
            rows: { type: 'array', items: compareRowSchema },
            movers: { type: 'array', items: compareRowSchema },
          },
        },
      },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const now = deps.clock.now();
      const a = rangeOf({ from: q.aFrom, to: q.aTo }, now, 'a');
      const b = rangeOf({ from: q.bFrom, to: q.bTo }, now, 'b');
      return engineOf(deps).compare({
        a,
        b,
        filter: q.filter,
        dimensions: q.dimensions,
        metric: q.metric,
        limit: q.limit,
      });
    },
  );
}
