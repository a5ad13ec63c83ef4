/**
 * /api/v1/geo: where hosts are. The busiest hosts of a range with their
 * GeoIP coordinates (for the map's markers), and one address's location.
 * Coordinates come from the geo database (enrich.geo), not from the store.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressGeo } from '../../enrich/index.ts';
import type { TopRow } from '../../query/index.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { engineOf, rangeOf, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { rangeQuery } from '../schemas.ts';

/** Geo lookups as the API uses them (the composition root loads the database on first use). */
export interface GeoPort {
  /** The location of each address, in order; undefined when nothing is known. */
  locate(addrs: readonly string[]): Promise<(AddressGeo | undefined)[]>;
}

/** Addresses ranked per side before locating (private ones have no coordinates). */
const SCAN_FACTOR = 4;

const geoProps = {
  country: { type: 'string', description: 'ISO 3166 alpha-2' },
  city: { type: 'string' },
  latitude: { type: 'number' },
  longitude: { type: 'number' },
  asn: { type: 'integer' },
  asName: { type: 'string' },
  special: { type: 'string', description: 'Private or special range (then nothing else is known)' },
} as const;

const locatedHostSchema = {
  type: 'object',
  required: ['addr', 'bytes', 'packets', 'flows', 'latitude', 'longitude'],
  properties: {
    addr: { type: 'string' },
    bytes: { type: 'number' },
    packets: { type: 'number' },
    flows: { type: 'integer' },
    ...geoProps,
  },
} as const;

const geoOf = (deps: ApiDeps): GeoPort => {
  if (!deps.geo)
    throw new ApiError(503, 'FLOWLENS_ERR_GEO_UNAVAILABLE', 'geo lookups are switched off (enrich.geo)');
  return deps.geo;
};

interface HostSums {
  addr: string;
  bytes: number;
  packets: number;
  flows: number;
}

/** Both sides' rows, summed per address, busiest first. */
function mergeSides(src: readonly TopRow[], dst: readonly TopRow[]): HostSums[] {
  const m = new Map<string, HostSums>();
  for (const r of [...src, ...dst]) {
    if (typeof r.key !== 'string') continue;
    const h = m.get(r.key);
    if (h) {
      h.bytes += r.bytes;
      h.packets += r.packets;
      h.flows += r.flows;
    } else m.set(r.key, { addr: r.key, bytes: r.bytes, packets: r.packets, flows: r.flows });
  }
  return [...m.values()].sort((a, b) => b.bytes - a.bytes || a.addr.localeCompare(b.addr));
}

/** Registers the routes. */
export function geoRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: RangeParams & { limit: number } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/geo/hosts',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Hosts located',
      description:
        'The busiest addresses of the range (as source or destination) that the geo database places, with their coordinates, city and country; private addresses have none and are left out.',
      querystring: query({
        ...rangeQuery,
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200, description: 'Located hosts' },
      }),
      response: {
        200: {
          type: 'object',
          required: ['items', 'scanned'],
          properties: {
            scanned: { type: 'integer', description: 'Addresses looked up' },
            items: { type: 'array', items: locatedHostSchema },
          },
        },
      },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const geo = geoOf(deps);
      const engine = engineOf(deps);
      const base = { range: rangeOf(q, deps.clock.now()), filter: q.filter, metric: 'bytes' as const };
      const limit = q.limit * SCAN_FACTOR;
      const [src, dst] = await Promise.all([
        engine.top({ ...base, dimension: 'srcAddr', limit }),
        engine.top({ ...base, dimension: 'dstAddr', limit }),
      ]);
      const hosts = mergeSides(src, dst);
      const where = await geo.locate(hosts.map((h) => h.addr));
      const items = [];
      for (const [i, h] of hosts.entries()) {
        const g = where[i];
        if (g?.latitude === undefined || g.longitude === undefined) continue;
        items.push({ ...h, ...g });
        if (items.length >= q.limit) break;
      }
      return { scanned: hosts.length, items };
    },
  );

  defineRoute<{ Querystring: { addr: string } }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/geo/address',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Where an address is',
      description: 'Country, city, coordinates and AS of one address, as far as the geo database knows.',
      querystring: query(
        {
          addr: {
            type: 'string',
            minLength: 2,
            maxLength: 45,
            pattern: '^[0-9A-Fa-f.:]+$',
            description: 'IPv4 or IPv6 address',
          },
        },
        ['addr'],
      ),
      response: {
        200: { type: 'object', required: ['addr'], properties: { addr: { type: 'string' }, ...geoProps } },
      },
      errors: [503],
    },
    async (req) => {
      const [g] = await geoOf(deps).locate([req.query.addr]);
      return { addr: req.query.addr, ...g };
    },
  );
}
