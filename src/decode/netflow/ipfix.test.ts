import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetflowDecoder } from './index.ts';
import {
  ByteWriter,
  ipfixMessage,
  ipfixOptionsTemplate,
  ipfixTemplate,
  set,
  type FieldSpec,
} from './test-builders.ts';

const ctx = { exporter: '2001:db8::1', receivedMs: 1_000 };
const EXPORT_SEC = 1_700_000_000;

/** Decodes one template then one data set with `fields`, returning the single record. */
function roundTrip(fields: FieldSpec[], data: Uint8Array) {
  const dec = createNetflowDecoder();
  const tpl = dec.decode(ipfixMessage([set(2, ipfixTemplate(300, fields))], { exportSec: EXPORT_SEC }), ctx);
  assert.equal(tpl.templates, 1);
  const out = dec.decode(ipfixMessage([set(300, data)], { exportSec: EXPORT_SEC }), ctx);
  assert.deepEqual(out.errors, {});
  assert.equal(out.records.length, 1);
  const r = out.records[0];
  assert.ok(r);
  return r;
}

test('ipfix: IPv6 5-tuple, counters, layer 2, ICMP, application id, direction', () => {
  const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  const r = roundTrip(
    [
      [27, 16],
      [28, 16],
      [7, 2],
      [11, 2],
      [4, 1],
      [1, 8],
      [2, 8],
      [56, 6],
      [80, 6],
      [58, 2],
      [139, 2],
      [95, 4],
      [61, 1],
      [256, 2],
      [6, 2],
    ],
    new ByteWriter()
      .raw(v6)
      .raw([...v6.slice(0, 15), 2])
      .u16(5353)
      .u16(53)
      .u8(58)
      .u64(2 ** 40)
      .u64(7)
      .raw([0, 1, 2, 3, 4, 5])
      .raw([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
      .u16(42)
      .u16(0x8000 | 3)
      .u8(13)
      .u8(0)
      .u16(453)
      .u8(1)
      .u16(0x86dd)
      .u16(0x0112)
      .build(),
  );
  assert.equal(r.srcAddr, '2001:db8::1');
  assert.equal(r.dstAddr, '2001:db8::2');
  assert.equal(r.srcPort, 5353);
  assert.equal(r.dstPort, 53);
  assert.equal(r.proto, 58);
  assert.equal(r.bytes, 2 ** 40);
  assert.equal(r.packets, 7);
  assert.equal(r.srcMac, '00:01:02:03:04:05');
  assert.equal(r.dstMac, 'aa:bb:cc:dd:ee:ff');
  assert.equal(r.vlan, 42);
  assert.equal(r.icmpType, 128);
  assert.equal(r.icmpCode, 3);
  assert.equal(r.appId, '13:453');
  assert.equal(r.direction, 'egress');
  assert.equal(r.etherType, 0x86dd);
  assert.equal(r.tcpFlags, 0x112);
  assert.equal(r.type, 'ipfix');
  assert.equal(r.observationDomain, 1);
});

test('ipfix: variable-length fields (short and 3-byte form), enterprise fields, RFC 5103 reverse counters', () => {
  const long = new Uint8Array(300).fill(0x41);
  const r = roundTrip(
    [
      [8, 4],
      [82, 0xffff],
      [1, 4],
      [1, 4, 29305],
      [2, 4, 29305],
      [100, 0xffff, 9],
      [12232, 2, 9],
      [12, 4],
    ],
    new ByteWriter()
      .ipv4('10.0.0.1')
      .u8(3)
      .raw([0x65, 0x74, 0x68])
      .u32(1000)
      .u32(2000)
      .u32(20)
      .u8(255)
      .u16(300)
      .raw(long)
      .u16(777)
      .ipv4('10.0.0.2')
      .build(),
  );
  assert.equal(r.srcAddr, '10.0.0.1');
  assert.equal(r.dstAddr, '10.0.0.2', 'fields after a 3-byte-length field are read at the right offset');
  assert.equal(r.bytes, 1000);
  assert.equal(r.reverseBytes, 2000);
  assert.equal(r.reversePackets, 20);
  assert.equal(r.extra?.['9.12232'], 777);
  assert.equal(r.extra?.['9.100'], '41'.repeat(300));
  assert.equal(r.extra?.['0.82'], undefined, 'unmapped IANA elements are not kept');
});

test('ipfix: MPLS stack top first, QinQ, NAT, physical interfaces and layer-2 octets as fallbacks', () => {
  const r = roundTrip(
    [
      [70, 3],
      [71, 3],
      [243, 2],
      [245, 2],
      [225, 4],
      [226, 4],
      [227, 2],
      [228, 2],
      [252, 4],
      [253, 4],
      [352, 8],
      [176, 1],
      [177, 1],
    ],
    new ByteWriter()
      .raw([0x00, 0x01, 0x40]) // label 20, S bit 0
      .raw([0x00, 0x03, 0x21]) // label 50, S bit 1
      .u16(100)
      .u16(200)
      .ipv4('198.51.100.1')
      .ipv4('198.51.100.2')
      .u16(40000)
      .u16(8080)
      .u32(11)
      .u32(12)
      .u64(1514)
      .u8(8)
      .u8(0)
      .build(),
  );
  assert.deepEqual(r.mplsLabels, [20, 50]);
  assert.equal(r.vlan, 200, 'customer VLAN is the flow VLAN');
  assert.equal(r.outerVlan, 100, 'service VLAN is the outer one');
  assert.equal(r.natSrcAddr, '198.51.100.1');
  assert.equal(r.natDstAddr, '198.51.100.2');
  assert.equal(r.natSrcPort, 40000);
  assert.equal(r.natDstPort, 8080);
  assert.equal(r.inIf, 11);
  assert.equal(r.outIf, 12);
  assert.equal(r.bytes, 1514);
  assert.equal(r.icmpType, 8);
  assert.equal(r.icmpCode, 0);
});

test('ipfix: logical interfaces and L3 octets win over physical / layer 2', () => {
  const r = roundTrip(
    [
      [10, 4],
      [252, 4],
      [352, 8],
      [1, 8],
    ],
    new ByteWriter().u32(1).u32(99).u64(1600).u64(1500).build(),
  );
  assert.equal(r.inIf, 1);
  assert.equal(r.bytes, 1500);
});

test('ipfix: time forms', () => {
  const ms = 1_700_000_000_123;
  const sec = Math.floor(ms / 1000);
  const ntpSec = sec + 2208988800;
  const half = 0x8000_0000; // .5 s
  const cases: [string, FieldSpec[], Uint8Array, number, number][] = [
    [
      'seconds 150/151',
      [
        [150, 4],
        [151, 4],
      ],
      new ByteWriter()
        .u32(sec)
        .u32(sec + 2)
        .build(),
      sec * 1000,
      sec * 1000 + 2000,
    ],
    [
      'milliseconds 152/153',
      [
        [152, 8],
        [153, 8],
      ],
      new ByteWriter()
        .u64(ms)
        .u64(ms + 5)
        .build(),
      ms,
      ms + 5,
    ],
    [
      'microseconds 154/155 (NTP)',
      [
        [154, 8],
        [155, 8],
      ],
      new ByteWriter()
        .u32(ntpSec)
        .u32(half)
        .u32(ntpSec + 1)
        .u32(0)
        .build(),
      sec * 1000 + 500,
      sec * 1000 + 1000,
    ],
    [
      'nanoseconds 156/157 (NTP)',
      [
        [156, 8],
        [157, 8],
      ],
      new ByteWriter().u32(ntpSec).u32(0).u32(ntpSec).u32(half).build(),
      sec * 1000,
      sec * 1000 + 500,
    ],
    [
      'start + duration ms 161',
      [
        [152, 8],
        [161, 4],
      ],
      new ByteWriter().u64(ms).u32(250).build(),
      ms,
      ms + 250,
    ],
    [
      'start + duration us 162',
      [
        [152, 8],
        [162, 4],
      ],
      new ByteWriter().u64(ms).u32(3000).build(),
      ms,
      ms + 3,
    ],
    [
      'sysUpTime 22/21 with systemInitTime 160 in the record',
      [
        [160, 8],
        [22, 4],
        [21, 4],
      ],
      new ByteWriter().u64(ms).u32(1000).u32(4000).build(),
      ms + 1000,
      ms + 4000,
    ],
    [
      'sysUpTime 22/21 without init time: end at export time',
      [
        [22, 4],
        [21, 4],
      ],
      new ByteWriter().u32(1000).u32(4000).build(),
      EXPORT_SEC * 1000 - 3000,
      EXPORT_SEC * 1000,
    ],
  ];
  for (const [name, fields, data, start, end] of cases) {
    const r = roundTrip(fields, data);
    assert.equal(r.start, start, `${name}: start`);
    assert.equal(r.end, end, `${name}: end`);
  }
});

test('ipfix: systemInitTimeMilliseconds from options data anchors sysUpTime fields', () => {
  const dec = createNetflowDecoder();
  const init = 1_600_000_000_000;
  dec.decode(
    ipfixMessage([
      set(
        3,
        ipfixOptionsTemplate(400, 1, [
          [149, 4],
          [160, 8],
        ]),
      ),
      set(
        2,
        ipfixTemplate(300, [
          [22, 4],
          [21, 4],
        ]),
      ),
    ]),
    ctx,
  );
  dec.decode(ipfixMessage([set(400, new ByteWriter().u32(1).u64(init).build())]), ctx);
  const out = dec.decode(ipfixMessage([set(300, new ByteWriter().u32(10).u32(20).build())]), ctx);
  assert.equal(out.records[0]?.start, init + 10);
  assert.equal(out.records[0]?.end, init + 20);
});

test('ipfix: sampling from the record, from a selector table, and domain-wide', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    ipfixMessage([
      set(
        3,
        ipfixOptionsTemplate(400, 1, [
          [302, 4],
          [305, 4],
          [306, 4],
        ]),
      ),
      set(
        3,
        ipfixOptionsTemplate(401, 1, [
          [149, 4],
          [34, 4],
        ]),
      ),
      set(
        2,
        ipfixTemplate(300, [
          [8, 4],
          [302, 4],
        ]),
      ),
      set(
        2,
        ipfixTemplate(301, [
          [8, 4],
          [305, 4],
          [306, 4],
        ]),
      ),
      set(2, ipfixTemplate(302, [[8, 4]])),
    ]),
    ctx,
  );
  const opts = dec.decode(
    ipfixMessage([
      set(400, new ByteWriter().u32(7).u32(1).u32(99).build()),
      set(401, new ByteWriter().u32(1).u32(512).build()),
    ]),
    ctx,
  );
  assert.equal(opts.records.length, 0, 'options data are not flow records');
  const out = dec.decode(
    ipfixMessage([
      set(300, new ByteWriter().ipv4('10.0.0.1').u32(7).build()),
      set(301, new ByteWriter().ipv4('10.0.0.2').u32(2).u32(6).build()),
      set(302, new ByteWriter().ipv4('10.0.0.3').build()),
    ]),
    ctx,
  );
  assert.deepEqual(
    out.records.map((r) => r.samplingRate),
    [100, 4, 512],
  );
});

