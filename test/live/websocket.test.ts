/**
 * WebSocket /api/v1/live on a real loopback port with Node's own WebSocket
 * client: authorization, subscriptions, and only subscribed topics pushed.
 * Ticks come from a fake clock, so every push is triggered by the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { registerLiveRoutes, LIVE_URL } from '../../src/api/live/index.ts';
import { createFakeClock } from '../../src/common/clock.ts';
import { createLiveAggregator, createLiveState, DEFAULT_LIVE_CONFIG } from '../../src/live/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { flow, T0 } from './support.ts';

const KEY = 'test-key';

async function setup() {
  const clock = createFakeClock(T0);
  const live = createLiveState({ clock, config: DEFAULT_LIVE_CONFIG });
  live.start();
  const registry = new Registry();
  const app = Fastify();
  await registerLiveRoutes(app, {
    live,
    registry,
    routeConfig: {},
    authorize: (req) => req.headers.authorization === `Bearer ${KEY}`,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `${address.replace(/^http/, 'ws')}${LIVE_URL}`;
  return { clock, live, app, url, registry };
}

/** A client that keeps every message it receives. */
async function connect(url: string): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
  // Node's WebSocket (undici) takes headers in its options: the Bearer key of a script.
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${KEY}` } } as unknown as string[]);
  const messages: Record<string, unknown>[] = [];
  ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('connection failed')));
  });
  return { ws, messages };
}

const waitFor = (
  messages: Record<string, unknown>[],
  what: string,
  pred: (m: Record<string, unknown>) => boolean,
) => pollUntil(() => messages.find(pred), { timeoutMs: 10_000, intervalMs: 10, what });

test('without credentials the upgrade is refused; a plain GET is told to upgrade', async () => {
  const { app, url } = await setup();
  try {
    const closed = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => resolve('opened'));
      ws.addEventListener('error', () => resolve('refused'));
    });
    assert.equal(closed, 'refused');
    const res = await app.inject({ url: LIVE_URL });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'FLOWLENS_ERR_UNAUTHENTICATED');
    const plain = await app.inject({ url: LIVE_URL, headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(plain.statusCode, 426);
  } finally {
    await app.close();
  }
});

test('a client gets only the topics it subscribed to, every tick, until it unsubscribes', async () => {
  const { clock, live, app, url, registry } = await setup();
  try {
    const { ws, messages } = await connect(url);
    const hello = await waitFor(messages, 'hello', (m) => m['type'] === 'hello');
    assert.ok((hello['topics'] as string[]).includes('top-talkers'));
    ws.send(JSON.stringify({ subscribe: ['throughput', 'top-talkers'], limit: 3, window: '5m' }));
    const sub = await waitFor(messages, 'subscribed', (m) => m['type'] === 'subscribed');
    assert.deepEqual(sub, {
      type: 'subscribed',
      topics: ['throughput', 'top-talkers'],
      window: '5m',
      limit: 3,
    });

    const agg = createLiveAggregator({ source: 'w0', startMs: T0 });
    agg.add(flow({ srcAddr: '10.0.0.9', bytes: 4000 }), T0);
    live.apply(agg.drain(T0));
    clock.advance(1000);
    const first = await waitFor(messages, 'an update', (m) => m['type'] === 'update');
    const topics = first['topics'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(topics).sort(), ['throughput', 'top-talkers']);
    assert.equal(first['atMs'], T0 + 1000);
    const talkers = topics['top-talkers'] as { key: string; bytes: number }[];
    assert.ok(talkers.length <= 3);
    assert.deepEqual(
      talkers.map((t) => [t.key, t.bytes]),
      [
        ['10.0.0.9', 4000],
        ['198.51.100.7', 4000],
      ],
    );
    assert.equal((topics['throughput'] as { bps: number }).bps, 4000 * 8);

    ws.send(JSON.stringify({ unsubscribe: ['throughput'], subscribe: ['hosts', 'top-sources'] }));
    await waitFor(messages, 'second subscribed', (m) => m['type'] === 'subscribed' && m !== sub);
    messages.length = 0;
    clock.advance(1000);
    const second = await waitFor(messages, 'the next update', (m) => m['type'] === 'update');
    assert.deepEqual(Object.keys(second['topics'] as object).sort(), ['hosts', 'top-sources', 'top-talkers']);
    const sources = (second['topics'] as Record<string, { addr: string; bpsOut: number }[]>)['top-sources']!;
    assert.deepEqual(
      sources.map((h) => [h.addr, h.bpsOut]),
      [
        ['10.0.0.9', (4000 * 8) / 2],
        ['198.51.100.7', 0],
      ],
    );

    ws.send('{"subscribe":["nope"]}');
    const err = await waitFor(messages, 'an error', (m) => m['type'] === 'error');
    assert.equal((err['error'] as { code: string }).code, 'FLOWLENS_ERR_LIVE_MESSAGE');
    assert.match((err['error'] as { message: string }).message, /unknown topic "nope"/);
    const text = await registry.metrics();
    assert.match(text, /flowlens_live_connections 1/);
    assert.match(text, /flowlens_live_updates_total 2/);
    ws.close();
  } finally {
    await app.close();
  }
});

test('a client with no subscription gets no update', async () => {
  const { clock, app, url } = await setup();
  try {
    const { ws, messages } = await connect(url);
    await waitFor(messages, 'hello', (m) => m['type'] === 'hello');
    clock.advance(3000);
    // A round trip after the ticks: anything pushed by them would have arrived before this answer.
    ws.send('{}');
    await waitFor(messages, 'subscribed', (m) => m['type'] === 'subscribed');
    assert.equal(messages.filter((m) => m['type'] === 'update').length, 0);
    ws.close();
  } finally {
    await app.close();
  }
});
