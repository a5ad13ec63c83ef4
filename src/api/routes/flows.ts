/** /api/v1/flows: flow search, one flow by id, and the streamed export. */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseFilter, type FlowsQuery, type QueryEngine } from '../../query/index.ts';
import { csvHeader, formatRecordLine } from '../../schema/record-format.ts';
import type { FlowRecord } from '../../schema/flow-record.ts';
import { FIELDS } from '../../schema/fields.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { findFlow, flowId, parseFlowId } from '../flow-id.ts';
import { engineOf, rangeOf, type PageParams, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery, rangeQuery, ref } from '../schemas.ts';

const SORT_FIELDS = [
  'time',
  ...FIELDS.filter((f) => f.kind !== 'u32list' && f.kind !== 'json').map((f) => f.name),
];
const sortQuery = {
  sort: { type: 'string', enum: SORT_FIELDS, default: 'time', description: 'Field to sort by' },
  order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
} as const;

interface SortParams {
  sort: string;
  order: 'asc' | 'desc';
}
type SearchParams = RangeParams & PageParams & SortParams;
interface ExportParams extends RangeParams, SortParams {
  format: 'jsonl' | 'csv' | 'json';
  limit?: number;
}

const EXPORT_TYPES = { jsonl: 'application/x-ndjson', csv: 'text/csv', json: 'application/json' } as const;
const EXPORT_MAX = 10_000_000;

function searchOf(q: RangeParams & SortParams, nowMs: number): FlowsQuery {
  return {
    range: rangeOf(q, nowMs),
    filter: q.filter,
    sort: { field: q.sort, asc: q.order === 'asc' },
  };
}

const withId = (r: FlowRecord): FlowRecord & { id: string } => ({ id: flowId(r), ...r });

/** Text chunks of an export; the first chunk is read before the answer starts, so errors are still 4xx. */
async function* exportChunks(
  engine: QueryEngine,
  q: FlowsQuery,
  format: ExportParams['format'],
): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  if (format === 'json') yield '[';
  let first = true;
  for await (const rows of engine.streamFlows(q)) {
    if (format === 'json') {
      const text = rows.map((r) => JSON.stringify(withId(r))).join(',');
      if (text) yield (first ? '' : ',') + text;
      first &&= text === '';
    } else yield rows.map((r) => formatRecordLine(r, format)).join('');
  }
  if (format === 'json') yield ']\n';
}

/** Registers the routes. */
export function flowRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['flows'];
  defineRoute<{ Querystring: SearchParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/flows',
      role: 'viewer',
      tags,
      summary: 'Search flows',
      description: 'Stored flows matching a filter in a time range, newest first unless sorted otherwise.',
      querystring: query({ ...rangeQuery, ...sortQuery, ...pageQuery }),
      response: { 200: pageOf(ref('FlowRecord')) },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const res = await engineOf(deps).flows({
        ...searchOf(q, deps.clock.now()),
        limit: q.limit,
        offset: q.offset,
      });
      return { total: res.total, limit: q.limit, offset: q.offset, items: res.records.map(withId) };
    },
  );

  defineRoute<{ Querystring: ExportParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/flows/export',
      role: 'viewer',
      tags,
      summary: 'Export flows (streamed)',
      description: 'Every matching flow as JSON Lines, CSV or a JSON array, streamed as the store reads it.',
      querystring: query({
        ...rangeQuery,
        ...sortQuery,
        format: { type: 'string', enum: ['jsonl', 'csv', 'json'], default: 'jsonl' },
        limit: { type: 'integer', minimum: 1, maximum: EXPORT_MAX, description: 'At most this many flows' },
      }),
      response: {
        200: {
          description: 'The flows',
          content: {
            'application/x-ndjson': { schema: { type: 'string' } },
            'text/csv': { schema: { type: 'string' } },
            'application/json': { schema: { type: 'array', items: ref('FlowRecord') } },
          },
        },
      },
      errors: [503],
    },
    async (req, reply) => {
      const q = req.query;
      // A bad filter is a 400 before anything is sent.
      parseFilter(q.filter ?? '');
      const fq = { ...searchOf(q, deps.clock.now()), ...(q.limit ? { limit: q.limit } : {}) };
      const it = exportChunks(engineOf(deps), fq, q.format);
      const head = await it.next();
      async function* all(): AsyncGenerator<string> {
        if (!head.done) yield head.value;
        yield* it;
      }
      return reply
        .type(EXPORT_TYPES[q.format])
        .header('content-disposition', `attachment; filename="flows.${q.format}"`)
        .send(Readable.from(all()));
    },
  );

  defineRoute<{ Params: { id: string } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/flows/:id',
      role: 'viewer',
      tags,
      summary: 'One flow by id',
      description: 'Ids are opaque tokens (time, exporter and a hash of the record); see docs/api.md.',
      params: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', minLength: 1, maxLength: 400 } },
      },
      response: { 200: ref('FlowRecord') },
      errors: [404, 503],
    },
    async (req) => {
      const loc = parseFlowId(req.params.id);
      if (!loc)
        throw new ApiError(400, 'FLOWLENS_ERR_VALIDATION', 'path parameter "id" is not a flow id', 'id');
      const now = deps.clock.now();
      const r = await findFlow(engineOf(deps), loc, { fromMs: 0, toMs: now + 1 });
      if (!r)
        throw new ApiError(
          404,
          'FLOWLENS_ERR_FLOW_NOT_FOUND',
          `no flow ${req.params.id} (it may have aged out)`,
        );
      return withId(r);
    },
  );
}
