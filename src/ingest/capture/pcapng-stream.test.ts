import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { readPackets, type CapturedPacket } from '../file/index.ts';
import {
  createPcapngParser,
  PcapngStreamError,
  readPacketsFromStream,
  type InterfaceStatistics,
} from './index.ts';

const capture = (rel: string): string =>
  new URL(`../../../../shared/captures/${rel}`, import.meta.url).pathname;
const FILES = ['tunnels/gre.pcapng', 'mixed_voip_retrans/rtp.pcapng', 'dhcp/dhcpv6cap.pcapng'];

async function fromFile(path: string): Promise<CapturedPacket[]> {
  const out: CapturedPacket[] = [];
  for await (const p of readPackets(path)) out.push(p);
  return out;
}

/** Splits `b` into chunks of the sizes `sizes` cycles through, as a pipe might. */
function chunked(b: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < b.length; k++) {
    const n = sizes[k % sizes.length] ?? 1;
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

for (const rel of FILES) {
  test(`stream parsing of ${rel} matches the file reader, whatever the chunking`, async () => {
    const bytes = readFileSync(capture(rel));
    const expected = await fromFile(capture(rel));
    assert.ok(expected.length > 0);
    // One-byte chunks only for small files: a Readable of millions of chunks is slow, not the parser.
    const chunkings = bytes.length < 200_000 ? [[1], [3, 7, 4096], [65_536]] : [[5, 11, 97], [65_536]];
    for (const sizes of chunkings) {
      const got: CapturedPacket[] = [];
      for await (const p of readPacketsFromStream(Readable.from(chunked(bytes, sizes)))) got.push(p);
      assert.deepEqual(got, expected, `chunk sizes ${sizes.join(',')}`);
    }
  });
}

/** A little-endian pcapng block: type, body padded to 4, lengths around it. */
function block(type: number, body: number[]): Uint8Array {
  const padded = [...body, ...new Array<number>((4 - (body.length % 4)) % 4).fill(0)];
  const len = 12 + padded.length;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  Buffer.from(padded).copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}
const u16 = (n: number): number[] => [n & 0xff, n >> 8];
const u32 = (n: number): number[] => [...u16(n & 0xffff), ...u16(n >>> 16)];
const u64 = (n: number): number[] => [...u32(n % 2 ** 32), ...u32(Math.floor(n / 2 ** 32))];
const opt = (code: number, v: number[]): number[] => [
  ...u16(code),
  ...u16(v.length),
  ...v,
  ...new Array<number>((4 - (v.length % 4)) % 4).fill(0),
];

test('interface statistics (ISB) report received and dropped counts with the interface name', () => {
  const shb = block(0x0a0d0d0a, [
    ...u32(0x1a2b3c4d),
    ...u16(1),
    ...u16(0),
    ...u32(0xffffffff),
    ...u32(0xffffffff),
  ]);
  const idb = block(1, [
    ...u16(1),
    ...u16(0),
    ...u32(0),
    ...opt(2, [...Buffer.from('veth0')]),
    ...opt(0, []),
  ]);
  const epb = block(6, [...u32(0), ...u32(0), ...u32(1_000_000), ...u32(4), ...u32(60), 1, 2, 3, 4]);
  const isb = block(5, [...u32(0), ...u64(0), ...opt(4, u64(12)), ...opt(5, u64(3)), ...opt(0, [])]);
  const stats: InterfaceStatistics[] = [];
  const packets: CapturedPacket[] = [];
  const names: (string | undefined)[] = [];
  const parser = createPcapngParser({
    pushFrame: (tsMs, linkType, data, start, end, origLen) =>
      packets.push({ tsMs, linkType, data: data.slice(start, end), origLen }),
    onStatistics: (s) => stats.push(s),
    onInterface: (_id, _lt, name) => names.push(name),
  });
  for (const b of [shb, idb, epb, isb]) parser.write(b);
  assert.deepEqual(names, ['veth0']);
  assert.deepEqual(stats, [{ interfaceId: 0, name: 'veth0', received: 12, dropped: 3 }]);
  assert.equal(packets.length, 1);
  assert.equal(packets[0]?.tsMs, 1000);
  assert.equal(packets[0]?.origLen, 60);
  assert.deepEqual([...(packets[0]?.data ?? [])], [1, 2, 3, 4]);
  assert.equal(parser.pending, 0);
});

test('a stream that is not pcapng is refused with a stable code', () => {
  const parser = createPcapngParser({ pushFrame: () => undefined });
  assert.throws(
    () => parser.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    (e: unknown) => e instanceof PcapngStreamError && e.code === 'FLOWLENS_ERR_PCAPNG_STREAM',
  );
});
