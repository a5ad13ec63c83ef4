/**
 * The live view: traffic kept in memory by the pipeline and served without
 * the store (throughput, active flows and hosts, top lists over the last
 * minutes), and the per-client Prometheus metrics built on it.
 *
 * Producers (decode workers, meters) sum records with `createLiveAggregator`
 * and hand `LiveDelta`s to the main thread's `createLiveState`, which the API
 * (`/api/v1/stats`, WebSocket `/api/v1/live`) and `createClientMetrics` read.
 */

/** Producer side: sums flow records (sampling applied) into one interval's delta; cheap enough for the decode hot path. */
export {
  createLiveAggregator,
  LATE_AFTER_MS,
  CLOCK_RESET_INTERVALS,
  type LiveAggregator,
  type LiveAggregatorOptions,
} from './aggregator.ts';
/** The delta format crossing threads, and the live flow shape. */
export {
  TOP_DIMENSIONS,
  type LiveDelta,
  type LiveFlow,
  type HostDelta,
  type KeyedSums,
  type InterfaceSums,
  type TopDimension,
} from './delta.ts';
/** Main-thread state: merges deltas into sliding windows; snapshot() is what GET /api/v1/stats returns. */
export { createLiveState, type LiveState, type LiveStateDeps, type StatsQuery } from './live-state.ts';
/** The views' shapes. */
export type { StatsSnapshot, ThroughputView, HostView, HostQuery, HostPage, HostSort } from './views.ts';
/** Active flows: their query and page. */
export type { ActiveFlow, FlowPage, FlowQuery, FlowSort } from './active-flows.ts';
/** Top lists and their windows. */
export { TOP_LISTS, WINDOW_SECONDS, type TopEntry, type TopList, type TopWindow } from './top-windows.ts';
/** Per-second series point and per-exporter/interface rates. */
export type { RatePoint, ExporterRate, InterfaceRate } from './throughput.ts';
/** Per-client Prometheus metrics (client_traffic_bytes, ...; contracts.md). */
export { createClientMetrics, type ClientMetrics, type ClientMetricsDeps } from './client-metrics.ts';
/** The `live` configuration section and its defaults. */
export { liveConfigSchema, DEFAULT_LIVE_CONFIG, DEFAULT_LOCAL_NETWORKS, type LiveConfig } from './config.ts';
/** JSON schemas of the stats snapshot (for the OpenAPI document). */
export { statsSnapshotJsonSchema } from './stats-schema.ts';
