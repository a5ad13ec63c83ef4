/**
 * QUIC Initial decryption against RFC 9001 Appendix A, and JA4 against the
 * examples of the FoxIO specification (technical_details/JA4.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { computeJa4, ja4Hash } from '../../src/enrich/app/ja4.ts';
import { clientInitialKeys, quicClientHello } from '../../src/enrich/app/quic-initial.ts';
import type { ClientHello } from '../../src/enrich/app/tls-client-hello.ts';
import { createBuiltinInspector } from '../../src/enrich/index.ts';
import { createCategoryMap } from '../../src/enrich/app/categories.ts';
import { createHostAppMap } from '../../src/enrich/app/host-apps.ts';

/** RFC 9001 A.2: the client's first Initial packet, 1200 bytes, DCID 8394c8f03e515708. */
const A2 = Buffer.from(
  readFileSync(new URL('testdata/rfc9001-a2-client-initial.hex', import.meta.url), 'utf8').trim(),
  'hex',
);

test('RFC 9001 A.1: client Initial keys from the DCID', () => {
  const k = clientInitialKeys(Buffer.from('8394c8f03e515708', 'hex'));
  assert.equal(k.key.toString('hex'), '1f369613dd76d5467730efcbe3b1a22d');
  assert.equal(k.iv.toString('hex'), 'fa044b2f42a3fd3b46fb255c');
  assert.equal(k.hp.toString('hex'), '9f50449e04a0e810283a1e9933adedd2');
});

test('RFC 9001 A.2: the Initial opens and its ClientHello names example.com', () => {
  assert.equal(A2.length, 1200);
  const hello = quicClientHello([A2]);
  assert.ok(hello?.complete);
  assert.equal(hello.serverName, 'example.com');
  assert.deepEqual(hello.alpn, ['alpn']);
  assert.deepEqual(hello.ciphers, [0x1301, 0x1302]);
  assert.match(computeJa4(hello, 'q'), /^q13d0211an_[0-9a-f]{12}_[0-9a-f]{12}$/);
});

test('QUIC through the inspector; a corrupted packet is not opened', () => {
  const inspector = createBuiltinInspector({ hostApps: createHostAppMap(), categories: createCategoryMap() });
  const d = inspector.inspect({ proto: 17, srcPort: 50000, dstPort: 443, fromInitiator: true, payload: A2 });
  assert.equal(d?.l7Proto, 'QUIC');
  assert.equal(d.serverName, 'example.com');
  const bad = Buffer.from(A2);
  bad[100] = bad[100]! ^ 1;
  assert.equal(quicClientHello([bad]), undefined);
  assert.equal(quicClientHello([A2.subarray(0, 40)]), undefined);
});

test('JA4 hashes of the specification examples', () => {
  assert.equal(
    ja4Hash('002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9'),
    '8daaf6152771',
  );
  assert.equal(
    ja4Hash(
      '0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
    ),
    'e5627efa2ab1',
  );
  assert.equal(
    ja4Hash('0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01'),
    '6d807ffa2a79',
  );
});

test('JA4 of the specification hello, GREASE ignored', () => {
  const hello: ClientHello = {
    version: 0x0303,
    ciphers: [
      0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
      0x009d, 0x002f, 0x0035,
    ],
    extensions: [
      0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b,
      0xff01, 0x000b, 0x000a, 0x0015,
    ],
    serverName: 'example.com',
    alpn: ['h2', 'http/1.1'],
    supportedVersions: [0x3a3a, 0x0304, 0x0303],
    signatureAlgorithms: [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
    complete: true,
  };
  assert.equal(computeJa4(hello, 't'), 't13d1516h2_8daaf6152771_e5627efa2ab1');
  assert.equal(
    computeJa4({ ...hello, alpn: [], extensions: hello.extensions.filter((e) => e !== 0) }, 't').slice(0, 10),
    't13i151500',
  );
});
