/** flowlens_http_* through the Fastify plugin, and flowlens_query_duration_seconds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { createQueryMetrics, httpMetricsPlugin } from '../../src/api/live/index.ts';
import { parsePrometheusText } from '../support/prometheus-text.ts';

test('every response is counted by route pattern, method and status, with its duration', async () => {
  const registry = new Registry();
  const app = Fastify();
  await app.register(httpMetricsPlugin, { registry });
  // Registered in a child context: the hook still covers it.
  await app.register(async (child) => {
    child.get('/api/v1/flows/:id', async (req) =>
      (req.params as { id: string }).id === 'x' ? Promise.reject(new Error('boom')) : { ok: true },
    );
  });
  await app.inject({ url: '/api/v1/flows/1' });
  await app.inject({ url: '/api/v1/flows/2' });
  await app.inject({ url: '/api/v1/flows/x' });
  await app.inject({ url: '/nowhere/123' });
  const s = parsePrometheusText(await registry.metrics());
  const count = (labels: Record<string, string>): number | undefined =>
    s.find(
      (x) =>
        x.name === 'flowlens_http_requests_total' &&
        Object.entries(labels).every(([k, v]) => x.labels[k] === v),
    )?.value;
  assert.equal(count({ route: '/api/v1/flows/:id', method: 'GET', status: '200' }), 2);
  assert.equal(count({ route: '/api/v1/flows/:id', method: 'GET', status: '500' }), 1);
  assert.equal(count({ route: 'unmatched', method: 'GET', status: '404' }), 1);
  const n = s.find(
    (x) =>
      x.name === 'flowlens_http_request_duration_seconds_count' && x.labels['route'] === '/api/v1/flows/:id',
  );
  assert.equal(n?.value, 3);
  await app.close();
});

test('query durations are recorded by kind, failures included', async () => {
  const registry = new Registry();
  let t = 0;
  const q = createQueryMetrics(registry, () => t);
  const r = await q.time('top', async () => {
    t += 30;
    return 7;
  });
  assert.equal(r, 7);
  await assert.rejects(
    q.time('series', async () => {
      t += 2000;
      throw new Error('store down');
    }),
  );
  q.observe('top', 0.5);
  assert.doesNotThrow(
    () => createQueryMetrics(registry),
    'a second helper on the same registry reuses the histogram',
  );
  const s = parsePrometheusText(await registry.metrics());
  const v = (name: string, labels: Record<string, string>) =>
    s.find((x) => x.name === name && Object.entries(labels).every(([k, x2]) => x.labels[k] === x2))?.value;
  assert.equal(v('flowlens_query_duration_seconds_count', { kind: 'top' }), 2);
  assert.equal(v('flowlens_query_duration_seconds_sum', { kind: 'top' }), 0.53);
  assert.equal(v('flowlens_query_duration_seconds_bucket', { kind: 'top', le: '0.05' }), 1);
  assert.equal(v('flowlens_query_duration_seconds_count', { kind: 'series' }), 1);
  assert.equal(v('flowlens_query_duration_seconds_bucket', { kind: 'series', le: '1' }), 0);
});
