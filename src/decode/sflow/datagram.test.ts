import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  counterSample,
  datagram,
  ethernet,
  ethernetCounters,
  expandedFlowSample,
  flowSample,
  genericCounters,
  ipv4,
  sampledHeader,
  tcp,
  tlv,
  u32,
  v6,
} from './build-datagram.ts';
import { createSflowDecoder } from './index.ts';

const CTX = { exporter: '198.51.100.7', receivedMs: 1_700_000_000_000 };
const HEADER = sampledHeader(1, 1000, ethernet(0x0800, ipv4(6, [10, 0, 0, 1], [10, 0, 0, 2], tcp(1, 2, 2))));

/** A datagram using every sample and record type the decoder knows. */
function everything(): Uint8Array {
  return datagram({
    samples: [
      flowSample({
        records: [
          HEADER,
          tlv(1001, u32(1, 0, 2, 0)),
          tlv(1002, [...u32(1), 1, 2, 3, 4, ...u32(8, 16)]),
          tlv(1003, [...u32(1), 5, 6, 7, 8, ...u32(1, 2, 3, 1, 2, 2, 64510, 64520, 1, 99, 100)]),
        ],
      }),
      expandedFlowSample({ records: [tlv(3, [...u32(60, 6), 1, 1, 1, 1, 2, 2, 2, 2, ...u32(1, 2, 3, 4)])] }),
      counterSample(5, [
        genericCounters({ ifIndex: 5, ifSpeed: 1e9, inOctets: 1, outOctets: 2 }),
        ethernetCounters(),
      ]),
      counterSample(6, [genericCounters({ ifIndex: 6, ifSpeed: 1e9, inOctets: 1, outOctets: 2 })], true),
    ],
  });
}

void describe('datagram header', () => {
  void it('a version other than 5 is unknown_format; a short datagram truncated', () => {
    const d = createSflowDecoder();
    assert.deepEqual(d.decode(Uint8Array.from(u32(4, 1, 0)), CTX).errors, { unknown_format: 1 });
    assert.deepEqual(d.decode(Uint8Array.from([0, 5, 0, 1, 0, 0, 0, 0]), CTX).errors, { unknown_format: 1 });
    assert.deepEqual(d.decode(Uint8Array.from([0, 0, 0]), CTX).errors, { truncated: 1 });
    assert.deepEqual(d.decode(new Uint8Array(0), CTX).errors, { truncated: 1 });
  });

  void it('an unknown agent address type is bad_header', () => {
    const b = everything();
    b[7] = 9;
    const out = createSflowDecoder().decode(b, CTX);
    assert.deepEqual(out.errors, { bad_header: 1 });
    assert.equal(out.records.length, 0);
  });

  void it('an IPv6 agent address', () => {
    const d = createSflowDecoder();
    const out = d.decode(
      datagram({ agent: v6(5), subAgentId: 2, samples: [flowSample({ records: [HEADER] })] }),
      CTX,
    );
    assert.deepEqual(out.errors, {});
    assert.equal(out.records[0]?.observationDomain, 2);
    assert.deepEqual(
      d.agents().map((a) => [a.agent, a.subAgentId]),
      [['2001:db8::5', 2]],
    );
  });
});

