/**
 * /api/v1/filter/values: the values a filter name takes in a range, busiest
 * first, for completion in the filter input (`app ` -> the applications seen).
 */
import type { FastifyInstance } from 'fastify';
import { PROTOCOL_NUMBERS, resolveFilterName, type TopRow } from '../../query/index.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { engineOf, rangeOf, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { rangeQuery } from '../schemas.ts';

interface Params extends RangeParams {
  name: string;
  prefix?: string;
  limit: number;
}

/** One value as the filter language takes it, with its traffic. */
export interface FilterValue {
  value: string;
  /** What the value stands for, when it is a code (protocol numbers). */
  label?: string;
  bytes: number;
  flows: number;
}

/** Groups scanned per field before the prefix is applied. */
const SCAN_GROUPS = 500;

const PROTOCOL_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(PROTOCOL_NUMBERS))
  if (!PROTOCOL_NAMES.has(n)) PROTOCOL_NAMES.set(n, name);

const valueSchema = {
  type: 'object',
  required: ['value', 'bytes', 'flows'],
  properties: {
    value: { type: 'string', description: 'The value as a filter takes it' },
    label: { type: 'string' },
    bytes: { type: 'number' },
    flows: { type: 'integer' },
  },
} as const;

/** Adds a field's groups to the values by text (a name over both sides adds them up). */
function addRows(into: Map<string, FilterValue>, rows: readonly TopRow[], proto: boolean): void {
  for (const r of rows) {
    if (r.key === null || r.key === '') continue;
    const name = proto && typeof r.key === 'number' ? PROTOCOL_NAMES.get(r.key) : undefined;
    const value = name ?? String(r.key);
    const v = into.get(value);
    if (v) {
      v.bytes += r.bytes;
      v.flows += r.flows;
    } else
      into.set(value, {
        value,
        ...(proto && name === undefined ? { label: `protocol ${value}` } : {}),
        bytes: r.bytes,
        flows: r.flows,
      });
  }
}

/** Registers the route. */
export function filterValueRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: Params }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/filter/values',
      role: 'viewer',
      tags: ['flows'],
      summary: 'Values of a filter name',
      description:
        'The values a filter name (`app`, `country`, `proto`, `exporter`, `srcAddr`, ...) takes in the range, by traffic, optionally starting with `prefix` (case-insensitive): what the filter input completes.',
      querystring: query(
        {
          ...rangeQuery,
          name: { type: 'string', minLength: 1, maxLength: 64, description: 'A filter name or alias' },
          prefix: { type: 'string', maxLength: 256, description: 'Only values starting with this' },
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        },
        ['name'],
      ),
      response: {
        200: {
          type: 'object',
          required: ['name', 'items'],
          properties: { name: { type: 'string' }, items: { type: 'array', items: valueSchema } },
        },
      },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const fields = resolveFilterName(q.name)?.filter((f) => f.dimension);
      if (!fields?.length)
        throw new ApiError(
          400,
          'FLOWLENS_ERR_VALIDATION',
          `query parameter "name": "${q.name}" is not a filter name`,
          'name',
        );
      const engine = engineOf(deps);
      const range = rangeOf(q, deps.clock.now());
      const groups = await Promise.all(
        fields.map((f) =>
          engine.top({ range, filter: q.filter, dimension: f.name, metric: 'bytes', limit: SCAN_GROUPS }),
        ),
      );
      const values = new Map<string, FilterValue>();
      for (const [i, rows] of groups.entries()) addRows(values, rows, fields[i]!.name === 'proto');
      const prefix = (q.prefix ?? '').toLowerCase();
      const items = [...values.values()]
        .filter((v) => v.value.toLowerCase().startsWith(prefix))
        .sort((a, b) => b.bytes - a.bytes || a.value.localeCompare(b.value))
        .slice(0, q.limit);
      return { name: q.name, items };
    },
  );
}
