/** /api/v1/interfaces: traffic per exporter interface (SNMP index), in and out, with the exporter's health. */
import type { FastifyInstance } from 'fastify';
import type { QueryEngine, ReportRow, TimeRange } from '../../query/index.ts';
import type { ApiDeps } from '../deps.ts';
import { exporterHealth, exporterHealthSchema, type ExporterHealth } from '../exporter-health.ts';
import { engineOf, MAX_GROUPS, rangeOf, type PageParams, type RangeParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery, rangeQuery, truncatedProp } from '../schemas.ts';
import { groupPage } from '../top-pages.ts';

/** One interface. */
interface InterfaceTotals {
  exporter: string;
  ifIndex: number;
  inBytes: number;
  outBytes: number;
  inFlows: number;
  outFlows: number;
  /** Health of the exporter; null when the collector has not heard from it since start. */
  exporterHealth: ExporterHealth | null;
}

const interfaceSchema = {
  type: 'object',
  required: ['exporter', 'ifIndex', 'inBytes', 'outBytes', 'inFlows', 'outFlows', 'exporterHealth'],
  properties: {
    exporter: { type: 'string' },
    ifIndex: { type: 'integer' },
    inBytes: { type: 'number', description: 'Bytes of flows entering by it (inIf), scaled' },
    outBytes: { type: 'number', description: 'Bytes of flows leaving by it (outIf), scaled' },
    inFlows: { type: 'integer' },
    outFlows: { type: 'integer' },
    exporterHealth: { anyOf: [exporterHealthSchema, { type: 'null' }] },
  },
} as const;

async function side(
  engine: QueryEngine,
  range: TimeRange,
  filter: string | undefined,
  dim: 'inIf' | 'outIf',
): Promise<ReportRow[]> {
  const r = await engine.report({
    range,
    filter,
    dimensions: ['exporter', dim],
    metric: 'bytes',
    limit: MAX_GROUPS + 1,
  });
  return r.rows;
}

function merge(
  inRows: ReportRow[],
  outRows: ReportRow[],
  health: (e: string) => ExporterHealth | null,
): InterfaceTotals[] {
  const m = new Map<string, InterfaceTotals>();
  const add = (rows: ReportRow[], dim: 'inIf' | 'outIf'): void => {
    for (const r of rows) {
      const exporter = r.keys['exporter'];
      const ifIndex = r.keys[dim];
      if (typeof exporter !== 'string' || typeof ifIndex !== 'number') continue;
      const k = `${exporter}|${ifIndex}`;
      let t = m.get(k);
      if (!t)
        m.set(
          k,
          (t = {
            exporter,
            ifIndex,
            inBytes: 0,
            outBytes: 0,
            inFlows: 0,
            outFlows: 0,
            exporterHealth: health(exporter),
          }),
        );
      if (dim === 'inIf') [t.inBytes, t.inFlows] = [r.sum, r.count];
      else [t.outBytes, t.outFlows] = [r.sum, r.count];
    }
  };
  add(inRows, 'inIf');
  add(outRows, 'outIf');
  return [...m.values()].sort(
    (a, b) =>
      b.inBytes + b.outBytes - (a.inBytes + a.outBytes) ||
      a.exporter.localeCompare(b.exporter) ||
      a.ifIndex - b.ifIndex,
  );
}

/** Registers the route. */
export function interfaceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute<{ Querystring: RangeParams & PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/interfaces',
      role: 'viewer',
      tags: ['collector'],
      summary: 'Interfaces and their traffic',
      description:
        'Per exporter and SNMP interface index: bytes and flows in (inIf) and out (outIf), busiest first.',
      querystring: query({ ...rangeQuery, ...pageQuery }),
      response: { 200: pageOf(interfaceSchema, truncatedProp) },
      errors: [503],
    },
    async (req) => {
      const q = req.query;
      const engine = engineOf(deps);
      const range = rangeOf(q, deps.clock.now());
      const [inRows, outRows] = await Promise.all([
        side(engine, range, q.filter, 'inIf'),
        side(engine, range, q.filter, 'outIf'),
      ]);
      const now = deps.clock.now();
      const byExporter = new Map(deps.exporters().map((e) => [e.exporter, exporterHealth(e, now)]));
      const truncated = inRows.length > MAX_GROUPS || outRows.length > MAX_GROUPS;
      const all = merge(
        inRows.slice(0, MAX_GROUPS),
        outRows.slice(0, MAX_GROUPS),
        (e) => byExporter.get(e) ?? null,
      );
      return groupPage(all, truncated, q);
    },
  );
}
