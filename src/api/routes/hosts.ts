/** /api/v1/hosts: per-address totals, sent and received, from history. */
import type { FastifyInstance } from 'fastify';
import type { TopRow } from '../../query/index.ts';
import type { ApiDeps } from '../deps.ts';
import { engineOf, rangeOf, type PageParams, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery, rangeQuery, truncatedProp } from '../schemas.ts';
import { allGroups, groupPage } from '../top-pages.ts';

interface Totals {
  bytes: number;
  packets: number;
  flows: number;
}

/** One host: what it sent (as source), received (as destination), and both. */
export interface HostTotals extends Totals {
  host: string;
  sent: Totals;
  received: Totals;
}

const totalsSchema = {
  type: 'object',
  required: ['bytes', 'packets', 'flows'],
  properties: { bytes: { type: 'number' }, packets: { type: 'number' }, flows: { type: 'integer' } },
} as const;

const hostSchema = {
  type: 'object',
  required: ['host', 'bytes', 'packets', 'flows', 'sent', 'received'],
  properties: {
    host: { type: 'string' },
    ...totalsSchema.properties,
    sent: totalsSchema,
    received: totalsSchema,
  },
} as const;

const zero = (): Totals => ({ bytes: 0, packets: 0, flows: 0 });

function merge(sent: readonly TopRow[], received: readonly TopRow[]): HostTotals[] {
  const hosts = new Map<string, HostTotals>();
  const add = (rows: readonly TopRow[], side: 'sent' | 'received'): void => {
    for (const r of rows) {
      if (typeof r.key !== 'string') continue;
      let h = hosts.get(r.key);
      if (!h) hosts.set(r.key, (h = { host: r.key, ...zero(), sent: zero(), received: zero() }));
      h[side] = { bytes: r.bytes, packets: r.packets, flows: r.flows };
      h.bytes += r.bytes;
      h.packets += r.packets;
      h.flows += r.flows;
    }
  };
  add(sent, 'sent');
  add(received, 'received');
  return [...hosts.values()].sort((a, b) => b.bytes - a.bytes || a.host.localeCompare(b.host));
}

/** Registers the route. */
export function hostRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: RangeParams & PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/hosts',
      role: 'viewer',
      tags: ['traffic'],
      summary: 'Hosts and their totals',
      description: 'Every address seen in the range with the traffic it sent and received, largest first.',
      querystring: query({ ...rangeQuery, ...pageQuery }),
      response: { 200: pageOf(hostSchema, truncatedProp) },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const engine = engineOf(deps);
      const base = { range: rangeOf(q, deps.clock.now()), filter: q.filter, metric: 'bytes' as const };
      const [src, dst] = await Promise.all([
        allGroups(engine, { ...base, dimension: 'srcAddr' }),
        allGroups(engine, { ...base, dimension: 'dstAddr' }),
      ]);
      return groupPage(merge(src.rows, dst.rows), src.truncated || dst.truncated, q);
    },
  );
}
