/**
 * Every sFlow capture of the shared corpus, decoded and compared with
 * tshark's reading of the same samples (see tshark-reading.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { requireTool, sharedCapture } from '../../../test/support/system-tool.ts';
import { readUdpDatagrams, type UdpDatagram } from '../../ingest/file/index.ts';
import type { FlowRecord } from '../../schema/flow-record.ts';
import { createSflowDecoder } from './index.ts';
import { readWithTshark, type TsharkFlow } from './tshark-reading.ts';

const DIR = sharedCapture('sflow');
const FILES = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => /\.(pcap|pcapng)$/.test(f))
      .sort()
  : [];

async function datagramsOf(file: string): Promise<UdpDatagram[]> {
  const all: UdpDatagram[] = [];
  for await (const d of readUdpDatagrams(file)) all.push(d);
  return all;
}

/** The dispatcher hands us a datagram whose first 32-bit word is 5. */
function isSflow5(payload: Uint8Array): boolean {
  return payload.length >= 4 && payload[0] === 0 && payload[1] === 0 && payload[2] === 0 && payload[3] === 5;
}

function asTshark(r: FlowRecord): TsharkFlow {
  const {
    samplingRate,
    inIf,
    outIf,
    bytes,
    srcAddr,
    dstAddr,
    srcPort,
    dstPort,
    proto,
    vlan,
    srcMac,
    dstMac,
  } = r;
  return {
    samplingRate,
    inIf,
    outIf,
    bytes,
    srcAddr,
    dstAddr,
    srcPort,
    dstPort,
    proto,
    vlan,
    srcMac,
    dstMac,
  };
}

/** tshark lists samples with the same name together, so compare as sorted lists. */
function canonical(flows: TsharkFlow[]): string[] {
  return flows.map((f) => JSON.stringify(f, Object.keys(f).sort())).sort();
}

function skipWithoutCaptures(t: TestContext): boolean {
  if (FILES.length > 0) return false;
  if (process.env['FLOWLENS_REQUIRE_SYSTEM_TESTS'] === '1') throw new Error(`no sFlow captures in ${DIR}`);
  t.skip(`no sFlow captures in ${DIR}`);
  return true;
}

void describe('sFlow captures against tshark', () => {
  void it('the corpus is there', (t) => {
    if (skipWithoutCaptures(t)) return;
    assert.ok(FILES.length >= 10, FILES.join(' '));
  });

  for (const name of FILES) {
    void it(name, async (t) => {
      const tshark = requireTool(t, 'tshark');
      if (!tshark) return;
      const file = `${DIR}/${name}`;
      const truth = readWithTshark(tshark, file);
      const datagrams = await datagramsOf(file);
      assert.equal(datagrams.length, truth.length, 'one UDP datagram per frame');
      const decoder = createSflowDecoder();
      const expectedCounters = new Map<string, Record<string, number>>();
      let flows = 0;
      for (const [i, d] of datagrams.entries()) {
        const expected = truth[i];
        if (!isSflow5(d.payload)) {
          assert.equal(expected, undefined, `frame ${i + 1}: tshark saw sFlow we would not be given`);
          continue;
        }
        const out = decoder.decode(d.payload, { exporter: d.srcAddr, receivedMs: d.tsMs });
        assert.ok(expected, `frame ${i + 1}: tshark saw no sFlow`);
        if (expected.malformed) continue; // tshark's own reading failed: nothing to compare with
        assert.deepEqual(out.errors, {}, `frame ${i + 1}`);
        assert.deepEqual(canonical(out.records.map(asTshark)), canonical(expected.flows), `frame ${i + 1}`);
        for (const r of out.records) assert.equal(r.exporter, d.srcAddr);
        flows += out.records.length;
        for (const { key, ...values } of expected.counters) expectedCounters.set(key, values);
      }
      const ours = new Map(decoder.counters().map((c) => [`${c.agent}/${c.subAgentId}/${c.ifIndex}`, c]));
      assert.equal(ours.size, expectedCounters.size);
      for (const [key, values] of expectedCounters) {
        const c = ours.get(key);
        assert.ok(c, key);
        for (const [field, value] of Object.entries(values)) {
          assert.equal(c[field as keyof typeof c], value, `${key} ${field}`);
        }
      }
      assert.ok(flows + expectedCounters.size > 0, 'the capture held samples');
    });
  }

  void it('a real datagram cut at every byte offset: no throw, errors counted', async (t) => {
    if (skipWithoutCaptures(t)) return;
    const [d] = await datagramsOf(`${DIR}/data-1140.pcap`);
    assert.ok(d);
    const full = createSflowDecoder().decode(d.payload, { exporter: d.srcAddr, receivedMs: 0 });
    assert.equal(full.records.length, 5);
    for (let cut = 0; cut < d.payload.length; cut++) {
      const out = createSflowDecoder().decode(d.payload.subarray(0, cut), {
        exporter: d.srcAddr,
        receivedMs: 0,
      });
      assert.ok(Object.keys(out.errors).length > 0, `cut at ${cut}`);
      assert.ok(out.records.length < 5, `cut at ${cut}`);
    }
  });
});
