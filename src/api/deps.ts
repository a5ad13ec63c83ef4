import type { DevicesApiPort } from './routes/devices.ts';
import type { GeoPort } from './routes/geo.ts';
/** What the API needs from the rest of the service, each by its narrowest interface. */
import type { Readable } from 'node:stream';
import type { AuthStore, SessionStore } from '../auth/index.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { Attribution } from '../enrich/index.ts';
import type { Recording, RecordingRequest } from '../ingest/recording/index.ts';
import type { ExporterSummary } from '../pipeline/exporter-table.ts';
import type { StatsQuery, StatsSnapshot } from '../live/index.ts';
import type { QueryEngine } from '../query/index.ts';

/** The recorder as the API uses it (src/ingest/recording). */
export interface RecordingsPort {
  start(req: RecordingRequest): Promise<Recording>;
  stop(id: string): Promise<Recording>;
  list(): Promise<Recording[]>;
  open(id: string, file: string): Promise<Readable>;
  delete(id: string): Promise<void>;
}

/** Security settings of the HTTP side (config `http` and `auth`). */
export interface ApiSecurityOptions {
  /** Cookies get `Secure`. */
  secureCookies: boolean;
  corsOrigins: readonly string[];
  /** API requests per client per window; 0: no limit. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  loginMax: number;
  loginWindowMs: number;
  /** When not empty, /metrics asks for it as a Bearer token. */
  metricsToken: string;
}

/** Dependencies of the REST API. */
export interface ApiDeps {
  clock: Clock;
  log: Logger;
  version: string;
  storageEngine: string;
  /** History; undefined when no store is available (routes answer 503). */
  queries: QueryEngine | undefined;
  exporters(): ExporterSummary[];
  recordings: RecordingsPort | undefined;
  enrichment: { attributions(): Attribution[]; readonly activeDetector: string };
  /** The live state's snapshot (src/live); undefined until it is connected (the route answers 503). */
  stats: ((q: StatsQuery) => StatsSnapshot) | undefined;
  /** live.localNetworks: the edge that `direction=in|out` of the history routes is measured at (default: the live defaults). */
  localNetworks?: readonly string[] | undefined;
  /** Geo lookups for the map and host pages; undefined when enrich.geo is off (routes answer 503). */
  geo?: GeoPort | undefined;
  /** The device inventory; undefined when discovery is off (routes answer 503). */
  devices?: DevicesApiPort | undefined;
  auth: AuthStore;
  sessions: SessionStore;
  security: ApiSecurityOptions;
}
