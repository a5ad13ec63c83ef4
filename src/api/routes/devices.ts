/** /api/v1/devices: the device inventory. Not yet: discovery comes with the devices issue. */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery } from '../schemas.ts';

const deviceSchema = {
  type: 'object',
  required: ['ip'],
  properties: {
    ip: { type: 'string' },
    mac: { type: 'string' },
    name: { type: 'string' },
    manufacturer: { type: 'string' },
    deviceType: { type: 'string' },
    lastSeenMs: { type: 'integer' },
  },
} as const;

/** What the answer says while there is no discovery. */
export const DEVICES_NOTE = 'device discovery is not available yet: this list stays empty until it is';

/** Registers the route. */
export function deviceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/devices',
      role: 'viewer',
      tags: ['devices'],
      summary: 'Devices (not yet)',
      querystring: query({ ...pageQuery }),
      response: { 200: pageOf(deviceSchema, { note: { type: 'string' } }) },
    },
    async (req) => ({ ...pageList([], req.query), note: DEVICES_NOTE }),
  );
}
