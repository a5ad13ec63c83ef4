/** /api/v1/series: traffic per time bucket. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { DEFAULT_LOCAL_NETWORKS } from '../../live/index.ts';
import { engineOf, rangeOf, stepOf, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { rangeQuery } from '../schemas.ts';

const seriesSchema = {
  type: 'object',
  required: ['stepMs', 'points'],
  properties: {
    stepMs: { type: 'integer' },
    table: { type: 'string', description: 'Table that answered (flows, flows_1m, flows_1h)' },
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['t', 'bytes', 'packets', 'flows'],
        properties: {
          t: { type: 'integer', description: 'Bucket start, epoch ms' },
          bytes: { type: 'number' },
          packets: { type: 'number' },
          flows: { type: 'integer' },
        },
      },
    },
  },
} as const;

/**
 * The filter of one direction across the edge of the local networks: "in"
 * enters them from outside, "out" leaves them (as the live view splits it).
 */
export function directionFilter(direction: 'in' | 'out', localNetworks: readonly string[]): string {
  const set = `(${localNetworks.join(', ')})`;
  const [inside, outside] = direction === 'in' ? ['dst', 'src'] : ['src', 'dst'];
  return `${inside} in ${set} and not ${outside} in ${set}`;
}

/** Registers the route. */
export function seriesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const local = deps.localNetworks ?? DEFAULT_LOCAL_NETWORKS;
  defineRoute<{ Querystring: RangeParams & { step?: string; direction?: 'in' | 'out' } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/series',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Time series',
      description:
        'Bytes, packets and flows per bucket; every bucket of the range is present (zeros included).',
      querystring: query({
        ...rangeQuery,
        step: {
          type: 'string',
          pattern: '^\\d+(ms|s|m|h|d|w)$',
          description: 'Bucket width ("5m"); automatic when absent',
        },
        direction: {
          type: 'string',
          enum: ['in', 'out'],
          description:
            'Only traffic entering the local networks (live.localNetworks) from outside ("in") or leaving them ("out")',
        },
      }),
      response: { 200: seriesSchema },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const stepMs = stepOf(q.step);
      const dir = q.direction ? directionFilter(q.direction, local) : undefined;
      const filter = dir && q.filter?.trim() ? `(${q.filter}) and ${dir}` : (dir ?? q.filter);
      return engineOf(deps).series({
        range: rangeOf(q, deps.clock.now()),
        filter,
        ...(stepMs ? { stepMs } : {}),
      });
    },
  );
}
