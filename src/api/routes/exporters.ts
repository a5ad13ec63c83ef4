/** /api/v1/exporters: the devices sending flows, their counters and health. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { exporterHealth, exporterHealthSchema } from '../exporter-health.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery } from '../schemas.ts';

const exporterSchema = {
  type: 'object',
  required: [
    'exporter',
    'types',
    'datagrams',
    'records',
    'lostRecords',
    'lostDatagrams',
    'templateMisses',
    'errors',
    'lastSeenMs',
    'health',
  ],
  properties: {
    exporter: { type: 'string' },
    types: { type: 'array', items: { type: 'string' } },
    datagrams: { type: 'integer' },
    records: { type: 'integer' },
    lostRecords: { type: 'integer' },
    lostDatagrams: { type: 'integer' },
    templateMisses: { type: 'integer' },
    errors: {
      type: 'object',
      additionalProperties: { type: 'integer' },
      description: 'Decode errors by kind',
    },
    lastSeenMs: { type: 'integer' },
    health: exporterHealthSchema,
  },
} as const;

/** Registers the route. */
export function exporterRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/exporters',
      role: 'viewer',
      tags: ['collector'],
      summary: 'Exporters and their health',
      description: 'Counters since the service started, busiest first. Health: docs/api.md.',
      querystring: query({ ...pageQuery }),
      response: { 200: pageOf(exporterSchema) },
    },
    async (req) => {
      const now = deps.clock.now();
      const all = deps.exporters().map((e) => ({ ...e, health: exporterHealth(e, now) }));
      return pageList(all, req.query);
    },
  );
}
