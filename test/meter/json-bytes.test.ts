/**
 * The meter's JSON number and address writers give the text JSON.stringify
 * gives: digit-pair boundaries, powers of ten, 2^32 and 2^53, times in ms,
 * fractions and negatives, and a deterministic spread of magnitudes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { putIpv4, putNumber } from '../../src/meter/json-bytes.ts';

const text = new TextDecoder();
const b = new Uint8Array(64);

test('putNumber writes what JSON.stringify writes', () => {
  const values = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 99_999, 100_000, 999_999_999, 1e9, 1_000_000_007];
  values.push(2 ** 32 - 1, 2 ** 32, 1_700_000_000_123, 1_700_000_000_000.5, 0.25, -5, -1_700_000_000_123);
  values.push(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, 123_456_789_012_345);
  for (let i = 0, x = 0x9e3779b9; i < 20_000; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    values.push(Math.floor((x / 2 ** 32) * 2 ** (1 + (i % 53))));
  }
  for (const v of values) assert.equal(text.decode(b.subarray(0, putNumber(b, 0, v))), JSON.stringify(v));
});

test('putIpv4 writes the dotted quad', () => {
  for (const a of [0, 1, 0x0a000001, 0xc0a80a64, 0x7f000001, 0xffffffff, 0x01020304, 0x640a0009]) {
    const want = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
    assert.equal(text.decode(b.subarray(0, putIpv4(b, 0, a))), want);
  }
});
