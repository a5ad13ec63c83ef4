/**
 * HTTP self-metrics: requests by route, method and status, and their
 * durations. The route label is the route's pattern ("/api/v1/flows/:id"),
 * never the raw URL, and "unmatched" for 404s, so its cardinality is the
 * number of routes.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Options of httpMetricsPlugin. */
export interface HttpMetricsOptions {
  registry: Registry;
}

/** Seconds: from 1 ms (a cached /api/v1/stats) to 10 s (a long report query). */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A metric of `registry` by name, created once (the plugin may be registered on several apps). */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

async function httpMetrics(app: FastifyInstance, opts: HttpMetricsOptions): Promise<void> {
  const registers = [opts.registry];
  const requests = once(
    opts.registry,
    'flowlens_http_requests_total',
    () =>
      new Counter({
        name: 'flowlens_http_requests_total',
        help: 'HTTP requests answered, by route pattern, method and status code.',
        labelNames: ['route', 'method', 'status'],
        registers,
      }),
  );
  const duration = once(
    opts.registry,
    'flowlens_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'flowlens_http_request_duration_seconds',
        help: 'Time from request to response, by route pattern and method.',
        labelNames: ['route', 'method'],
        buckets: DURATION_BUCKETS,
        registers,
      }),
  );
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    duration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });
}

// Not encapsulated (Fastify's skip-override, as fastify-plugin sets it): the hook covers every route of the app.
Object.assign(httpMetrics, { [Symbol.for('skip-override')]: true });

/**
 * Fastify plugin counting every response in flowlens_http_requests_total
 * {route,method,status} and flowlens_http_request_duration_seconds
 * {route,method}. Register it before the routes: `app.register(httpMetricsPlugin, { registry })`.
 */
export const httpMetricsPlugin: FastifyPluginAsync<HttpMetricsOptions> = httpMetrics;
