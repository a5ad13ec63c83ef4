/**
 * Fuzzing the decoders with mutated real datagrams: bit flips, truncation,
 * inflated length and count fields, random template ids. Over a million
 * inputs: nothing may throw, held state stays within its bounds, memory stays
 * flat, and inputs that are broken by construction are counted as errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createFlowDecoder, sniffFormat, type DecodeOutput } from '../src/decode/index.ts';
import { readUdpDatagrams } from '../src/ingest/file/index.ts';
import { sharedCapture } from './support/system-tool.ts';

const INPUTS = 1_050_000;
const EXPORTERS = 512;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A small deterministic PRNG (xorshift32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

async function corpus(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const dir of ['netflow_ipfix', 'netflow_ipfix_vendor_wrapped', 'sflow']) {
    for (const f of readdirSync(sharedCapture(dir)).sort()) {
      for await (const d of readUdpDatagrams(sharedCapture(`${dir}/${f}`)))
        if (sniffFormat(d.payload, true)) out.push(d.payload);
    }
  }
  return out;
}

type Mutation = 'flip' | 'truncate' | 'inflate_length' | 'inflate_count' | 'template_id' | 'splice';

/** Applies one mutation; returns the input and whether it is broken by construction. */
function mutate(base: Uint8Array, kind: Mutation, rnd: () => number): { input: Uint8Array; broken: boolean } {
  const b = Uint8Array.from(base);
  const v = new DataView(b.buffer);
  const version = v.getUint16(0);
  switch (kind) {
    case 'flip': {
      const flips = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < flips; i++) b[Math.floor(rnd() * b.length)]! ^= 1 << Math.floor(rnd() * 8);
      return { input: b, broken: false };
    }
    case 'truncate': {
      // Cut inside the header: no format can be decoded from fewer bytes than its header.
      const headerLen = version === 5 ? 24 : version === 9 ? 20 : version === 10 ? 16 : 28;
      const len = Math.floor(rnd() * Math.min(headerLen, b.length));
      return { input: b.subarray(0, len), broken: len >= 4 };
    }
    case 'inflate_length': {
      // IPFIX message length / first set length past the end of the datagram.
      if (version === 10) v.setUint16(2, Math.min(65_535, b.length + 1 + Math.floor(rnd() * 1000)));
      else if (version === 9 && b.length >= 24) v.setUint16(22, 0xffff);
      else return mutate(base, 'inflate_count', rnd);
      return { input: b, broken: true };
    }
    case 'inflate_count': {
      if (version === 5) v.setUint16(2, 31 + Math.floor(rnd() * 65_000));
      else if (version === 0 && b.length >= 28)
        v.setUint32(v.getUint32(4) === 2 ? 36 : 24, 0xffffffff - Math.floor(rnd() * 100));
      else return { input: b, broken: false };
      return { input: b, broken: true };
    }
    case 'template_id': {
      // Rewrite every set id to a random data-set id or template-set id.
      if (version !== 9 && version !== 10) return mutate(base, 'flip', rnd);
      const setStart = version === 9 ? 20 : 16;
      for (let o = setStart; o + 4 <= b.length;) {
        const len = v.getUint16(o + 2);
        v.setUint16(o, rnd() < 0.2 ? Math.floor(rnd() * 4) : 256 + Math.floor(rnd() * 65_280));
        if (len < 4) break;
        o += len;
      }
      return { input: b, broken: false };
    }
    case 'splice': {
      const cut = Math.floor(rnd() * b.length);
      const tail = Uint8Array.from({ length: Math.floor(rnd() * 600) }, () => Math.floor(rnd() * 256));
      const out = new Uint8Array(cut + tail.length);
      out.set(b.subarray(0, cut));
      out.set(tail, cut);
      return { input: out, broken: false };
    }
  }
}

const errorCount = (o: DecodeOutput): number => Object.values(o.errors).reduce((a, n) => a + (n ?? 0), 0);

test('a million mutated datagrams: no throw, bounded state and memory, broken input counted', async () => {
  const bases = await corpus();
  assert.ok(bases.length > 400, `corpus has ${bases.length} datagrams`);
  const decoder = createFlowDecoder({
    netflow: { maxTemplatesPerExporter: 256, maxPendingPerExporter: 64 },
    sflow: {},
  });
  const rnd = prng(20261121);
  const kinds: Mutation[] = ['flip', 'truncate', 'inflate_length', 'inflate_count', 'template_id', 'splice'];
  const uncounted: Record<string, number> = {};
  let broken = 0;
  let records = 0;
  let heapAfterWarmup = 0;
  const ctx = { exporter: '', receivedMs: 1_700_000_000_000 };
  for (let i = 0; i < INPUTS; i++) {
    const base = bases[i % bases.length]!;
    const kind = kinds[Math.floor(rnd() * kinds.length)]!;
    const { input, broken: isBroken } = mutate(base, kind, rnd);
    const e = i % EXPORTERS;
    ctx.exporter = `10.0.${e >> 8}.${e & 255}`;
    ctx.receivedMs += 1;
    let out: DecodeOutput;
    try {
      out = decoder.decode(input, ctx);
    } catch (err) {
      assert.fail(`input ${i} (${kind} of datagram ${i % bases.length}) threw: ${String(err)}`);
    }
    records += out.records.length;
    if (isBroken) {
      broken++;
      if (errorCount(out) === 0) uncounted[kind] = (uncounted[kind] ?? 0) + 1;
    }
    if (i % 50_000 === 0) decoder.expire(ctx.receivedMs);
    if (i === 100_000) {
      gc();
      heapAfterWarmup = process.memoryUsage().heapUsed;
    }
  }
  decoder.expire(ctx.receivedMs + 3_600_000);
  gc();
  const heapGrowth = process.memoryUsage().heapUsed - heapAfterWarmup;
  const stats = decoder.netflow.stats();
  assert.ok(broken > 100_000, `broken inputs: ${broken}`);
  assert.ok(records > 0);
  assert.deepEqual(uncounted, {}, 'every input broken by construction is counted');
  assert.ok(stats.templates <= 256 * EXPORTERS, `templates ${stats.templates}`);
  assert.equal(stats.pending, 0, 'held data expires');
  assert.ok(heapGrowth < 64 * 2 ** 20, `heap grew ${(heapGrowth / 2 ** 20).toFixed(1)} MiB after warm-up`);
});
