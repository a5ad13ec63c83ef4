/**
 * Address -> host name, from three sources in order of trust: static names
 * from configuration, names learnt from DNS answers the meter saw (what the
 * client asked for, CNAMEs followed back), and reverse DNS (PTR, RFC 1035
 * §3.5) through node:dns pointed at configured servers. Caches are bounded
 * LRUs; failures are cached too (negative caching, RFC 2308 in spirit), and
 * reverse queries are rate limited by a token bucket so a scan of many
 * addresses cannot flood the resolver.
 */
import { Resolver } from 'node:dns/promises';
import type { Clock } from '../../common/clock.ts';
import { createLruCache, type CacheStats } from '../lru-cache.ts';

/** Reverse-DNS settings (`enrich.dns.reverse`). */
export interface ReverseOptions {
  enabled: boolean;
  /** Resolver addresses ("127.0.0.1", "[::1]:5353", "10.0.0.1:53"); empty: the system's. */
  servers: readonly string[];
  cacheEntries: number;
  positiveTtlMs: number;
  negativeTtlMs: number;
  /** Queries started per second at most (token bucket, burst = one second's worth). */
  queriesPerSecond: number;
  timeoutMs: number;
}

/** Host-name settings (`enrich.dns`). */
export interface HostNameOptions {
  staticNames: Readonly<Record<string, string>>;
  learnedEntries: number;
  /** Learnt names are kept at least this long, whatever the answer's TTL. */
  minLearnedTtlMs: number;
  reverse: ReverseOptions;
}

/** Counters of the host-name component. */
export interface HostNameStats {
  learned: CacheStats;
  reverse: CacheStats;
  reverseQueries: number;
  reverseFailures: number;
  reverseRateLimited: number;
}

/** The host-name component. */
export interface HostNames {
  /** Address -> name pairs from DNS answers (`addressNames` of dns-message.ts). */
  learn(answers: readonly { address: string; name: string; ttlSec: number }[]): void;
  /** The name known now (static, learnt, or cached reverse); starts a reverse query when none is. */
  nameOf(addr: string): string | undefined;
  /** Resolves the PTR name now (cached); for tests and the API. */
  reverse(addr: string): Promise<string | undefined>;
  stop(): void;
  readonly stats: HostNameStats;
}

interface Entry {
  name: string | undefined;
  expiresMs: number;
}

/** Creates the component; no socket is used until a reverse query is needed. */
export function createHostNames(opts: HostNameOptions, deps: { clock: Clock }): HostNames {
  const learned = createLruCache<string, Entry>(opts.learnedEntries);
  const reverseCache = createLruCache<string, Entry>(opts.reverse.cacheEntries);
  const inFlight = new Map<string, Promise<string | undefined>>();
  const staticNames = new Map(Object.entries(opts.staticNames));
  const stats: HostNameStats = {
    learned: learned.stats,
    reverse: reverseCache.stats,
    reverseQueries: 0,
    reverseFailures: 0,
    reverseRateLimited: 0,
  };
  const resolver = new Resolver({ timeout: opts.reverse.timeoutMs, tries: 1 });
  if (opts.reverse.servers.length > 0) resolver.setServers([...opts.reverse.servers]);
  let tokens = opts.reverse.queriesPerSecond;
  let refilledMs = deps.clock.now();

  function takeToken(): boolean {
    const now = deps.clock.now();
    const rate = opts.reverse.queriesPerSecond;
    tokens = Math.min(rate, tokens + ((now - refilledMs) / 1000) * rate);
    refilledMs = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  function fresh(e: Entry | undefined): e is Entry {
    return e !== undefined && e.expiresMs > deps.clock.now();
  }

  function reverse(addr: string): Promise<string | undefined> {
    const cached = reverseCache.get(addr);
    if (fresh(cached)) return Promise.resolve(cached.name);
    const pending = inFlight.get(addr);
    if (pending) return pending;
    if (!takeToken()) {
      stats.reverseRateLimited++;
      return Promise.resolve(undefined);
    }
    stats.reverseQueries++;
    const p = resolver
      .reverse(addr)
      .then(
        (names) => names[0]?.toLowerCase().replace(/\.$/, ''),
        () => {
          stats.reverseFailures++;
          return undefined;
        },
      )
      .then((name) => {
        const ttl = name === undefined ? opts.reverse.negativeTtlMs : opts.reverse.positiveTtlMs;
        reverseCache.set(addr, { name, expiresMs: deps.clock.now() + ttl });
        inFlight.delete(addr);
        return name;
      });
    inFlight.set(addr, p);
    return p;
  }

  return {
    stats,
    learn(answers) {
      const now = deps.clock.now();
      for (const a of answers)
        learned.set(a.address, {
          name: a.name,
          expiresMs: now + Math.max(opts.minLearnedTtlMs, a.ttlSec * 1000),
        });
    },
    nameOf(addr) {
      // Called twice per flow: an empty source costs one size check, not a lookup.
      if (staticNames.size > 0) {
        const s = staticNames.get(addr);
        if (s !== undefined) return s;
      }
      if (learned.size > 0) {
        const l = learned.get(addr);
        if (fresh(l)) return l.name;
      }
      if (!opts.reverse.enabled) return undefined;
      const r = reverseCache.get(addr);
      if (fresh(r)) return r.name;
      void reverse(addr);
      return undefined;
    },
    reverse,
    stop() {
      resolver.cancel();
    },
  };
}
