/** /api/v1/about: version, data sources and their licences, the active application detector. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { defineRoute, query } from '../route.ts';

const s = { type: 'string' } as const;
const aboutSchema = {
  type: 'object',
  required: ['name', 'version', 'node', 'storageEngine', 'detector', 'dataSources'],
  properties: {
    name: s,
    version: s,
    node: s,
    storageEngine: s,
    detector: { type: 'string', description: '"builtin" or "ndpi <version>"' },
    dataSources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['provides', 'source', 'origin', 'licence', 'licenceUrl', 'notice'],
        properties: { provides: s, source: s, origin: s, licence: s, licenceUrl: s, notice: s },
      },
    },
  },
} as const;

/** Registers the route. */
export function aboutRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/about',
      role: 'viewer',
      tags: ['about'],
      summary: 'About FlowLens',
      querystring: query({}),
      response: { 200: aboutSchema },
    },
    async () => ({
      name: 'FlowLens',
      version: deps.version,
      node: process.version,
      storageEngine: deps.storageEngine,
      detector: deps.enrichment.activeDetector,
      dataSources: deps.enrichment.attributions(),
    }),
  );
}
