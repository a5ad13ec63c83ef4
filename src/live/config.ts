/**
 * The `live` configuration section (docs/configuration.md): the in-memory
 * live view and the per-client Prometheus metrics. Bounds carry their unit.
 */
import { z } from 'zod';
import { parseDuration } from '../config/units.ts';
import { parseCidr } from './local-networks.ts';

const duration = (def: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined || ms <= 0)
        ctx.addIssue({ code: 'custom', message: `expected a duration like "60s" or "15m", got "${v}"` });
      return ms ?? 0;
    })
    .prefault(def);

const cidr = z.string().refine((s) => parseCidr(s) !== undefined, {
  message: 'expected a CIDR block like "10.0.0.0/8" or "fc00::/7"',
});

/** RFC 1918 private IPv4 space and RFC 4193 unique local IPv6 addresses. */
export const DEFAULT_LOCAL_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

/** Zod schema of `live`; config/schema.ts mounts it. */
export const liveConfigSchema = z.strictObject({
  /** Addresses in these blocks are "clients" (per-client metrics, `local` hosts). */
  localNetworks: z.array(cidr).default(DEFAULT_LOCAL_NETWORKS),
  /** Clients with their own Prometheus series (the busiest); the rest share ip="other". */
  maxClientSeries: z.int().min(1).max(10_000).default(200),
  /** Hosts kept in memory; past this the least recently seen is forgotten. */
  maxHosts: z.int().min(10).max(1_000_000).default(20_000),
  /** Largest exported flows kept for the active-flows view. */
  maxActiveFlows: z.int().min(10).max(1_000_000).default(10_000),
  /** A host or exported flow seen within this long is active (a client is online). */
  activeWindow: duration('60s'),
  /** Hosts not seen for this long are forgotten. */
  hostRetention: duration('15m'),
  /** How often WebSocket subscribers get their topics. */
  pushInterval: duration('1s'),
});

/** The validated `live` section (durations in ms). */
export type LiveConfig = z.output<typeof liveConfigSchema>;

/** Defaults, for tests and callers without a configuration file. */
export const DEFAULT_LIVE_CONFIG: LiveConfig = liveConfigSchema.parse({});
