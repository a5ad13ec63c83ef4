/**
 * Flow searches on every engine, on a store whose DuckDB copy has rows in
 * both raw tables (ADR 0006: flows with MAC addresses go to `flows_wide`,
 * the others to `flows_core`): every page of every sort, paged through with
 * small thresholds so that every path is taken (time windows, pages bounded
 * by the sort column's values, deep time-sorted pages located by slice
 * counts, the page query as it is), equals the same page of one plain query
 * over `flows`, and the pages concatenate to the whole ordered result.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryEngine, type FlowsQuery, type QueryEngine } from '../../src/query/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { HOUR, T0 } from './dataset.ts';
import { ENGINES, type LoadedEngine } from './engines.ts';

const N = 1200;
const PORTS = [443, 80, 53] as const;

/**
 * Three flows a time (ties on the sort key), a few IPv6 sources, ICMP ones without ports
 * (NULLs), countries on four in five, runs of 50 with MACs (and half of those with reverse bytes: a
 * numeric column only wide rows have).
 */
function flow(i: number): FlowRecord {
  const icmp = i % 11 === 0;
  const r: FlowRecord = {
    type: 'netflow9',
    exporter: '192.0.2.1',
    end: T0 + Math.floor(i / 3) * 27_000,
    srcAddr: i % 97 === 0 ? `2001:db8::${i.toString(16)}` : `10.0.${i % 4}.${i % 250}`,
    dstAddr: `192.168.${i % 3}.1`,
    proto: icmp ? 1 : PORTS[i % 3] === 53 ? 17 : 6,
    bytes: 100 * (1 + (i % 7)),
    packets: 1 + (i % 5),
  };
  if (i % 5 !== 0) r.srcCountry = ['FR', 'DE', 'NL', 'SE'][i % 4]!;
  if (!icmp) {
    r.srcPort = 1000 + ((i * 37) % 500);
    r.dstPort = PORTS[i % 3]!;
  }
  if (Math.floor(i / 50) % 4 === 1) {
    r.srcMac = `02:00:00:00:00:${(i % 3).toString(16).padStart(2, '0')}`;
    r.dstMac = '02:00:00:00:01:00';
    if (i % 2 === 0) r.reverseBytes = (i * 13) % 900;
  }
  return r;
}

const FLOWS = Array.from({ length: N }, (_, i) => flow(i));
const WIDE = FLOWS.filter((r) => r.srcMac !== undefined);
const CORE = FLOWS.filter((r) => r.srcMac === undefined);
/** Narrow and wide flows in flushes of their own, so each lands in its raw table. */
const FLUSHES = [CORE.slice(0, 400), WIDE, CORE.slice(400)];
const NOW = T0 + 4 * HOUR;
/** One hour past the data, so the newest windows are empty. */
const RANGE = { fromMs: T0, toMs: T0 + 4 * HOUR };

const SORTS: FlowsQuery['sort'][] = [
  undefined,
  { field: 'time', asc: true },
  { field: 'bytes' },
  { field: 'bytes', asc: true },
  { field: 'srcPort', asc: true },
  { field: 'srcPort' },
  { field: 'srcMac' },
  { field: 'srcMac', asc: true },
  { field: 'dstAddr', asc: true },
  { field: 'srcAddr' },
  { field: 'reverseBytes' },
  { field: 'reverseBytes', asc: true },
  { field: 'srcCountry' },
  { field: 'srcCountry', asc: true },
];
const FILTERS = [undefined, 'proto tcp', 'src 10.0.1.0/24 or proto icmp', 'mac 02:00:00:00:00:01'];

/** Default thresholds; small ones (windows and bounds for the first pages only); none (located pages of few slices). */
const TUNINGS = [
  {},
  { maxWindowedRows: 20, maxBoundedRows: 150, locateSlices: 64 },
  { maxWindowedRows: 0, maxBoundedRows: 0, locateSlices: 3 },
];

