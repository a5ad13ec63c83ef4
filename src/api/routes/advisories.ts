/** /api/v1/advisories: what FlowLens advises looking at. Empty until the alerts issue lands; the shape is fixed now. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery } from '../schemas.ts';

const advisorySchema = {
  type: 'object',
  required: ['id', 'severity', 'title', 'detail', 'firstSeenMs', 'lastSeenMs'],
  properties: {
    id: { type: 'string' },
    severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
    title: { type: 'string' },
    detail: { type: 'string' },
    firstSeenMs: { type: 'integer' },
    lastSeenMs: { type: 'integer' },
  },
} as const;

/** Registers the route. */
export function advisoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/advisories',
      role: 'viewer',
      tags: ['advisories'],
      summary: 'Advisories',
      description: 'Always empty for now: alert checks come with their own issue.',
      querystring: query({ ...pageQuery }),
      response: { 200: pageOf(advisorySchema) },
    },
    async (req) => pageList([], req.query),
  );
}
