/**
 * The meter's JSON number and address writers give the text JSON.stringify
 * gives: digit-pair boundaries, powers of ten, 2^32 and 2^53, times in ms,
 * fractions and negatives, and a deterministic spread of magnitudes; and the
 * address, MAC and fixed-text writers give what the record path formats.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv6 } from '../../src/common/net.ts';
import { formatAddressWords, formatMacNumber } from '../../src/meter/flow-export.ts';
import {
  encodeText,
  keyOf,
  putFloorMs,
  putIpv4,
  putIpv4Field,
  putIpv4Quoted,
  putIpv6Quoted,
  putKey,
  putMac,
  putMacQuoted,
  putNumber,
  putNumberField,
  putNumberFields,
  putRun,
  putUint32,
  putUintField,
  runOf,
} from '../../src/meter/json-bytes.ts';

const text = new TextDecoder();
const b = new Uint8Array(256);
const d = new DataView(b.buffer);
/** The text a writer wrote at 0 (it returned `end`). */
const written = (end: number): string => text.decode(b.subarray(0, end));

/** A deterministic pseudo-random sequence (LCG). */
function* randoms(n: number, seed = 0x9e3779b9): Generator<number> {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    yield x;
  }
}

test('putNumber writes what JSON.stringify writes', () => {
  const values = [
    0, -0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10_000, 99_999, 100_000, 999_999_999, 1e9,
  ];
  values.push(99_999_999, 100_000_000, 100_000_001, 1_000_000_007, 2 ** 32 - 1, 2 ** 32, 1_700_000_000_123);
  values.push(1_700_000_000_000.5, 0.25, -5, -1_700_000_000_123, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21);
  values.push(123_456_789_012_345, 4_299_999_999_999, 9_007_199_199_999_999, 9_007_199_200_000_000);
  values.push(NaN, Infinity, -Infinity, 1.5e-7, -0.5);
  let i = 0;
  for (const x of randoms(20_000)) values.push(Math.floor((x / 2 ** 32) * 2 ** (1 + (i++ % 53))));
  for (const v of values) assert.equal(written(putNumber(d, 0, v)), JSON.stringify(v), String(v));
});

test('putUint32 writes the decimal digits of integers below 2^32', () => {
  const values = [0, 9, 10, 9999, 10_000, 65_535, 99_999_999, 100_000_000, 4_294_967_295, ...randoms(5000)];
  for (const v of values) assert.equal(written(putUint32(d, 0, v)), String(v));
});

test('putIpv4 writes the dotted quad, putIpv4Quoted with a closing quote', () => {
  for (const a of [
    0,
    1,
    0x0a000001,
    0xc0a80a64,
    0x7f000001,
    0xffffffff,
    0x01020304,
    0x640a0009,
    ...randoms(1000),
  ]) {
    const want = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
    assert.equal(written(putIpv4(d, 0, a)), want);
    assert.equal(written(putIpv4Quoted(d, 0, a)), `${want}"`);
  }
});

test('putIpv6Quoted writes what formatIpv6 writes (RFC 5952), with a closing quote', () => {
  const words = new Uint32Array(8);
  const wordBytes = new Uint8Array(16);
  const check = (): void => {
    for (let i = 0; i < 4; i++) new DataView(wordBytes.buffer).setUint32(4 * i, words[4 + i]!);
    assert.equal(written(putIpv6Quoted(d, 0, words, 4)), `${formatIpv6(wordBytes, 0)}"`);
    assert.equal(formatAddressWords(words, 4, 6), formatIpv6(wordBytes, 0));
  };
  const fixed = [
    [0, 0, 0, 0],
    [0, 0, 0, 1],
    [0x20010db8, 0, 0, 1],
    [0x20010db8, 0, 1, 0],
    [0x20010db8, 0x00010000, 0, 0x00010000],
    [0, 0, 0xffff, 0x0a000001],
    [0, 0, 0xffff, 0],
    [0, 0, 0x0000ffff, 0xc0a80001],
    [0xfe800000, 0, 0x02112233, 0x44556677],
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0x00010000, 0x00010000, 0x00010000, 0x00010000],
  ];
  for (const f of fixed) {
    words.set(f, 4);
    check();
  }
  // Random groups, a third of them zero (runs of zeros of every length and place) or small.
  const r = randoms(4 * 8 * 3000);
  for (let n = 0; n < 3000; n++) {
    for (let i = 0; i < 4; i++) {
      const g = (): number => {
        const x = r.next().value!;
        return x % 3 === 0 ? 0 : x % 3 === 1 ? (x >>> 8) & 0xff : x >>> 16;
      };
      words[4 + i] = ((g() << 16) | g()) >>> 0;
    }
    check();
  }
});

