/**
 * The JSON Lines fast path (`onFlowJson`, bytes written from the columns)
 * gives exactly the text `JSON.stringify` gives for the `onFlow` record, for
 * every flow of every capture the meter is tested on, and for the number
 * forms JSON writes (negative, zero, large, fractional).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { createFlowMeter, meterCaptureFile, type AppLabel } from '../../src/meter/index.ts';
import { putNumber } from '../../src/meter/json-bytes.ts';
import { sharedCapture } from '../support/system-tool.ts';

const DIRS = ['tunnels', 'mixed_voip_retrans', 'dhcp', 'mdns_ssdp'];
const decoder = new TextDecoder();

/** Labels some flows (with characters JSON must escape) so the label and name fields are covered too. */
const inspector = {
  inspect: (s: { srcPort: number }): AppLabel | undefined => {
    if (s.srcPort % 3 !== 0) return undefined;
    const l: AppLabel = { appProto: 'dns"\\ü', appCategory: 'net\n' };
    if (s.srcPort % 2 === 0) l.serverName = `host"\\\u0001ü-${s.srcPort}.example`;
    if (s.srcPort % 4 === 0) l.ja4 = 't13d1516h2_8daaf6152771_e5627efa2ab1';
    return l;
  },
};

test('onFlowJson lines equal JSON.stringify of the onFlow records on every test capture', async () => {
  let flows = 0;
  for (const dir of DIRS) {
    for (const f of readdirSync(sharedCapture(dir)).filter((x) => /\.pcap(ng)?$/.test(x))) {
      const path = sharedCapture(`${dir}/${f}`);
      const meter = createFlowMeter({ exporter: `"${path}"`, inspector });
      const records: string[] = [];
      const lines: string[] = [];
      meter.onFlow((r) => records.push(`${JSON.stringify(r)}\n`));
      meter.onFlowJson((line) => lines.push(decoder.decode(line)));
      await meterCaptureFile(path, meter);
      meter.flushAll();
      assert.deepEqual(lines, records, path);
      flows += lines.length;
    }
  }
  assert.ok(flows > 1000, `${flows} flows compared`);
});

test('numbers are written as JSON.stringify writes them', () => {
  const b = new Uint8Array(64);
  const d = new DataView(b.buffer);
  for (const n of [
    0,
    -0,
    1,
    9,
    10,
    99,
    4294967295,
    4294967296,
    1_700_000_000_123,
    2 ** 53,
    2 ** 60,
    -7,
    -1e12,
    0.5,
    1e21,
  ])
    assert.equal(decoder.decode(b.subarray(0, putNumber(d, 0, n))), JSON.stringify(n), String(n));
});