void describe('hostile and unknown input', () => {
  void it('a sample count of 0xFFFFFFFF: bad_header, the samples present still decoded', () => {
    const b = datagram({ samples: [flowSample({ records: [HEADER] })], count: 0xffffffff });
    const out = createSflowDecoder().decode(b, CTX);
    assert.deepEqual(out.errors, { bad_header: 1 });
    assert.equal(out.records.length, 1);
  });

  void it('a record count of 0xFFFFFFFF: bad_record, bounded by the bytes', () => {
    const sample = flowSample({ records: [HEADER] });
    sample.splice(8 + 28, 4, ...u32(0xffffffff));
    const out = createSflowDecoder().decode(datagram({ samples: [sample] }), CTX);
    assert.deepEqual(out.errors, { bad_record: 1 });
    assert.equal(out.records[0]?.bytes, 1000);
  });

  void it('maxSamplesPerDatagram: limit_exceeded, the first ones kept', () => {
    const samples = Array.from({ length: 5 }, (_, i) => flowSample({ seq: i + 1, records: [HEADER] }));
    const out = createSflowDecoder({ maxSamplesPerDatagram: 3 }).decode(datagram({ samples }), CTX);
    assert.deepEqual(out.errors, { limit_exceeded: 1 });
    assert.equal(out.records.length, 3);
  });

  void it('unknown and enterprise sample and record formats are skipped by length, not errors', () => {
    const enterpriseRecord = tlv((4413 << 12) | 1, u32(1, 2, 3));
    const unknownRecord = tlv(2099, u32(7));
    const samples = [
      tlv(99, u32(1, 2, 3, 4)),
      tlv((9 << 12) | 1, u32(5, 6)),
      flowSample({ records: [enterpriseRecord, unknownRecord, HEADER] }),
    ];
    const out = createSflowDecoder().decode(datagram({ samples }), CTX);
    assert.deepEqual(out.errors, {});
    assert.equal(out.records.length, 1);
    assert.equal(out.records[0]?.dstAddr, '10.0.0.2');
  });

  void it('a sample longer than the datagram is truncated; a record longer than its sample bad_record', () => {
    const long = flowSample({ records: [HEADER] });
    long.splice(4, 4, ...u32(10_000));
    assert.deepEqual(createSflowDecoder().decode(datagram({ samples: [long] }), CTX).errors, {
      truncated: 1,
    });
    const rec = tlv(1, u32(1, 100, 0, 4, 0));
    rec.splice(4, 4, ...u32(4000));
    const out = createSflowDecoder().decode(datagram({ samples: [flowSample({ records: [rec] })] }), CTX);
    assert.deepEqual(out.errors, { bad_record: 1 });
  });

  void it('truncation at every byte offset: never throws, always counted', () => {
    const full = everything();
    const whole = createSflowDecoder().decode(full, CTX);
    assert.deepEqual(whole.errors, {});
    assert.equal(whole.records.length, 2);
    for (let cut = 0; cut < full.length; cut++) {
      const out = createSflowDecoder().decode(full.subarray(0, cut), CTX);
      const errors = Object.values(out.errors).reduce((a, b) => a + b, 0);
      assert.ok(errors >= 1, `cut at ${cut}: no error counted`);
      assert.ok(out.records.length <= 2);
    }
  });

  void it('random bytes after a valid header never throw', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
    const d = createSflowDecoder();
    const base = everything();
    for (let i = 0; i < 2000; i++) {
      const b = Uint8Array.from(base);
      for (let k = 0; k < 8; k++) b[28 + ((rand() * 7 + rand()) % (b.length - 28))] = rand();
      d.decode(b, CTX);
    }
  });
});

void describe('counter samples (0:2, 0:4)', () => {
  void it('keep the latest generic and Ethernet counters per agent and ifIndex; no flow records', () => {
    const d = createSflowDecoder();
    const generic = (inOctets: number) =>
      genericCounters({
        ifIndex: 12,
        ifSpeed: 10e9,
        inOctets,
        outOctets: 2 ** 40 + 5,
        rest: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      });
    const first = d.decode(
      datagram({ seq: 1, samples: [counterSample(12, [generic(100), ethernetCounters()])] }),
      CTX,
    );
    assert.equal(first.records.length, 0);
    const later = { ...CTX, receivedMs: CTX.receivedMs + 30_000 };
    d.decode(datagram({ seq: 2, samples: [counterSample(12, [generic(2 ** 33)], true)] }), later);
    const counters = d.counters();
    assert.equal(counters.length, 1);
    const c = counters[0]!;
    assert.equal(c.agent, '192.0.2.1');
    assert.equal(c.ifIndex, 12);
    assert.equal(c.ifSpeed, 10e9);
    assert.equal(c.ifInOctets, 2 ** 33);
    assert.equal(c.ifOutOctets, 2 ** 40 + 5);
    assert.deepEqual(
      [c.ifInUcastPkts, c.ifInDiscards, c.ifInErrors, c.ifOutUcastPkts, c.ifOutDiscards, c.ifOutErrors],
      [1, 4, 5, 7, 10, 11],
    );
    assert.equal(c.dot3StatsAlignmentErrors, 100);
    assert.equal(c.dot3StatsSymbolErrors, 112);
    assert.equal(c.updatedMs, later.receivedMs);
    assert.deepEqual(d.stats(), { agents: 1, interfaces: 1, drops: 0 });
  });

  void it('interfaces and agents are bounded', () => {
    const d = createSflowDecoder({ maxAgents: 2, maxInterfacesPerAgent: 3 });
    const samples = [1, 2, 3, 4, 5].map((i) =>
      counterSample(i, [genericCounters({ ifIndex: i, ifSpeed: 1, inOctets: 1, outOctets: 1 })]),
    );
    const out = d.decode(datagram({ samples }), CTX);
    assert.deepEqual(out.errors, { limit_exceeded: 2 });
    assert.deepEqual(
      d.counters().map((c) => c.ifIndex),
      [3, 4, 5],
    );
    d.decode(datagram({ agent: [192, 0, 2, 2], samples: [] }), CTX);
    const third = d.decode(datagram({ agent: [192, 0, 2, 3], samples: [] }), CTX);
    assert.deepEqual(third.errors, { limit_exceeded: 1 });
    assert.deepEqual(d.stats(), { agents: 2, interfaces: 0, drops: 0 });
  });
});