for (const engine of ENGINES) {
  describe(
    `flow search on ${engine.name}, narrow and wide rows`,
    { skip: engine.skipReason ?? false },
    () => {
      let loaded: LoadedEngine | undefined;
      let plain: QueryEngine;
      before(async () => {
        loaded = await engine.load(FLOWS, NOW, FLUSHES);
        assert.ok(loaded, `${engine.name} did not load`);
        plain = createQueryEngine({ runner: loaded.runner, now: () => NOW, plainSearch: true });
      });
      after(async () => loaded?.close());

      test('the store holds both kinds of rows', async (t) => {
        const all = await plain.flows({ range: RANGE, limit: N });
        assert.equal(all.total, N);
        if (engine.name !== 'duckdb') return t.skip('one raw table');
        const n = async (table: string): Promise<number> =>
          Number(
            (
              await loaded!.runner.all(`SELECT count(*) AS n FROM ${table}`, [{ name: 'n', kind: 'number' }])
            )[0]!['n'],
          );
        assert.equal(await n('flows_core'), CORE.length);
        assert.equal(await n('flows_wide'), WIDE.length);
      });

      test('every page equals the plain query, and the pages concatenate to the whole result', async () => {
        for (const [i, tuning] of TUNINGS.entries()) {
          const q = createQueryEngine({ runner: loaded!.runner, now: () => NOW, searchTuning: tuning });
          for (const sort of SORTS) {
            // Every filter with the default thresholds, two with the others (the time the suite takes).
            for (const filter of i === 0 ? FILTERS : FILTERS.slice(1, 3)) {
              const what = `sort ${JSON.stringify(sort)}, filter ${filter}, tuning ${JSON.stringify(tuning)}`;
              const base = { range: RANGE, ...(filter ? { filter } : {}), ...(sort ? { sort } : {}) };
              const whole = await plain.flows({ ...base, limit: N });
              assert.ok(whole.total > 0, what);
              assert.equal(whole.records.length, whole.total, what);
              const limit = 97;
              const got: FlowRecord[] = [];
              for (let offset = 0; offset < whole.total + limit; offset += limit) {
                const page = await q.flows({ ...base, limit, offset });
                assert.equal(page.total, whole.total, `${what}, offset ${offset}`);
                assert.deepEqual(
                  page.records,
                  whole.records.slice(offset, offset + limit),
                  `${what}, offset ${offset}`,
                );
                got.push(...page.records);
              }
              assert.deepEqual(got, whole.records, what);
            }
          }
        }
      });

      test('pages of one row, and offsets around every slice edge, time-sorted', async () => {
        const q = createQueryEngine({
          runner: loaded!.runner,
          now: () => NOW,
          searchTuning: { maxWindowedRows: 0, locateSlices: 40 },
        });
        for (const asc of [false, true]) {
          const base = { range: RANGE, sort: { field: 'time', asc } };
          const whole = await plain.flows({ ...base, limit: N });
          for (let offset = 0; offset < N + 2; offset += 13) {
            const page = await q.flows({ ...base, limit: 1, offset });
            assert.deepEqual(
              page.records,
              whole.records.slice(offset, offset + 1),
              `asc ${asc}, offset ${offset}`,
            );
            assert.equal(page.total, N);
          }
        }
        // A range whose slices are shorter than a millisecond apart: one millisecond each.
        const short = { fromMs: T0, toMs: T0 + 27_001 };
        const page = await q.flows({ range: short, limit: 2, offset: 1 });
        const ref = await plain.flows({ range: short, limit: 6 });
        assert.equal(ref.total, 6);
        assert.deepEqual(page.records, ref.records.slice(1, 3));
      });

      test('streamed pages take the same paths', async () => {
        const q = createQueryEngine({
          runner: loaded!.runner,
          now: () => NOW,
          searchTuning: { maxWindowedRows: 20, maxBoundedRows: 500 },
        });
        for (const sort of SORTS) {
          const base = { range: RANGE, ...(sort ? { sort } : {}) };
          const whole = await plain.flows({ ...base, limit: N });
          for (const limit of [10, 300, 1000]) {
            const streamed: FlowRecord[] = [];
            for await (const rows of q.streamFlows({ ...base, limit })) streamed.push(...rows);
            assert.deepEqual(
              streamed,
              whole.records.slice(0, limit),
              `${JSON.stringify(sort)}, limit ${limit}`,
            );
          }
        }
      });
    },
  );
}