test('ipfix: withdrawal, withdraw-all and redefinition', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    ipfixMessage([
      set(2, ipfixTemplate(300, [[8, 4]])),
      set(2, ipfixTemplate(301, [[8, 4]])),
      set(
        3,
        ipfixOptionsTemplate(400, 1, [
          [302, 4],
          [34, 4],
        ]),
      ),
    ]),
    ctx,
  );
  assert.equal(dec.stats().templates, 3);
  dec.decode(ipfixMessage([set(2, new ByteWriter().u16(300).u16(0).build())]), ctx);
  assert.equal(dec.stats().templates, 2);
  const held = dec.decode(ipfixMessage([set(300, new ByteWriter().ipv4('10.0.0.1').build())]), ctx);
  assert.equal(held.errors.template_missing, 1, 'a withdrawn template is unknown');
  // Redefinition: 301 now has a 2-byte port before the address.
  dec.decode(
    ipfixMessage([
      set(
        2,
        ipfixTemplate(301, [
          [7, 2],
          [8, 4],
        ]),
      ),
    ]),
    ctx,
  );
  const out = dec.decode(ipfixMessage([set(301, new ByteWriter().u16(22).ipv4('10.0.0.9').build())]), ctx);
  assert.equal(out.records[0]?.srcAddr, '10.0.0.9');
  assert.equal(out.records[0]?.srcPort, 22);
  dec.decode(ipfixMessage([set(2, new ByteWriter().u16(2).u16(0).build())]), ctx);
  assert.equal(dec.stats().templates, 1, 'withdraw all data templates keeps the options template');
  dec.decode(ipfixMessage([set(3, new ByteWriter().u16(3).u16(0).build())]), ctx);
  assert.equal(dec.stats().templates, 0);
});

