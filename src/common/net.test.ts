import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv6, formatMac, formatIpv4 } from './net.ts';

const v6 = (s: string): Uint8Array => {
  const [head = '', tail = ''] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = s.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = new Uint8Array(16);
  groups.forEach((x, i) => {
    const n = parseInt(x, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 255;
  });
  return out;
};

test('formatIpv6 follows RFC 5952', () => {
  assert.equal(formatIpv6(v6('2001:db8:0:0:0:0:2:1'), 0), '2001:db8::2:1');
  assert.equal(formatIpv6(v6('2001:db8:0:1:1:1:1:1'), 0), '2001:db8:0:1:1:1:1:1');
  assert.equal(formatIpv6(v6('2001:0:0:1:0:0:0:1'), 0), '2001:0:0:1::1');
  assert.equal(formatIpv6(v6('2001:db8:0:0:1:0:0:1'), 0), '2001:db8::1:0:0:1');
  assert.equal(formatIpv6(v6('::'), 0), '::');
  assert.equal(formatIpv6(v6('::1'), 0), '::1');
  assert.equal(formatIpv6(v6('fe80::'), 0), 'fe80::');
  const mapped = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 192, 0, 2, 1]);
  assert.equal(formatIpv6(mapped, 0), '::ffff:192.0.2.1');
});

test('formatMac and formatIpv4', () => {
  assert.equal(formatMac(new Uint8Array([0, 1, 0xaa, 0xbb, 0x0c, 0xff]), 0), '00:01:aa:bb:0c:ff');
  assert.equal(formatIpv4(new Uint8Array([9, 10, 0, 1, 2, 3]), 2), '0.1.2.3');
});

test('formatIpv6 agrees with the WHATWG URL serialiser on random addresses (zero runs included)', () => {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let n = 0; n < 5000; n++) {
    const b = new Uint8Array(16);
    // Mostly zero groups, so that runs of every length and position occur.
    for (let g = 0; g < 8; g++) {
      if (rand() % 3 !== 0) continue;
      b[2 * g] = rand() & 255;
      b[2 * g + 1] = rand() & 255;
    }
    const text = formatIpv6(b, 0);
    if (text.startsWith('::ffff:') && text.includes('.')) continue; // WHATWG writes mapped addresses in hex
    assert.equal(text, new URL(`http://[${text}]/`).hostname.slice(1, -1), `address ${n}`);
    assert.equal(formatIpv6(v6(text), 0), text);
  }
});
