/** /api/v1/top-talkers: the addresses that moved the most traffic in a range; /api/v1/top: any dimension. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { engineOf, rangeOf, type PageParams, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import {
  DIMENSION_NAMES,
  metricQuery,
  pageOf,
  pageQuery,
  rangeQuery,
  ref,
  truncatedProp,
} from '../schemas.ts';
import { topPage } from '../top-pages.ts';

interface Params extends RangeParams, PageParams {
  direction: 'src' | 'dst';
  metric: 'bytes' | 'packets' | 'flows';
}

interface TopParams extends RangeParams, PageParams {
  dimension: string;
  metric: 'bytes' | 'packets' | 'flows';
}

/** Registers the routes. */
export function topTalkerRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: Params }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/top-talkers',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Top talkers',
      description:
        'Source (or destination) addresses by traffic, largest first; sums scaled by the sampling rate.',
      querystring: query({
        ...rangeQuery,
        direction: {
          type: 'string',
          enum: ['src', 'dst'],
          default: 'src',
          description: 'Rank sources or destinations',
        },
        ...metricQuery,
        ...pageQuery,
      }),
      response: { 200: pageOf(ref('TopRow'), truncatedProp) },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const dimension = q.direction === 'src' ? 'srcAddr' : 'dstAddr';
      const range = rangeOf(q, deps.clock.now());
      return topPage(engineOf(deps), { range, filter: q.filter, dimension, metric: q.metric }, q);
    },
  );

  defineRoute<{ Querystring: TopParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/top',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Top-N of a dimension',
      description:
        'Values of any flow dimension (dstPort, appProto, srcAs, exporter, ...) by traffic, largest first; sums scaled by the sampling rate. What `flowlens query top` asks a running server.',
      querystring: query(
        {
          ...rangeQuery,
          dimension: { type: 'string', enum: DIMENSION_NAMES, description: 'The dimension to rank' },
          ...metricQuery,
          ...pageQuery,
        },
        ['dimension'],
      ),
      response: { 200: pageOf(ref('TopRow'), truncatedProp) },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const range = rangeOf(q, deps.clock.now());
      return topPage(
        engineOf(deps),
        { range, filter: q.filter, dimension: q.dimension, metric: q.metric },
        q,
      );
    },
  );
}