test('ipfix: padding after the last record is ignored', () => {
  const r = roundTrip(
    [
      [8, 4],
      [12, 4],
    ],
    new ByteWriter().ipv4('1.2.3.4').ipv4('5.6.7.8').u8(0).u8(0).u8(0).build(),
  );
  assert.equal(r.dstAddr, '5.6.7.8');
});

test('ipfix: a tunnel template (address block twice) keeps the inner 5-tuple and the outer addresses', () => {
  const v6 = (last: number) => [0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last];
  const r = roundTrip(
    [
      [27, 16],
      [28, 16],
      [4, 1],
      [8, 4],
      [12, 4],
      [4, 1],
    ],
    new ByteWriter().raw(v6(1)).raw(v6(2)).u8(4).ipv4('192.0.2.1').ipv4('192.0.2.2').u8(1).build(),
  );
  assert.equal(r.srcAddr, '192.0.2.1');
  assert.equal(r.dstAddr, '192.0.2.2');
  assert.equal(r.proto, 1);
  assert.equal(r.outerSrcAddr, 'fc00::1');
  assert.equal(r.outerDstAddr, 'fc00::2');
});

test('ipfix: a dual-stack template keeps the non-zero family', () => {
  const r = roundTrip(
    [
      [8, 4],
      [27, 16],
    ],
    new ByteWriter().ipv4('192.0.2.7').raw(new Uint8Array(16)).build(),
  );
  assert.equal(r.srcAddr, '192.0.2.7');
  assert.equal(r.outerSrcAddr, undefined);
});

test('ipfix: sequence numbers count lost data records per domain; restarts reset', () => {
  const dec = createNetflowDecoder();
  dec.decode(ipfixMessage([set(2, ipfixTemplate(300, [[8, 4]]))], { seq: 0 }), ctx);
  const data = (seq: number) =>
    ipfixMessage([set(300, new ByteWriter().ipv4('1.1.1.1').ipv4('2.2.2.2').build())], { seq });
  assert.equal(dec.decode(data(0), ctx).lostRecords, undefined);
  assert.equal(dec.decode(data(2), ctx).lostRecords, undefined);
  assert.equal(dec.decode(data(9), ctx).lostRecords, 5);
  assert.equal(dec.decode(data(3), ctx).lostRecords, undefined, 'backwards');
  assert.equal(dec.decode(data(3_000_000_000), ctx).lostRecords, undefined, 'huge jump');
});
