import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetflowDecoder } from './index.ts';
import { ByteWriter, ipfixMessage, ipfixTemplate, set, v9Packet } from './test-builders.ts';

const ctx = { exporter: '203.0.113.66', receivedMs: 0 };

test('set length 0 and < 4 stop the walk with an error (no endless loop)', () => {
  const dec = createNetflowDecoder();
  for (const len of [0, 1, 3]) {
    const msg = ipfixMessage([new ByteWriter().u16(300).u16(len).u32(0xffffffff).build()]);
    assert.equal(dec.decode(msg, ctx).errors.bad_record, 1, `length ${len}`);
    const v9 = v9Packet([new ByteWriter().u16(300).u16(len).u32(0xffffffff).build()]);
    assert.equal(dec.decode(v9, ctx).errors.bad_record, 1, `v9 length ${len}`);
  }
});

test('a field count larger than the set is a bad template, nothing allocated for it', () => {
  const dec = createNetflowDecoder();
  const msg = ipfixMessage([set(2, new ByteWriter().u16(300).u16(65535).u16(8).u16(4).build())]);
  assert.deepEqual(dec.decode(msg, ctx).errors, { bad_template: 1 });
  const v9 = v9Packet([set(0, new ByteWriter().u16(300).u16(65535).u16(8).u16(4).build())]);
  assert.deepEqual(dec.decode(v9, ctx).errors, { bad_template: 1 });
  assert.equal(dec.stats().templates, 0);
});

test('a template whose fields are all zero-length is refused', () => {
  const dec = createNetflowDecoder();
  const out = dec.decode(
    ipfixMessage([
      set(
        2,
        ipfixTemplate(300, [
          [8, 0],
          [12, 0],
        ]),
      ),
    ]),
    ctx,
  );
  assert.deepEqual(out.errors, { bad_template: 1 });
});

test('a set or header length beyond the datagram is truncated', () => {
  const dec = createNetflowDecoder();
  const msg = ipfixMessage([set(2, ipfixTemplate(300, [[8, 4]]))]);
  // Both the message header and the last set claim bytes that are not there.
  assert.equal(dec.decode(msg.subarray(0, msg.length - 2), ctx).errors.truncated, 2);
  assert.equal(dec.decode(msg.subarray(0, 10), ctx).errors.truncated, 1);
  assert.equal(
    dec.decode(Uint8Array.from([0, 10, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), ctx).errors.bad_header,
    1,
  );
});

test('a variable-length field running past the set is a bad record', () => {
  const dec = createNetflowDecoder();
  dec.decode(ipfixMessage([set(2, ipfixTemplate(300, [[82, 0xffff]]))]), ctx);
  const out = dec.decode(ipfixMessage([set(300, new ByteWriter().u8(255).u16(5000).u8(1).build())]), ctx);
  assert.equal(out.errors.bad_record, 1);
  assert.equal(out.records.length, 0);
});

test('fuzz: random and mutated datagrams never throw', () => {
  const dec = createNetflowDecoder({ maxPendingPerExporter: 8 });
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const base = ipfixMessage([
    set(
      2,
      ipfixTemplate(300, [
        [8, 4],
        [82, 0xffff],
        [1, 8],
      ]),
    ),
    set(300, new ByteWriter().ipv4('1.2.3.4').u8(2).u16(0).u64(9).build()),
  ]);
  for (let i = 0; i < 3000; i++) {
    const b = i % 2 === 0 ? Uint8Array.from(base) : new Uint8Array(Math.floor(rand() * 200));
    for (let k = 0; k < 1 + Math.floor(rand() * 6); k++)
      b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    if (i % 3 === 0 && b.length > 1) b[1] = [5, 9, 10][i % 3 === 0 ? Math.floor(rand() * 3) : 0] ?? 10;
    assert.doesNotThrow(() => dec.decode(b, ctx));
  }
});
