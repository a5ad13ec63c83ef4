/** /api/v1/protocols: traffic by IP protocol, application or application category. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { engineOf, rangeOf, type PageParams, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { metricQuery, pageOf, pageQuery, rangeQuery, ref, truncatedProp } from '../schemas.ts';
import { topPage } from '../top-pages.ts';

interface Params extends RangeParams, PageParams {
  by: 'proto' | 'appProto' | 'appCategory';
  metric: 'bytes' | 'packets' | 'flows';
}

/** Registers the route. */
export function protocolRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: Params }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/protocols',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Top protocols and applications',
      description:
        '`by=proto`: IANA protocol numbers; `appProto`: applications; `appCategory`: their categories.',
      querystring: query({
        ...rangeQuery,
        by: { type: 'string', enum: ['proto', 'appProto', 'appCategory'], default: 'appProto' },
        ...metricQuery,
        ...pageQuery,
      }),
      response: { 200: pageOf(ref('TopRow'), truncatedProp) },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const range = rangeOf(q, deps.clock.now());
      return topPage(engineOf(deps), { range, filter: q.filter, dimension: q.by, metric: q.metric }, q);
    },
  );
}