void describe('sequence numbers and drops', () => {
  void it('datagram gaps per agent and sub-agent go to lostDatagrams', () => {
    const d = createSflowDecoder();
    assert.equal(d.decode(datagram({ seq: 10, samples: [] }), CTX).lostDatagrams, undefined);
    assert.equal(d.decode(datagram({ seq: 13, samples: [] }), CTX).lostDatagrams, 2);
    assert.equal(d.decode(datagram({ seq: 12, samples: [] }), CTX).lostDatagrams, undefined); // late
    assert.equal(d.decode(datagram({ seq: 14, samples: [] }), CTX).lostDatagrams, undefined);
    assert.equal(d.decode(datagram({ seq: 1, subAgentId: 1, samples: [] }), CTX).lostDatagrams, undefined);
    assert.equal(d.decode(datagram({ seq: 100_000, samples: [] }), CTX).lostDatagrams, 100_000 - 15);
    assert.equal(d.decode(datagram({ seq: 1, samples: [] }), CTX).lostDatagrams, undefined); // restart
    assert.equal(d.decode(datagram({ seq: 3, samples: [] }), CTX).lostDatagrams, 1);
    assert.equal(
      d.decode(datagram({ seq: 0xfffffffe, subAgentId: 2, samples: [] }), CTX).lostDatagrams,
      undefined,
    );
    const wrapped = d.decode(datagram({ seq: 1, subAgentId: 2, samples: [] }), CTX); // ..fe, (ff, 0 lost), 1
    assert.equal(wrapped.lostDatagrams, 2);
    const jump = d.decode(datagram({ seq: 0x7fffffff, subAgentId: 2, samples: [] }), CTX);
    assert.equal(jump.lostDatagrams, undefined); // implausible jump: a restart, not loss
  });

  void it('flow sample gaps per source go to lostRecords; drops accumulate per agent', () => {
    const d = createSflowDecoder();
    const sample = (seq: number, sourceIndex: number, drops: number) =>
      flowSample({ seq, sourceIndex, drops, records: [HEADER] });
    d.decode(datagram({ seq: 1, samples: [sample(100, 1, 5), sample(7, 2, 0)] }), CTX);
    const out = d.decode(datagram({ seq: 2, samples: [sample(104, 1, 9), sample(8, 2, 2)] }), CTX);
    assert.equal(out.lostRecords, 3);
    assert.equal(out.lostDatagrams, undefined);
    const reset = d.decode(datagram({ seq: 3, samples: [sample(105, 1, 1)] }), CTX);
    assert.equal(reset.lostRecords, undefined);
    assert.equal(d.stats().drops, 4 + 2 + 1);
    const [agent] = d.agents();
    assert.deepEqual(
      [agent?.datagrams, agent?.lostSamples, agent?.drops, agent?.lostDatagrams],
      [3, 3, 7, 0],
    );
  });
});
