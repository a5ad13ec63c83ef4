/**
 * Query latency: flowlens_query_duration_seconds{kind}, one histogram for
 * every store query the API runs (kind: "top", "series", "flows", "report",
 * ...; a fixed set chosen by the caller, never user input).
 */
import { Histogram, type Registry } from 'prom-client';

/** Records query durations. */
export interface QueryMetrics {
  /** Records one query of `kind` that took `seconds`. */
  observe(kind: string, seconds: number): void;
  /** Runs `fn` and records its duration, whether it resolves or rejects. */
  time<T>(kind: string, fn: () => Promise<T>): Promise<T>;
}

/** Seconds: from a rollup lookup (ms) to a wide raw scan (tens of s). */
const QUERY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The histogram on `registry` (created once per registry). `now` is a
 * monotonic millisecond clock, performance.now unless given (tests).
 */
export function createQueryMetrics(
  registry: Registry,
  now: () => number = () => performance.now(),
): QueryMetrics {
  const name = 'flowlens_query_duration_seconds';
  const h =
    (registry.getSingleMetric(name) as Histogram<'kind'> | undefined) ??
    new Histogram({
      name,
      help: 'Duration of store queries run for the API, by kind.',
      labelNames: ['kind'],
      buckets: QUERY_BUCKETS,
      registers: [registry],
    });
  return {
    observe: (kind, seconds) => h.observe({ kind }, seconds),
    async time(kind, fn) {
      const t0 = now();
      try {
        return await fn();
      } finally {
        h.observe({ kind }, (now() - t0) / 1000);
      }
    },
  };
}
