/**
 * Optional Fingerbank lookups (api.fingerbank.org, v2 "combinations/
 * interrogate": DHCP fingerprint, vendor class, MAC, host name -> a device
 * path and a score) that refine the built-in rules for devices they leave
 * unsure. Off without an API key; rate-limited (requests per minute, excess
 * lookups are skipped, not queued); answers and failures cached by query;
 * every failure is tolerated (the built-in answer stands).
 */
import { createLruCache } from '../enrich/lru-cache.ts';
import { evidenceOf, type Conclusion, type EvidenceDraft } from './fingerprints/conclusion.ts';
import type { FetchLike } from './ssdp/description.ts';

/** Settings (devices.fingerbank). */
export interface FingerbankOptions {
  apiKey: string;
  url: string;
  requestsPerMinute: number;
  cacheEntries: number;
  cacheTtlMs: number;
  timeoutMs: number;
}

/** What is asked. */
export interface FingerbankQuery {
  dhcpFingerprint?: string;
  dhcpVendor?: string;
  mac?: string;
  hostname?: string;
}

/** Counters of the lookups. */
export interface FingerbankStats {
  requests: number;
  failures: number;
  rateLimited: number;
  cached: number;
}

/** The lookup service. */
export interface Fingerbank {
  lookup(q: FingerbankQuery): Promise<EvidenceDraft[]>;
  readonly stats: FingerbankStats;
}

interface Answer {
  device_name?: string;
  score?: number;
  version?: string;
  manufacturer?: { name?: string } | null;
}

/** Fingerbank device-path words -> attributes (their public device tree's top levels). */
const PATH_RULES: readonly [RegExp, Conclusion][] = [
  [/Printer/i, { deviceType: 'printer' }],
  [/Phone|Smartphone|iPhone/i, { deviceType: 'phone' }],
  [/Tablet|iPad/i, { deviceType: 'tablet' }],
  [/Video Game Console|Gaming Console/i, { deviceType: 'game-console' }],
  [/Router|Switch|Access Point|Firewall/i, { deviceType: 'network' }],
  [/Smart TV|Television/i, { deviceType: 'tv' }],
  [/Camera/i, { deviceType: 'camera' }],
  [/Internet of Things|IoT|Smart Home/i, { deviceType: 'iot' }],
  [/Windows/i, { os: 'Windows' }],
  [/Mac OS X|macOS/i, { os: 'macOS' }],
  [/\biOS\b|Apple iPod, iPhone or iPad/i, { os: 'iOS' }],
  [/Android/i, { os: 'Android' }],
  [/Linux/i, { os: 'Linux' }],
];

/** Evidence from an interrogate answer. */
export function fingerbankEvidence(a: Answer): EvidenceDraft[] {
  const path = a.device_name ?? '';
  if (!path) return [];
  const weight = Math.min(0.95, Math.max(0.1, ((a.score ?? 50) / 100) * 0.9));
  const c: Conclusion = {};
  for (const [re, add] of PATH_RULES)
    for (const [k, v] of Object.entries(add)) if (re.test(path) && !(k in c)) Object.assign(c, { [k]: v });
  if (a.manufacturer?.name) c.manufacturer = a.manufacturer.name;
  if (a.version && c.os) c.osVersion = a.version;
  return evidenceOf(c, weight, 'fingerbank', `Fingerbank "${path}" (score ${a.score ?? '?'})`);
}

/** A Fingerbank client; `fetch` and `now` injected. */
export function createFingerbank(o: FingerbankOptions, fetch: FetchLike, now: () => number): Fingerbank {
  const cache = createLruCache<string, { atMs: number; p: Promise<EvidenceDraft[]> }>(o.cacheEntries);
  const stats: FingerbankStats = { requests: 0, failures: 0, rateLimited: 0, cached: 0 };
  let windowStart = -Infinity;
  let inWindow = 0;
  async function ask(q: FingerbankQuery): Promise<EvidenceDraft[]> {
    const params = new URLSearchParams({ key: o.apiKey });
    if (q.dhcpFingerprint) params.set('dhcp_fingerprint', q.dhcpFingerprint);
    if (q.dhcpVendor) params.set('dhcp_vendor', q.dhcpVendor);
    if (q.mac) params.set('mac', q.mac);
    if (q.hostname) params.set('hostname', q.hostname);
    stats.requests++;
    try {
      const res = await fetch(`${o.url}?${params}`, {
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'error',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return fingerbankEvidence((await res.json()) as Answer);
    } catch {
      stats.failures++;
      return [];
    }
  }
  return {
    stats,
    lookup(q) {
      if (!o.apiKey) return Promise.resolve([]);
      const key = JSON.stringify([q.dhcpFingerprint, q.dhcpVendor, q.mac?.slice(0, 8), q.hostname]);
      const hit = cache.get(key);
      if (hit && now() - hit.atMs < o.cacheTtlMs) {
        stats.cached++;
        return hit.p;
      }
      if (now() - windowStart >= 60_000) {
        windowStart = now();
        inWindow = 0;
      }
      if (inWindow >= o.requestsPerMinute) {
        stats.rateLimited++;
        return Promise.resolve([]);
      }
      inWindow++;
      const p = ask(q);
      cache.set(key, { atMs: now(), p });
      return p;
    },
  };
}
