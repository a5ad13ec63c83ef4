import assert from 'node:assert/strict';
import type { FlowType } from '../../src/schema/flow-record.ts';
import { runFlowlensDecode, totalsOf, type FlowTotals } from './flowlens-decode.ts';
import type { FlowlensServer } from './flowlens-serve.ts';
import { flowKeys } from './flow-record-keys.ts';
import { pollUntil } from './poll-until.ts';

/** What one exporter run must come out as, in `decode` and in `serve`. */
export interface ExportExpectation {
  /** The export capture written by the sink. */
  pcap: string;
  type: FlowType;
  /** Datagrams the exporter sent (and the sink forwarded). */
  datagrams: number;
  /** Totals both FlowLens paths must report. */
  totals: FlowTotals;
  /** Optional per-record keys (`flowKeys`) decode must give, for a precise diff. */
  keys?: string[];
}

/**
 * `flowlens decode` of the export capture: exit 0, no decode errors, every
 * record of `type`, record count and sums equal to `totals` (and, when
 * given, the same multiset of flow keys).
 */
export async function checkDecode(e: ExportExpectation): Promise<void> {
  const d = await runFlowlensDecode([e.pcap]);
  assert.equal(d.code, 0, `flowlens decode exit status (${d.summary})`);
  assert.deepEqual(d.errors, {}, `flowlens decode errors: ${d.summary}`);
  const types = [...new Set(d.records.map((r) => r.type))];
  assert.deepEqual(types, [e.type], 'record types');
  if (e.keys)
    assert.deepEqual(flowKeys(d.records), e.keys, 'decoded records (proto ports bytes/packets) vs tshark');
  assert.deepEqual(totalsOf(d.records), e.totals, `flowlens decode totals (${d.summary})`);
}

/**
 * `flowlens serve` fed the same datagrams live: once /metrics shows every
 * datagram decoded (bounded poll), its record, byte and packet counters for
 * `type` equal `totals` and no error was counted.
 */
export async function checkServe(server: FlowlensServer, e: ExportExpectation): Promise<void> {
  const want = {
    datagrams: e.datagrams,
    records: e.totals.records,
    bytes: e.totals.bytes,
    packets: e.totals.packets,
    errors: 0,
  };
  // Bounded wait for the counters to settle on the expectation; if they
  // never do, the assertion below shows the difference.
  await pollUntil(
    async () => {
      const c = await server.counters();
      return c.datagrams >= want.datagrams && c.records >= want.records ? c : undefined;
    },
    {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: `${want.datagrams} datagrams and ${want.records} records in /metrics`,
    },
  ).catch(() => undefined);
  const c = await server.counters();
  assert.deepEqual(c, want, 'flowlens serve /metrics (all types)');
  const typed = await server.counters(e.type);
  assert.deepEqual(
    { records: typed.records, bytes: typed.bytes, packets: typed.packets },
    e.totals,
    `/metrics of type="${e.type}"`,
  );
}
