/**
 * The `enrich` configuration section (docs/configuration.md), with defaults.
 * Numbers carry their unit in their name.
 */
import { z } from 'zod';

const names = z.record(z.string(), z.array(z.string()));

/** Zod schema of `enrich`; config/schema.ts mounts it. */
export const enrichConfigSchema = z.strictObject({
  /** Master switch: off leaves records as decoded. */
  enabled: z.boolean().default(true),
  app: z
    .strictObject({
      /** "auto": nDPI when libndpi loads, else the built-in detector. */
      detector: z.enum(['auto', 'builtin', 'ndpi']).default('auto'),
      /** Application -> host-name suffixes, added to (and overriding) the built-in map. */
      hosts: names.default({}),
      /** Category -> application names, added to (and overriding) the built-in taxonomy. */
      categories: names.default({}),
      /** Enterprise fields ("pen.ie") whose text value names the application. */
      exporterNameFields: z.array(z.string().regex(/^\d+\.\d+$/)).default(['25461.56701', '35632.57591']),
    })
    .prefault({}),
  geo: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** MaxMind DB files (GeoLite2/GeoIP2 City or Country); empty: packaged GeoLite2 City. */
      cityDatabases: z.array(z.string().min(1)).default([]),
      /** MaxMind DB files (GeoLite2/GeoIP2 ASN); empty: packaged ip-location-db ASN table. */
      asnDatabases: z.array(z.string().min(1)).default([]),
      defaultAsn: z.boolean().default(true),
      cacheEntries: z.int().min(1).max(10_000_000).default(100_000),
      /** Files are also polled this often (fs.watch is the fast path). */
      reloadPollMs: z.int().min(100).default(60_000),
    })
    .prefault({}),
  dns: z
    .strictObject({
      /** Address -> name, fixed. */
      static: z.record(z.string(), z.string()).default({}),
      learnedEntries: z.int().min(1).max(10_000_000).default(100_000),
      minLearnedTtlMs: z.int().min(0).default(300_000),
      reverse: z
        .strictObject({
          enabled: z.boolean().default(false),
          servers: z.array(z.string()).default([]),
          cacheEntries: z.int().min(1).max(10_000_000).default(50_000),
          positiveTtlMs: z.int().min(0).default(3_600_000),
          negativeTtlMs: z.int().min(0).default(300_000),
          queriesPerSecond: z.number().positive().default(50),
          timeoutMs: z.int().min(1).default(2_000),
        })
        .prefault({}),
    })
    .prefault({}),
  oui: z
    .strictObject({
      enabled: z.boolean().default(true),
      ieeeDataDir: z.string().default('/usr/share/ieee-data'),
    })
    .prefault({}),
});

/** The validated `enrich` section. */
export type EnrichConfig = z.output<typeof enrichConfigSchema>;

/** Defaults, for tests and callers without a configuration file. */
export function defaultEnrichConfig(): EnrichConfig {
  return enrichConfigSchema.parse({});
}
