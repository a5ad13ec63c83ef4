/**
 * The built-in inspector's `mayMatch` (the meter skips payloads it turns
 * away) lets through every payload its detectors recognise: on every TCP/UDP
 * payload of the test captures, in both directions, whatever `inspect`
 * finds or `wantsMore` asks for, `mayMatch` said yes to first.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createDefaultInspector } from '../../src/enrich/app/index.ts';
import { sharedCapture } from '../support/system-tool.ts';
import { readFramePayloads } from './capture-payloads.ts';

const DIRS = ['tunnels', 'mixed_voip_retrans', 'dhcp', 'mdns_ssdp'];
/** RFC 9001 appendix A.2: a QUIC client Initial (none of the captures has QUIC). */
const QUIC_INITIAL = Buffer.from(
  readFileSync(new URL('testdata/rfc9001-a2-client-initial.hex', import.meta.url), 'utf8').trim(),
  'hex',
);

test('mayMatch lets through every payload a detector recognises, and turns some away', async () => {
  const inspector = createDefaultInspector();
  const mayMatch = inspector.mayMatch!;
  let detected = 0;
  let turnedAway = 0;
  const protocols = new Set<string>();
  const quic = { frame: 1, proto: 17, srcPort: 50000, dstPort: 443, payload: QUIC_INITIAL };
  const captures = DIRS.flatMap((dir) =>
    readdirSync(sharedCapture(dir))
      .filter((x) => /\.pcap(ng)?$/.test(x))
      .map((f) => `${dir}/${f}`),
  );
  for (const file of ['rfc9001-a2', ...captures]) {
    const payloads = file === 'rfc9001-a2' ? [quic] : await readFramePayloads(sharedCapture(file));
    for (const p of payloads) {
      // Each payload at an offset in a larger buffer, as the meter's frames hold them.
      const frame = new Uint8Array(p.payload.length + 9);
      frame.set(p.payload, 5);
      const may = mayMatch(p.proto, p.srcPort, p.dstPort, frame, 5, p.payload.length);
      if (!may) turnedAway++;
      for (const fromInitiator of [true, false]) {
        const sample = { ...p, fromInitiator };
        const found = inspector.inspect(sample);
        if (found) {
          detected++;
          protocols.add(found.l7Proto);
        }
        if (found !== undefined || inspector.wantsMore(sample))
          assert.ok(
            may,
            `${file} frame ${p.frame}: ${found?.l7Proto ?? 'a cut message'} starts with ${p.payload[0]}`,
          );
      }
    }
  }
  assert.ok(detected > 1000, `${detected} detections`);
  for (const l7 of ['TLS', 'QUIC', 'HTTP', 'DNS', 'SIP', 'RTP'])
    assert.ok(protocols.has(l7), `no ${l7} among ${[...protocols].join(', ')}`);
  assert.ok(turnedAway > 100, `${turnedAway} payloads turned away`);
});

test('mayMatch turns away UDP payloads on a DNS port that parseDnsMessage cannot parse', () => {
  const mayMatch = createDefaultInspector().mayMatch!;
  // A query for example.com (RFC 1035 §4.1): id, flags RD, one question.
  const query = Buffer.from('123401000001000000000000076578616d706c6503636f6d0000010001', 'hex');
  const notDns = Buffer.alloc(120, 0x61); // opcode 12
  const frame = Buffer.concat([Buffer.alloc(3), query, notDns]);
  assert.equal(mayMatch(17, 40000, 53, frame, 3, query.length), true);
  assert.equal(mayMatch(17, 53, 40000, frame, 3 + query.length, notDns.length), false, 'opcode 12');
  assert.equal(mayMatch(17, 40000, 5353, frame, 3, 11), false, 'shorter than a header');
  // Over TCP on a DNS port anything may be DNS behind its length prefix.
  assert.equal(mayMatch(6, 40000, 53, frame, 3 + query.length, notDns.length), true);
  // Elsewhere the same bytes are not for the DNS detector.
  assert.equal(mayMatch(17, 40000, 40001, frame, 3, query.length), false);
});
