/**
 * The live part of the HTTP API: WebSocket /api/v1/live, and the HTTP and
 * query self-metrics (flowlens_http_*, flowlens_query_duration_seconds).
 * GET /api/v1/stats is the API core's route; it serves `LiveState.snapshot()`.
 */

/** Registers WebSocket /api/v1/live (per-topic subscriptions, pushed every live tick). */
export { registerLiveRoutes, LIVE_URL, type LiveRoutesOptions } from './live-socket.ts';
/** The WebSocket protocol: topics, client message parsing and the messages' JSON schemas. */
export {
  LIVE_TOPICS,
  LIVE_MESSAGE_SCHEMAS,
  MAX_LIST_LIMIT,
  parseClientMessage,
  type LiveTopic,
  type ClientMessage,
} from './messages.ts';
/** Fastify plugin: flowlens_http_requests_total and flowlens_http_request_duration_seconds. */
export { httpMetricsPlugin, type HttpMetricsOptions } from './http-metrics.ts';
/** flowlens_query_duration_seconds{kind}: observe or time the API's store queries. */
export { createQueryMetrics, type QueryMetrics } from './query-metrics.ts';
