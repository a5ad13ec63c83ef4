import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowRecord } from '../../schema/flow-record.ts';
import {
  datagram,
  ethernet,
  expandedFlowSample,
  flowSample,
  ipv4,
  ipv6,
  sampledHeader,
  tcp,
  tlv,
  u32,
  udp,
  v6,
} from './build-datagram.ts';
import { createSflowDecoder } from './index.ts';

const CTX = { exporter: '198.51.100.7', receivedMs: 1_700_000_000_000 };
const SRC = [10, 0, 0, 1];
const DST = [10, 0, 0, 2];

function decodeOne(samples: number[][], subAgentId = 3) {
  return createSflowDecoder().decode(datagram({ samples, subAgentId }), CTX);
}

function only(samples: number[][]): FlowRecord {
  const out = decodeOne(samples);
  assert.deepEqual(out.errors, {});
  assert.equal(out.records.length, 1);
  return out.records[0]!;
}

const TCP_FRAME = ethernet(0x0800, ipv4(6, SRC, DST, tcp(40000, 443, 0x18), 0x20));

void describe('flow sample (0:1)', () => {
  void it('one record per sample with the sample and header fields', () => {
    const rec = only([
      flowSample({ rate: 512, input: 7, output: 9, records: [sampledHeader(1, 1514, TCP_FRAME)] }),
    ]);
    assert.deepEqual(rec, {
      type: 'sflow5',
      exporter: '198.51.100.7',
      observationDomain: 3,
      start: CTX.receivedMs,
      end: CTX.receivedMs,
      bytes: 1514,
      packets: 1,
      samplingRate: 512,
      inIf: 7,
      outIf: 9,
      dstMac: '02:00:00:00:00:0b',
      srcMac: '02:00:00:00:00:0a',
      etherType: 0x0800,
      tos: 0x20,
      proto: 6,
      srcAddr: '10.0.0.1',
      dstAddr: '10.0.0.2',
      srcPort: 40000,
      dstPort: 443,
      tcpFlags: 0x18,
    });
  });

  void it('interface encodings: internal, discarded and multiple outputs leave the interface unknown', () => {
    const header = [sampledHeader(1, 100, TCP_FRAME)];
    const internal = only([flowSample({ input: 0x3fffffff, output: 5, records: header })]);
    assert.equal(internal.inIf, undefined);
    assert.equal(internal.outIf, 5);
    const discarded = only([flowSample({ input: 4, output: 0x40000001, records: header })]);
    assert.equal(discarded.inIf, 4);
    assert.equal(discarded.outIf, undefined);
    const multiple = only([flowSample({ input: 4, output: 0x80000007, records: header })]);
    assert.equal(multiple.outIf, undefined);
  });

  void it('raw IPv4 (11) and IPv6 (12) headers', () => {
    const v4 = only([flowSample({ records: [sampledHeader(11, 60, ipv4(17, SRC, DST, udp(53, 999)))] })]);
    assert.equal(v4.srcAddr, '10.0.0.1');
    assert.equal(v4.dstPort, 999);
    assert.equal(v4.srcMac, undefined);
    const v6rec = only([
      flowSample({ records: [sampledHeader(12, 80, ipv6(6, v6(1), v6(2), tcp(1, 2, 2)))] }),
    ]);
    assert.equal(v6rec.dstAddr, '2001:db8::2');
    assert.equal(v6rec.tcpFlags, 2);
    assert.equal(v6rec.bytes, 80);
  });

  void it('a sample without a sampling rate or records still counts one packet', () => {
    const rec = only([flowSample({ rate: 0, records: [] })]);
    assert.equal(rec.samplingRate, undefined);
    assert.equal(rec.bytes, 0);
    assert.equal(rec.packets, 1);
  });
});

void describe('expanded flow sample (0:3)', () => {
  void it('separate format and value words, values beyond 30 bits', () => {
    const rec = only([
      expandedFlowSample({
        rate: 4096,
        input: 369098852,
        output: 0x7fffffff,
        records: [sampledHeader(1, 106, TCP_FRAME)],
      }),
    ]);
    assert.equal(rec.inIf, 369098852);
    assert.equal(rec.outIf, 0x7fffffff);
    assert.equal(rec.samplingRate, 4096);
  });

  void it('discard format and the internal value leave interfaces unknown', () => {
    const rec = only([
      expandedFlowSample({ inputFormat: 0, input: 0x3fffffff, outputFormat: 1, output: 3, records: [] }),
    ]);
    assert.equal(rec.inIf, undefined);
    assert.equal(rec.outIf, undefined);
  });
});