test('putMac writes what formatMacNumber writes, putMacQuoted with a closing quote', () => {
  const macs = [0, 1, 0x001122334401, 0xffffffffffff, 0x0a0b0c0d0e0f, 0x800000000000];
  for (const x of randoms(1000)) macs.push((x % 0x10000) * 0x100000000 + (Math.imul(x, 2_654_435_761) >>> 0));
  for (const m of macs) {
    assert.equal(written(putMac(d, 0, m)), formatMacNumber(m));
    assert.equal(written(putMacQuoted(d, 0, m)), `${formatMacNumber(m)}"`);
  }
});

test('putKey and putRun write their text (UTF-8 too) and return the offset after it', () => {
  for (const s of [',"a":', ',"end":', ',"reverseTcpFlags":', ',"outerSrcAddr":"', 'x'.repeat(24)])
    assert.equal(written(putKey(d, 0, keyOf(s))), s);
  assert.throws(() => keyOf('x'.repeat(25)));
  for (const s of ['', '}\n', '{"type":"packets","exporter":"/tmp/ü\\"x€𝄞.pcap"', 'y'.repeat(100)])
    assert.equal(written(putRun(d, 0, runOf(encodeText(s)))), s);
});

test('putFloorMs writes what JSON.stringify writes of Math.floor', () => {
  const values = [0, 0.5, -1.5, 999_999_999_999, 999_999_999_999.9, 1e12, 1e12 + 0.25, 1_700_000_000_123.456];
  values.push(
    9_999_999_999_999,
    9_999_999_999_999.5,
    1e13,
    2 ** 53,
    NaN,
    Infinity,
    -Infinity,
    1_000_000_010_000,
  );
  for (const x of randoms(5000))
    values.push(1e12 + (x / 2 ** 32) * 9e12, 1_700_000_000_000 + (x % 100_000) / 8);
  for (const v of values)
    assert.equal(written(putFloorMs(d, 0, v)), JSON.stringify(Math.floor(v)), String(v));
});

test('field writers write the key, then the value as the value writers do', () => {
  const k = keyOf(',"f":');
  const ks = keyOf(',"s":"');
  for (const n of [0, 9_999, 10_000, 4_294_967_295, ...randoms(500)])
    assert.equal(written(putUintField(d, 0, k, n)), `,"f":${n}`);
  for (const n of [0, -0, 1, 9_999, 10_000, 0.5, -3, 1e21, 2 ** 40, NaN, ...randoms(500)])
    assert.equal(written(putNumberField(d, 0, k, n)), `,"f":${JSON.stringify(n)}`);
  assert.equal(written(putIpv4Field(d, 0, ks, 0x0a000102)), ',"s":"10.0.1.2"');
});

test('putNumberFields writes each key and value as putNumberField does, in order', () => {
  const keys = [keyOf(',"a":'), keyOf(',"reversePackets":'), keyOf(',"x":')];
  const values = [
    0,
    9_999,
    10_000,
    99_999_999,
    100_000_000,
    4_294_967_295,
    4_294_967_296,
    0.5,
    -3,
    2 ** 53,
    NaN,
  ];
  for (const x of randoms(300)) values.push(x, x % 100_000_000, x / 7);
  const k = new Int32Array(3);
  const v = new Float64Array(3);
  const big = new Uint8Array(512);
  const bd = new DataView(big.buffer);
  for (let i = 0; i + 3 <= values.length; i++) {
    let want = '';
    for (let j = 0; j < 3; j++) {
      k[j] = keys[j]!;
      v[j] = values[i + j]!;
      want += written(putNumberField(d, 0, keys[j]!, values[i + j]!));
    }
    const end = putNumberFields(bd, 5, k, v, 3);
    assert.equal(text.decode(big.subarray(5, end)), want, String(values.slice(i, i + 3)));
  }
  assert.equal(putNumberFields(bd, 7, k, v, 0), 7);
});
