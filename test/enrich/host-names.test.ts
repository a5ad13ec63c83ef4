/**
 * Host names: learnt from DNS answers, static, and reverse DNS against a DNS
 * responder this test runs on 127.0.0.1 (no other resolver is contacted),
 * with the cache, negative caching and the rate limit.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { createFakeClock } from '../../src/common/clock.ts';
import { createHostNames, type ReverseOptions } from '../../src/enrich/dns/host-names.ts';
import { addressNames, parseDnsMessage } from '../../src/enrich/index.ts';

/** Encodes a name as DNS labels (RFC 1035 §3.1). */
function labels(name: string): Buffer {
  const parts = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** A PTR responder: 7.0.0.10.in-addr.arpa -> laptop-anna.lan, NXDOMAIN otherwise. */
async function startResponder(): Promise<{ port: number; queries: () => number; close: () => void }> {
  const sock = createSocket('udp4');
  let queries = 0;
  sock.on('message', (q, rinfo) => {
    queries++;
    const msg = parseDnsMessage(q);
    const known = msg?.qname === '7.0.0.10.in-addr.arpa';
    const qEnd = 12 + labels(msg?.qname ?? '').length + 4;
    const header = Buffer.from(q.subarray(0, 12));
    header.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // response, RD, RA; rcode 0 or 3 (NXDOMAIN)
    header.writeUInt16BE(known ? 1 : 0, 6);
    const answer = known
      ? Buffer.concat([
          Buffer.from([0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60]),
          (() => {
            const rd = labels('laptop-anna.lan');
            return Buffer.concat([Buffer.from([rd.length >> 8, rd.length & 0xff]), rd]);
          })(),
        ])
      : Buffer.alloc(0);
    sock.send(Buffer.concat([header, q.subarray(12, qEnd), answer]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return { port: sock.address().port, queries: () => queries, close: () => sock.close() };
}

const reverse = (port: number, over: Partial<ReverseOptions> = {}): ReverseOptions => ({
  enabled: true,
  servers: [`127.0.0.1:${port}`],
  cacheEntries: 100,
  positiveTtlMs: 60_000,
  negativeTtlMs: 10_000,
  queriesPerSecond: 100,
  timeoutMs: 2_000,
  ...over,
});

test('reverse DNS through a local responder: cached, negative cached', async (t) => {
  const dns = await startResponder();
  t.after(() => dns.close());
  const clock = createFakeClock();
  const names = createHostNames(
    { staticNames: {}, learnedEntries: 10, minLearnedTtlMs: 0, reverse: reverse(dns.port) },
    { clock },
  );
  t.after(() => names.stop());
  assert.equal(await names.reverse('10.0.0.7'), 'laptop-anna.lan');
  assert.equal(names.nameOf('10.0.0.7'), 'laptop-anna.lan');
  assert.equal(await names.reverse('10.0.0.8'), undefined);
  assert.equal(await names.reverse('10.0.0.8'), undefined);
  assert.equal(dns.queries(), 2, 'one query per address; the failure is cached');
  clock.advance(10_001);
  assert.equal(await names.reverse('10.0.0.8'), undefined);
  assert.equal(dns.queries(), 3, 'the negative entry expired');
});

test('reverse DNS is rate limited', async (t) => {
  const dns = await startResponder();
  t.after(() => dns.close());
  const clock = createFakeClock();
  const names = createHostNames(
    {
      staticNames: {},
      learnedEntries: 10,
      minLearnedTtlMs: 0,
      reverse: reverse(dns.port, { queriesPerSecond: 2 }),
    },
    { clock },
  );
  t.after(() => names.stop());
  await Promise.all(['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4'].map((a) => names.reverse(a)));
  assert.equal(names.stats.reverseQueries, 2);
  assert.equal(names.stats.reverseRateLimited, 2);
  clock.advance(1_000);
  await names.reverse('10.0.1.5');
  assert.equal(names.stats.reverseQueries, 3);
});

test('names learnt from DNS answers and static names win over reverse DNS', () => {
  const clock = createFakeClock();
  const names = createHostNames(
    {
      staticNames: { '10.0.0.7': 'laptop-anna' },
      learnedEntries: 2,
      minLearnedTtlMs: 0,
      reverse: reverse(1, { enabled: false }),
    },
    { clock },
  );
  // www.youtube.com CNAME youtube-ui.l.google.com A 142.250.74.46 (hand-built response).
  const q = labels('www.youtube.com');
  const cnameTarget = labels('youtube-ui.l.google.com');
  const msg = Buffer.concat([
    Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]),
    q,
    Buffer.from([0, 1, 0, 1]),
    Buffer.from([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 30, 0, cnameTarget.length]),
    cnameTarget,
    Buffer.from([0xc0, 12 + q.length + 4 + 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 142, 250, 74, 46]),
  ]);
  const parsed = parseDnsMessage(msg);
  assert.ok(parsed);
  names.learn(addressNames(parsed));
  assert.equal(names.nameOf('142.250.74.46'), 'www.youtube.com');
  assert.equal(names.nameOf('10.0.0.7'), 'laptop-anna');
  clock.advance(31_000);
  assert.equal(names.nameOf('142.250.74.46'), undefined, 'the answer TTL expired');
});
