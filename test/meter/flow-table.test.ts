/**
 * The flow table's index (linear probing, entries tagged with high bits of
 * the hash, backward-shift deletion) finds every flow it holds and none it
 * does not, when many flows share a probe start, some a whole hash, others
 * differ only in the tag's bits; through removals and growth.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFlowKey, type FlowKey } from '../../src/meter/flow-key.ts';
import { createFlowTable, type FlowTable } from '../../src/meter/flow-table.ts';

/** Flow `i`'s key: port i, and a hash whose low 12 bits are the same for all (one probe start). */
function key(i: number): FlowKey {
  const k = createFlowKey();
  k.addr.set([0, 0, 0, 0x0a000001, 0, 0, 0, 0x0a000002]);
  k.ports = ((1024 + i) << 16) | 443;
  k.meta = 6 | (4 << 8);
  // Every third flow shares its whole hash with the one before; the others differ in the high bits only.
  k.hash = ((Math.floor(i / 3) * 2 + (i % 3 === 2 ? 1 : 0)) * 0x01000000 + 0x0abc) >>> 0;
  return k;
}

/** Inserts `k` as the meter does (its key in the slot's columns); returns the slot. */
function insert(t: FlowTable, k: FlowKey): number {
  const s = t.insert(k.hash);
  assert.ok(s >= 0);
  const c = t.cols;
  c.keyAddr.set(k.addr, s * 8);
  c.keyPorts[s] = k.ports;
  c.keyMeta[s] = k.meta;
  c.keyVlan[s] = k.vlan;
  c.keyScope[s] = k.scope;
  return s;
}

test('every flow held is found and no other, through removals and growth', () => {
  const n = 6000; // past the index's first size (4,096 slots): it grows and every entry is placed again
  const t = createFlowTable(10_000);
  const keys = Array.from({ length: n }, (_, i) => key(i));
  const slots = keys.map((k) => insert(t, k));
  assert.equal(t.size, n);
  keys.forEach((k, i) => assert.equal(t.find(k), slots[i], `flow ${i}`));
  for (let i = 0; i < n; i += 3) t.remove(slots[i]!);
  keys.forEach((k, i) => assert.equal(t.find(k), i % 3 === 0 ? -1 : slots[i], `flow ${i} after removals`));
  for (let i = 0; i < n; i += 3) slots[i] = insert(t, keys[i]!);
  keys.forEach((k, i) => assert.equal(t.find(k), slots[i], `flow ${i} inserted again`));
  assert.equal(t.find(key(n + 1)), -1);
  assert.equal(t.size, n);
});

test('the tag leaves room for the largest slot: a million flows, the columns grown and copied on the way', () => {
  const t = createFlowTable(1_000_000);
  const k = createFlowKey();
  k.meta = 6 | (4 << 8);
  // Every tag bit set (the high 12 of 32: 20 bits hold slot + 1 up to 1,000,000), distinct probe starts.
  const flow = (i: number): FlowKey => {
    k.ports = i;
    k.hash = (0xfff00000 | i) >>> 0;
    return k;
  };
  let last = -1;
  for (let i = 0; i < 1_000_000; i++) last = insert(t, flow(i));
  assert.equal(last, 999_999);
  assert.equal(t.find(flow(999_999)), 999_999);
  assert.equal(t.find(flow(0)), 0);
  assert.equal(t.find(flow(1_000_000)), -1);
});
