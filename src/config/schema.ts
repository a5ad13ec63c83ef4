import { z } from 'zod';
import { devicesConfigSchema } from '../devices/config.ts';
import { enrichConfigSchema } from '../enrich/config.ts';
import { liveConfigSchema } from '../live/config.ts';
import { parseDuration, parseListen, parseSize, type ListenAddress } from './units.ts';

/** A listener: "host:port", a list of them, or "" (switched off). */
const listen = z.union([z.string(), z.array(z.string())]).transform((v, ctx): ListenAddress[] => {
  const list = (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
  const out: ListenAddress[] = [];
  for (const s of list) {
    const a = parseListen(s);
    if (!a) ctx.addIssue({ code: 'custom', message: `expected "host:port" or "[ipv6]:port", got "${s}"` });
    else out.push(a);
  }
  return out;
});

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined)
    ctx.addIssue({ code: 'custom', message: `expected a duration like "90s" or "72h", got "${v}"` });
  return ms ?? 0;
});

const size = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const b = parseSize(v);
  if (b === undefined)
    ctx.addIssue({ code: 'custom', message: `expected a size like "512MiB" or "10GiB", got "${v}"` });
  return b ?? 0;
});

const listener = (def: string) => z.strictObject({ listen: listen.prefault(def) });

/** The whole configuration; defaults are those of contracts.md. */
export const configSchema = z.strictObject({
  http: z
    .strictObject({
      listen: listen.prefault('0.0.0.0:3000'),
      /** HTTPS when both are set: PEM files of the certificate (chain) and its key. */
      tls: z
        .strictObject({ cert: z.string().default(''), key: z.string().default('') })
        .prefault({})
        .refine((t) => (t.cert === '') === (t.key === ''), 'set both cert and key, or neither'),
      /** Cross-origin requests: off unless origins are listed ("https://ui.example"). */
      cors: z.strictObject({ origins: z.array(z.string().min(1)).default([]) }).prefault({}),
      rateLimit: z
        .strictObject({
          /** API requests per client address per window (0: no limit). */
          max: z.int().min(0).default(600),
          window: duration.prefault('1m'),
          /** Login attempts per client address per loginWindow. */
          loginMax: z.int().min(1).default(10),
          loginWindow: duration.prefault('15m'),
        })
        .prefault({}),
      sessions: z
        .strictObject({
          /** A session ends this long after login ... */
          maxAge: duration.prefault('12h'),
          /** ... or after this long unused. */
          idleTimeout: duration.prefault('1h'),
          /** Secure cookies: "auto" when TLS is on; "always" behind a TLS-terminating proxy. */
          secureCookie: z.enum(['auto', 'always', 'never']).default('auto'),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Users, API keys and the metrics token (docs/api.md). */
  auth: z
    .strictObject({
      /** Users and API keys; null: "<storage.path>/auth.json". */
      file: z.string().min(1).nullable().default(null),
      /** When set, /metrics asks for "Authorization: Bearer <token>"; empty leaves it open for scrapers. */
      metricsToken: z.string().default(''),
      /** With no user yet, create "admin" with a one-time password printed once in the log. */
      bootstrapAdmin: z.boolean().default(true),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    })
    .prefault({}),
  collector: z
    .strictObject({
      netflow: listener('0.0.0.0:2055').prefault({}),
      ipfix: listener('0.0.0.0:4739').prefault({}),
      sflow: listener('0.0.0.0:6343').prefault({}),
      /** Decode worker threads; exporters are spread over them by address. */
      workers: z.int().min(1).max(64).default(1),
      /** SO_RCVBUF asked for each UDP socket (the kernel caps it at net.core.rmem_max). */
      receiveBufferBytes: size.prefault(32 * 1024 * 1024),
      /** Datagrams gathered before a batch goes to a worker. */
      batchDatagrams: z.int().min(1).max(65_536).default(256),
      /** A partly filled batch goes out after this long. */
      batchMaxDelay: duration.prefault('5ms'),
      /** Batches queued per worker before new ones are dropped (and counted). */
      maxQueuedBatches: z.int().min(1).max(100_000).default(512),
      /** Data waiting for its template is held this long. */
      templateHold: duration.prefault('60s'),
      /** Sampling rate assumed for records that carry none. */
      defaultSamplingRate: z.int().min(1).default(1),
      /**
       * Recent flows kept in memory (fixed-size ring). Small on purpose: records
       * that stay alive past a young-generation GC get promoted and copied, and a
       * 100k ring cost 5-9x the decoding itself (bench/ingest/decode-micro.ts).
       */
      recentFlows: z.int().min(0).max(10_000_000).default(4096),
      /**
       * Nice value of the ingest threads (decode, capture and store workers, the
       * I/O thread pool and DuckDB's threads): the main thread, which answers the
       * API, runs first when both want a core. 0 leaves them as they are.
       */
      workerNice: z.int().min(0).max(19).default(10),
    })
    .prefault({}),
  storage: z
    .strictObject({
      engine: z.enum(['duckdb', 'clickhouse']).default('duckdb'),
      path: z.string().min(1).default('./data'),
      clickhouse: z
        .strictObject({
          url: z.url().default('http://127.0.0.1:8123'),
          database: z.string().min(1).default('flowlens'),
          /** User and password of ClickHouse's HTTP interface. */
          user: z.string().min(1).default('default'),
          password: z.string().default(''),
          /** A request (query or insert) taking longer fails. */
          requestTimeout: duration.prefault('60s'),
        })
        .prefault({}),
      retention: z
        .strictObject({
          /** Raw flows are kept this long. */
          maxAge: duration.prefault('72h'),
          /** The whole store (database and log) stays under this; the oldest flows go first. */
          maxDisk: size.prefault('10GiB'),
          /** 1-minute rollups are kept this long. */
          maxAge1m: duration.prefault('30d'),
          /** 1-hour rollups are kept this long. */
          maxAge1h: duration.prefault('400d'),
        })
        .prefault({}),
      /** Collected flows are written at least this often (a crash loses at most this much). */
      flushInterval: duration.prefault('1s'),
      /** ...or as soon as this many are waiting. */
      flushRows: z.int().min(1).max(10_000_000).default(250_000),
      /** Flows waiting beyond this many are dropped and counted (the store cannot keep up). */
      maxQueuedRows: z.int().min(1).max(100_000_000).default(5_000_000),
    })
    .prefault({}),
  /** Enrichment: applications, GeoIP/AS, host names, MAC vendors (src/enrich/config.ts). */
  enrich: enrichConfigSchema.prefault({}),
  /** Live view and per-client metrics (src/live/config.ts). */
  live: liveConfigSchema.prefault({}),
  /** Device discovery, classification and inventory (src/devices/config.ts). */
  devices: devicesConfigSchema.prefault({}),
  /** Live capture (one dumpcap per interface) and packet recordings; docs/adr/0002-live-capture-dumpcap.md. */
  capture: z
    .strictObject({
      interfaces: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            /** BPF (libpcap) filter; "" captures everything. */
            filter: z.string().default(''),
            snaplen: z.int().min(64).max(262_144).default(262_144),
            promiscuous: z.boolean().default(true),
            /** `ip netns` namespace of the interface (tests, special setups; needs root). */
            netns: z.string().min(1).optional(),
          }),
        )
        .default([]),
      /** dumpcap binary: a name looked up in PATH, or a path. */
      dumpcap: z.string().min(1).default('dumpcap'),
      recording: z
        .strictObject({
          /** null: "<storage.path>/recordings". */
          path: z.string().min(1).nullable().default(null),
          maxDisk: size.prefault('2GiB'),
          fileSize: size.prefault('100MiB'),
          fileDuration: duration.prefault('1h'),
          /** Recordings running at once; each gets maxDisk / maxRecordings as its ring. */
          maxRecordings: z.int().min(1).max(64).default(4),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** The validated configuration, with units resolved (ms, bytes, address lists). */
export type Config = z.output<typeof configSchema>;
