import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostSums } from './host-sums.ts';

const isLocal = (a: string): boolean => a.startsWith('10.');

test('sums per host, IPv4 and IPv6, with names and the local flag', () => {
  const h = new HostSums(16, isLocal);
  const a = h.slot('10.0.0.1', undefined);
  h.add(a, 100, 0, 0, 0);
  const b = h.slot('2001:db8::1', 'six');
  h.add(b, 0, 0, 50, 0);
  assert.equal(h.slot('10.0.0.1', 'laptop'), a);
  h.add(a, 1, 0, 0, 0);
  assert.equal(h.slot('2001:db8::1', undefined), b);
  assert.equal(h.local[a], 1);
  assert.equal(h.local[b], 0);
  const out = h.drain().sort((x, y) => x.addr.localeCompare(y.addr));
  assert.deepEqual(out, [
    { addr: '10.0.0.1', bytesOut: 101, packetsOut: 0, bytesIn: 0, packetsIn: 0, flows: 2, name: 'laptop' },
    { addr: '2001:db8::1', bytesOut: 0, packetsOut: 0, bytesIn: 50, packetsIn: 0, flows: 1, name: 'six' },
  ]);
  assert.equal(h.size, 0);
  assert.deepEqual(h.drain(), []);
});

test('on overflow the lighter half goes and the heavy hosts keep their sums and stay findable', () => {
  const h = new HostSums(64, isLocal);
  // 31 heavy hosts (both families: under half the bound), then a flood of one-byte hosts.
  for (let k = 0; k < 31; k++) {
    const addr = k % 2 === 0 ? `192.0.2.${k}` : `2001:db8::${k.toString(16)}`;
    h.add(h.slot(addr, undefined), 1_000_000 + k, 0, 0, 0);
  }
  for (let k = 0; k < 1000; k++) {
    h.add(h.slot(`10.1.${k >> 8}.${k & 255}`, undefined), 1, 0, 0, 0);
  }
  assert.ok(h.pruned > 0, 'pruning happened');
  assert.ok(h.size <= 64);
  // Adding to a heavy host after pruning lands on its existing slot.
  for (let k = 0; k < 31; k++) {
    const addr = k % 2 === 0 ? `192.0.2.${k}` : `2001:db8::${k.toString(16)}`;
    h.add(h.slot(addr, undefined), 1, 0, 0, 0);
  }
  const out = h.drain();
  const heavy = out.filter((d) => d.bytesOut > 1000);
  assert.equal(heavy.length, 31);
  for (const d of heavy)
    assert.equal(
      d.bytesOut % 1_000_000,
      1 + Number.parseInt(d.addr.split(/[.:]/).at(-1)!, d.addr.includes(':') ? 16 : 10),
    );
  assert.equal(new Set(out.map((d) => d.addr)).size, out.length, 'no host twice');
});
