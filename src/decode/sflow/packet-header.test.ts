import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowRecord } from '../../schema/flow-record.ts';
import { ethernet, ipv4, ipv6, tcp, u16, u32, udp, v6 } from './build-datagram.ts';
import { decodeEthernet, decodeIpv4, decodeIpv6 } from './packet-header.ts';

type Decoder = typeof decodeEthernet;

function run(decode: Decoder, bytes: number[], cut = bytes.length): FlowRecord {
  const b = Uint8Array.from(bytes);
  const rec: FlowRecord = { type: 'sflow5', exporter: 'x', bytes: 0, packets: 1 };
  decode(b, new DataView(b.buffer), 0, cut, rec);
  const { type: _t, exporter: _e, bytes: _b, packets: _p, ...fields } = rec;
  return fields as FlowRecord;
}

const SRC = [10, 0, 0, 1];
const DST = [10, 0, 0, 2];

void describe('packet header: Ethernet and VLANs', () => {
  void it('reads MACs, EtherType, IPv4 and TCP', () => {
    const frame = ethernet(0x0800, ipv4(6, SRC, DST, tcp(40000, 443, 0x12), 0xb8));
    assert.deepEqual(run(decodeEthernet, frame), {
      dstMac: '02:00:00:00:00:0b',
      srcMac: '02:00:00:00:00:0a',
      etherType: 0x0800,
      tos: 0xb8,
      proto: 6,
      srcAddr: '10.0.0.1',
      dstAddr: '10.0.0.2',
      srcPort: 40000,
      dstPort: 443,
      tcpFlags: 0x12,
    });
  });

  void it('takes the single 802.1Q tag as vlan', () => {
    const r = run(decodeEthernet, ethernet(0x0800, ipv4(17, SRC, DST, udp(53, 5353)), [[0x8100, 0x2064]]));
    assert.equal(r.vlan, 100); // priority bits (0x2000) masked off
    assert.equal(r.outerVlan, undefined);
    assert.equal(r.etherType, 0x0800);
    assert.equal(r.dstPort, 5353);
  });

  void it('QinQ: vlan is the inner (customer) tag, outerVlan the service tag', () => {
    const tags: [number, number][] = [
      [0x88a8, 10],
      [0x8100, 20],
    ];
    const r = run(decodeEthernet, ethernet(0x86dd, ipv6(17, v6(1), v6(2), udp(1, 2)), tags));
    assert.equal(r.vlan, 20);
    assert.equal(r.outerVlan, 10);
    assert.equal(r.etherType, 0x86dd);
    assert.equal(r.srcAddr, '2001:db8::1');
  });

  void it('MPLS: label stack, then the IP packet under it', () => {
    const stack = [...u32((100 << 12) | 64), ...u32((200 << 12) | 0x100 | 64)];
    const r = run(decodeEthernet, ethernet(0x8847, [...stack, ...ipv4(6, SRC, DST, tcp(1, 2, 2))]));
    assert.deepEqual(r.mplsLabels, [100, 200]);
    assert.equal(r.dstAddr, '10.0.0.2');
    assert.equal(r.tcpFlags, 2);
  });

  void it('ICMP type and code, no ports', () => {
    const r = run(decodeEthernet, ethernet(0x0800, ipv4(1, SRC, DST, [3, 13, 0, 0])));
    assert.equal(r.icmpType, 3);
    assert.equal(r.icmpCode, 13);
    assert.equal(r.srcPort, undefined);
  });

  void it('a truncated frame fills what it holds, at every length', () => {
    const frame = ethernet(0x0800, ipv4(6, SRC, DST, tcp(40000, 443, 0x18)), [[0x8100, 7]]);
    for (let cut = 0; cut <= frame.length; cut++) run(decodeEthernet, frame, cut); // never throws
    assert.deepEqual(run(decodeEthernet, frame, 12), {
      dstMac: '02:00:00:00:00:0b',
      srcMac: '02:00:00:00:00:0a',
    });
    const ipCut = run(decodeEthernet, frame, 18 + 16);
    assert.equal(ipCut.srcAddr, '10.0.0.1');
    assert.equal(ipCut.dstAddr, undefined);
    const portsOnly = run(decodeEthernet, frame, 18 + 20 + 4);
    assert.equal(portsOnly.dstPort, 443);
    assert.equal(portsOnly.tcpFlags, undefined);
  });
});

void describe('packet header: IPv4 and IPv6', () => {
  void it('a non-first IPv4 fragment has no ports', () => {
    const r = run(decodeIpv4, ipv4(17, SRC, DST, udp(1, 2), 0, 185));
    assert.equal(r.proto, 17);
    assert.equal(r.srcPort, undefined);
  });

  void it('IPv6 traffic class, addresses and UDP ports', () => {
    const r = run(decodeIpv6, ipv6(17, v6(1), v6(0x22), udp(123, 4567), 0x2e));
    assert.deepEqual(r, {
      tos: 0x2e,
      proto: 17,
      srcAddr: '2001:db8::1',
      dstAddr: '2001:db8::22',
      srcPort: 123,
      dstPort: 4567,
    });
  });

  void it('skips hop-by-hop, routing, destination options and first-fragment headers', () => {
    const hopByHop = [43, 0, 0, 0, 0, 0, 0, 0];
    const routing = [60, 1, 0, 0, 0, 0, 0, 0, ...new Array<number>(8).fill(0)]; // 16 bytes (len 1)
    const destOpts = [44, 0, 0, 0, 0, 0, 0, 0];
    const fragment = [6, 0, ...u16(0x0001), ...u32(99)]; // offset 0, more fragments
    const r = run(
      decodeIpv6,
      ipv6(0, v6(1), v6(2), [...hopByHop, ...routing, ...destOpts, ...fragment, ...tcp(22, 5000, 0x10)]),
    );
    assert.equal(r.proto, 6);
    assert.equal(r.srcPort, 22);
    assert.equal(r.tcpFlags, 0x10);
  });

  void it('skips AH (length in 4-byte units) and reads ICMPv6', () => {
    const ah = [58, 4, 0, 0, ...new Array<number>(20).fill(0)]; // (4 + 2) * 4 = 24 bytes
    const r = run(decodeIpv6, ipv6(51, v6(1), v6(2), [...ah, 128, 0, 0, 0]));
    assert.equal(r.proto, 58);
    assert.equal(r.icmpType, 128);
    assert.equal(r.icmpCode, 0);
  });

  void it('a later fragment gives the protocol, no ports; a cut chain gives no protocol', () => {
    const later = run(decodeIpv6, ipv6(44, v6(1), v6(2), [17, 0, ...u16(0x0100), ...u32(7), ...udp(1, 2)]));
    assert.equal(later.proto, 17);
    assert.equal(later.srcPort, undefined);
    const cut = ipv6(0, v6(1), v6(2), [6, 0, 0, 0, 0, 0, 0, 0, ...tcp(1, 2, 2)]);
    const r = run(decodeIpv6, cut, 44);
    assert.equal(r.proto, undefined);
    assert.equal(r.dstAddr, '2001:db8::2');
  });
});
