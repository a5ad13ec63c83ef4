/**
 * JSON Schema (draft 2020-12 / OpenAPI 3.1 compatible) of the stats snapshot,
 * for the route's response schema and the OpenAPI document. Kept beside the
 * types in views.ts; test/live checks a real snapshot against it.
 */

const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;

const obj = (properties: Record<string, unknown>, optional: string[] = []) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});

const topEntry = obj({ key: str, label: str, bytes: num, packets: num, flows: num, bps: num }, ['label']);

/** JSON Schema of StatsSnapshot (GET /api/v1/stats). */
export const statsSnapshotJsonSchema = obj({
  atMs: int,
  window: { type: 'string', enum: ['1m', '5m', '15m'] },
  totals: obj({ bytes: num, packets: num, flows: num }),
  throughput: obj({
    atMs: int,
    bps: num,
    pps: num,
    fps: num,
    inBps: num,
    outBps: num,
    inPps: num,
    outPps: num,
    series: {
      type: 'array',
      items: obj({ t: int, bps: num, pps: num, fps: num, inBps: num, outBps: num, inPps: num, outPps: num }),
    },
    exporters: {
      type: 'array',
      items: obj({
        exporter: str,
        bps: num,
        pps: num,
        fps: num,
        bytes: num,
        packets: num,
        flows: num,
        lastSeenMs: int,
      }),
    },
    interfaces: {
      type: 'array',
      items: obj({
        exporter: str,
        ifIndex: int,
        inBps: num,
        outBps: num,
        inPps: num,
        outPps: num,
        lastSeenMs: int,
      }),
    },
  }),
  activeFlows: num,
  activeHosts: int,
  clients: obj({ total: int, online: int }),
  top: obj(
    Object.fromEntries(
      ['talkers', 'protocols', 'applications', 'categories', 'as', 'countries'].map((k) => [
        k,
        { type: 'array', items: topEntry },
      ]),
    ),
  ),
});
