/**
 * Types of the enrichment surface (re-exported by index.ts).
 */
import type { FlowRecord } from '../schema/flow-record.ts';
import type { PayloadInspector } from './app/inspector.ts';
import type { Attribution } from './geo/attributions.ts';
import type { AddressGeo } from './geo/geo-database.ts';
import type { CacheStats } from './lru-cache.ts';
import type { HostNameStats } from './dns/host-names.ts';

/**
 * Fields enrichment fills that FlowRecord does not declare yet (asked for in
 * the schema): the address scope of private/special ranges, MAC vendors, and
 * what payload inspection read.
 */
export interface EnrichedFields {
  srcScope?: string;
  dstScope?: string;
  srcVendor?: string;
  dstVendor?: string;
  serverName?: string;
  ja4?: string;
  httpUserAgent?: string;
}

/** Counters; `timedNs / timedRecords` is the mean cost of one record. */
export interface EnrichStats {
  records: number;
  timedRecords: number;
  timedNs: number;
}

/** A snapshot of every counter of the enricher. */
export interface EnrichStatsSnapshot extends EnrichStats {
  geoCache: CacheStats | undefined;
  names: HostNameStats;
  inspector: { inspected: number; detected: number };
  reloads: number;
}

/** The enricher of one worker. */
export interface Enricher {
  start(): Promise<void>;
  stop(): void;
  /** Fills the record in place. */
  enrich(record: FlowRecord & EnrichedFields): void;
  /** The payload inspector for the meter (nDPI or built-in). */
  readonly inspector: PayloadInspector;
  /** "builtin" or "ndpi <version>". */
  readonly activeDetector: string;
  learnDns(answers: readonly { address: string; name: string; ttlSec: number }[]): void;
  learnAppName(appId: string, name: string): void;
  lookupAddress(addr: string): AddressGeo | undefined;
  attributions(): Attribution[];
  stats(): EnrichStatsSnapshot;
}
