/**
 * Enrichment: who and what a flow is. Application protocol and category
 * (payload detectors, nDPI when present, exporter application ids, host
 * names, ports), GeoIP and AS (MaxMind DB files, reloaded on change), host
 * names (DNS answers, reverse DNS, static), MAC vendors (IEEE registries).
 * One enricher per decode worker; every cache is bounded.
 */

/** `createEnricher({ config, clock, log })`: an inert enricher; `start()` loads the databases. */
export { createEnricher, type EnricherDeps } from './enricher.ts';
/** The enricher's surface, the fields it adds beyond FlowRecord, and its counters. */
export type { Enricher, EnrichedFields, EnrichStats, EnrichStatsSnapshot } from './types.ts';
/** The `enrich` configuration section (zod) and its defaults. */
/** IEEE MAC vendor registries (also used by device discovery). */
export { loadMacVendors, type MacVendors } from './oui/mac-vendors.ts';
export { enrichConfigSchema, defaultEnrichConfig, type EnrichConfig } from './config.ts';
/** The payload inspector the meter calls, and what it returns. */
export {
  createBuiltinInspector,
  type PayloadInspector,
  type PayloadSample,
  type AppDetection,
  type FlowPayloads,
} from './app/inspector.ts';
/** DNS message reading, for callers that see DNS traffic (address -> name pairs for `learnDns`). */
export { parseDnsMessage, addressNames, type DnsMessage, type DnsAnswer } from './dns/dns-message.ts';
/** Data sources and licences, for the About page/API. */
export type { Attribution } from './geo/attributions.ts';
/** What is known about one address. */
export type { AddressGeo } from './geo/geo-database.ts';
/** The category taxonomy's built-in names. */
export { CATEGORIES } from './app/categories.ts';