void describe('sampled Ethernet / IPv4 / IPv6 records', () => {
  const ip4 = tlv(3, [...u32(1400, 17), ...SRC, ...DST, ...u32(5000, 6000, 0, 0x28)]);
  void it('IPv4 record alone gives the 5-tuple and its length as bytes', () => {
    const rec = only([flowSample({ records: [ip4] })]);
    assert.equal(rec.bytes, 1400);
    assert.equal(rec.proto, 17);
    assert.equal(rec.srcAddr, '10.0.0.1');
    assert.equal(rec.srcPort, 5000);
    assert.equal(rec.dstPort, 6000);
    assert.equal(rec.tos, 0x28);
    assert.equal(rec.tcpFlags, undefined);
  });

  void it('IPv6 record alone', () => {
    const rec = only([
      flowSample({ records: [tlv(4, [...u32(900, 6), ...v6(1), ...v6(2), ...u32(22, 3333, 0x12, 0)])] }),
    ]);
    assert.deepEqual(
      [rec.bytes, rec.proto, rec.srcAddr, rec.dstAddr, rec.srcPort, rec.dstPort, rec.tcpFlags],
      [900, 6, '2001:db8::1', '2001:db8::2', 22, 3333, 0x12],
    );
  });

  void it('the header wins whatever the order; records fill what a cut header lacks', () => {
    const cutFrame = TCP_FRAME.slice(0, 14 + 20); // IP header only: no ports
    const ip4tcp = tlv(3, [...u32(1400, 6), 9, 9, 9, 9, 8, 8, 8, 8, ...u32(1111, 2222, 0x02, 0)]);
    const eth = tlv(2, [...u32(1450), 1, 2, 3, 4, 5, 6, 0, 0, 6, 5, 4, 3, 2, 1, 0, 0, ...u32(0x0800)]);
    for (const records of [
      [ip4tcp, eth, sampledHeader(1, 1500, cutFrame)],
      [sampledHeader(1, 1500, cutFrame), eth, ip4tcp],
    ]) {
      const rec = only([flowSample({ records })]);
      assert.equal(rec.bytes, 1500);
      assert.equal(rec.srcAddr, '10.0.0.1');
      assert.equal(rec.srcMac, '02:00:00:00:00:0a');
      assert.equal(rec.srcPort, 1111);
      assert.equal(rec.tcpFlags, 0x02);
    }
    assert.equal(only([flowSample({ records: [ip4tcp, eth] })]).bytes, 1450);
  });
});

void describe('extended switch, router and gateway', () => {
  const header = (tags: [number, number][]) =>
    sampledHeader(1, 100, ethernet(0x0800, ipv4(6, SRC, DST, tcp(1, 2, 2)), tags));
  const sw = tlv(1001, u32(30, 5, 40, 0));

  void it('the switch VLAN stands in when the header has no tag; priority and outgoing VLAN in extra', () => {
    const rec = only([flowSample({ records: [sw, header([])] })]);
    assert.equal(rec.vlan, 30);
    assert.deepEqual(rec.extra, { '0.244': 5, '0.59': 40 });
    assert.equal(only([flowSample({ records: [sw, header([[0x8100, 12]])] })]).vlan, 12);
    const bogus = only([flowSample({ records: [tlv(1001, u32(0xffffffff, 0, 0, 0))] })]);
    assert.equal(bogus.vlan, undefined);
  });

  void it('router: next hop and masks; the gateway next hop wins, 0.0.0.0 does not', () => {
    const router = tlv(1002, [...u32(1), 192, 0, 2, 254, ...u32(24, 16)]);
    const gateway = (hop: number[], path: number[]) =>
      tlv(1003, [...u32(1), ...hop, ...u32(65000, 64500, 64501), ...path, ...u32(0, 100)]);
    const onePath = u32(1, 2, 3, 64505, 64510, 64520); // one AS_SEQUENCE of 3
    const rec = only([
      flowSample({ records: [router, gateway([203, 0, 113, 1], u32(1, 2, 2, 64510, 64520))] }),
    ]);
    assert.equal(rec.nextHop, '203.0.113.1');
    assert.equal(rec.srcMask, 24);
    assert.equal(rec.dstMask, 16);
    assert.equal(rec.srcAs, 64500);
    assert.equal(rec.dstAs, 64520);
    assert.deepEqual(rec.extra, { '0.129': 64501, '0.128': 64510 });
    const zeroHop = only([flowSample({ records: [gateway([0, 0, 0, 0], u32(0)), router] })]);
    assert.equal(zeroHop.nextHop, '192.0.2.254');
    assert.equal(zeroHop.dstAs, 65000); // no path: the destination is in the router's AS
    const twoSegments = u32(2, 2, 1, 64999, 2, 2, 64510, 64520);
    assert.equal(only([flowSample({ records: [gateway([1, 1, 1, 1], twoSegments)] })]).dstAs, 64520);
    assert.equal(only([flowSample({ records: [gateway([1, 1, 1, 1], onePath)] })]).dstAs, 64520);
  });

  void it('router with an IPv6 next hop', () => {
    const rec = only([flowSample({ records: [tlv(1002, [...u32(2), ...v6(9), ...u32(48, 64)])] })]);
    assert.equal(rec.nextHop, '2001:db8::9');
    assert.equal(rec.dstMask, 64);
  });

  void it('a hostile AS path count is a bad record, bounded', () => {
    const hostile = tlv(1003, [...u32(1), 1, 1, 1, 1, ...u32(1, 2, 3, 0xffffffff)]);
    const hostileAs = tlv(1003, [...u32(1), 1, 1, 1, 1, ...u32(1, 2, 3, 1, 2, 0xffffffff, 7)]);
    for (const rec of [hostile, hostileAs]) {
      const out = decodeOne([flowSample({ records: [rec] })]);
      assert.equal(out.records.length, 1);
      assert.deepEqual(out.errors, { bad_record: 1 });
    }
  });
});
