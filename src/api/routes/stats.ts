/** /api/v1/stats: the live state's snapshot (src/live): rates, totals and top lists of the last minutes. */
import type { FastifyInstance } from 'fastify';
import { statsSnapshotJsonSchema, WINDOW_SECONDS, type TopWindow } from '../../live/index.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { defineRoute, query } from '../route.ts';

/** Registers the route. */
export function statsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: { window: TopWindow; limit: number } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/stats',
      role: 'viewer',
      tags: ['live'],
      summary: 'Live statistics',
      description: 'Throughput, totals, active flows and hosts, and top lists over the last `window`.',
      querystring: query({
        window: {
          type: 'string',
          enum: Object.keys(WINDOW_SECONDS),
          default: '1m',
          description: 'Window of the totals and top lists',
        },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          default: 10,
          description: 'Entries per top list',
        },
      }),
      response: { 200: statsSnapshotJsonSchema },
      errors: [503],
    },
    async (req) => {
      if (!deps.stats)
        throw new ApiError(503, 'FLOWLENS_ERR_LIVE_UNAVAILABLE', 'live statistics are not available yet');
      return deps.stats(req.query);
    },
  );
}
