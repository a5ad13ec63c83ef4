/**
 * The `devices` configuration section (docs/configuration.md): the
 * inventory, and each discovery method with its own switch, interval and
 * time limit. Durations are written "30s", "5m" and resolved to ms.
 */
import { z } from 'zod';
import { parseDuration } from '../config/units.ts';

const duration = (def: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined || ms <= 0)
        ctx.addIssue({ code: 'custom', message: `expected a duration like "30s" or "5m", got "${v}"` });
      return ms ?? 0;
    })
    .prefault(def);

/** The fields every discovery method has. */
const method = (enabled: boolean, interval: string, timeout: string) => ({
  enabled: z.boolean().default(enabled),
  /** Time between two runs (after a success; failures back off from retry.initialBackoff). */
  interval: duration(interval),
  /** A run taking longer fails. */
  timeout: duration(timeout),
});

/** DNS-SD service types browsed by default (RFC 6763 §9 and the IANA service registry). */
export const DEFAULT_MDNS_SERVICES = [
  '_workstation._tcp',
  '_device-info._tcp',
  '_airplay._tcp',
  '_raop._tcp',
  '_googlecast._tcp',
  '_ipp._tcp',
  '_ipps._tcp',
  '_printer._tcp',
  '_pdl-datastream._tcp',
  '_hap._tcp',
  '_companion-link._tcp',
  '_smb._tcp',
  '_ssh._tcp',
  '_spotify-connect._tcp',
  '_sonos._tcp',
  '_http._tcp',
];

/** Zod schema of `devices`; config/schema.ts mounts it. */
export const devicesConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The inventory file; null: "<storage.path>/devices.json". */
  file: z.string().min(1).nullable().default(null),
  /** Devices kept; past this the least recently seen one without manual edits is forgotten. */
  maxDevices: z.int().min(10).max(1_000_000).default(10_000),
  /** A device not seen for this long is offline (a sleep in its history). */
  offlineAfter: duration('10m'),
  /** The inventory is saved this often when it changed, and on stop. */
  saveInterval: duration('60s'),
  /** Devices with their own device_* Prometheus series (the most recently seen). */
  maxSeries: z.int().min(1).max(100_000).default(2000),
  /** Optional Fingerbank lookups for devices the built-in rules leave unsure (off without an API key). */
  fingerbank: z
    .strictObject({
      apiKey: z.string().default(''),
      url: z.url().default('https://api.fingerbank.org/api/v2/combinations/interrogate'),
      requestsPerMinute: z.int().min(1).max(10_000).default(10),
      cacheEntries: z.int().min(1).max(1_000_000).default(10_000),
      cacheTtl: duration('7d'),
      timeout: duration('5s'),
      /** Only devices whose type confidence is below this are looked up. */
      belowConfidence: z.number().min(0).max(1).default(0.8),
    })
    .prefault({}),
  retry: z
    .strictObject({
      /** First wait after a failed run; doubled at each failure in a row. */
      initialBackoff: duration('5s'),
      maxBackoff: duration('5m'),
    })
    .prefault({}),
  discovery: z
    .strictObject({
      /** Run the discovery tools inside this `ip netns` namespace (tests, special setups; needs root). */
      netns: z.string().min(1).optional(),
      /** ARP (/proc/net/arp) and IPv6 neighbours (`ip -j neigh`). */
      neighbours: z.strictObject({ ...method(true, '30s', '10s') }).prefault({}),
      /** Active ARP scans (arp-scan; needs CAP_NET_RAW). */
      arpScan: z
        .strictObject({
          ...method(false, '5m', '60s'),
          interfaces: z.array(z.string().min(1)).default([]),
          binary: z.string().min(1).default('arp-scan'),
        })
        .prefault({}),
      /** Kea CSV and dnsmasq lease files. */
      leases: z
        .strictObject({
          ...method(false, '60s', '10s'),
          kea: z.array(z.string().min(1)).default([]),
          dnsmasq: z.array(z.string().min(1)).default([]),
        })
        .prefault({}),
      /** Static clients: the old exporter's JSON client file, or YAML. */
      static: z.strictObject({ ...method(false, '5m', '10s'), file: z.string().default('') }).prefault({}),
      /** mDNS/DNS-SD browsing: PTR queries for these service types, answers gathered for `window`. */
      mdns: z
        .strictObject({
          ...method(false, '5m', '15s'),
          services: z.array(z.string().regex(/^_[\w-]+\._(?:tcp|udp)$/)).default(DEFAULT_MDNS_SERVICES),
          window: duration('3s'),
          /** Interface addresses to send from (IPv4); empty: the default route's. */
          interfaces: z.array(z.string()).default([]),
          ipv6: z.boolean().default(true),
        })
        .prefault({}),
      /** SSDP: M-SEARCH, answers gathered for `window`; descriptions fetched from the announcing host only. */
      ssdp: z
        .strictObject({
          ...method(false, '5m', '30s'),
          window: duration('3s'),
          searchTarget: z.string().default('ssdp:all'),
          maxDescriptionBytes: z.int().min(1024).max(10_485_760).default(262_144),
          descriptionTimeout: duration('5s'),
          descriptionCacheEntries: z.int().min(1).max(100_000).default(4096),
          descriptionTtl: duration('1h'),
          ipv6: z.boolean().default(true),
        })
        .prefault({}),
      /** Per-client byte/packet counters from nftables sets, read with `nft -j` (IPv4 and IPv6). */
      nftables: z
        .strictObject({
          ...method(false, '30s', '10s'),
          /** install: FlowLens adds table inet <table> when missing; read: the operator's table is only read. */
          mode: z.enum(['install', 'read']).default('install'),
          table: z
            .string()
            .regex(/^[A-Za-z][\w-]{0,31}$/)
            .default('flowlens'),
          hooks: z
            .array(z.enum(['forward', 'input', 'output']))
            .min(1)
            .default(['forward']),
          /** Clients are addresses in these blocks. */
          localNetworks: z
            .array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/))
            .default(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']),
          binary: z.string().min(1).default('nft'),
        })
        .prefault({}),
      /** Reverse DNS (PTR) of the devices' addresses. */
      reverseDns: z
        .strictObject({ ...method(false, '10m', '30s'), maxPerRun: z.int().min(1).max(10_000).default(256) })
        .prefault({}),
    })
    .prefault({}),
});

/** The validated `devices` section (durations in ms). */
export type DevicesConfig = z.output<typeof devicesConfigSchema>;

/** Defaults, for tests and callers without a configuration file. */
export const DEFAULT_DEVICES_CONFIG: DevicesConfig = devicesConfigSchema.parse({});
