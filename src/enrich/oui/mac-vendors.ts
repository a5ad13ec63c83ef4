/**
 * MAC address -> vendor from the IEEE registries: MA-L (24-bit OUI), MA-M
 * (28-bit) and MA-S (36-bit) assignments, longest prefix first. Sources: the
 * `oui-data` package (MA-L as JSON) and Debian's ieee-data CSVs
 * (/usr/share/ieee-data/{oui,mam,oui36}.csv) when present. A set
 * "locally administered" bit (IEEE 802 §8.2.2, bit 1 of the first octet)
 * marks an address no registry assigned: phones' randomised MACs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createLruCache } from '../lru-cache.ts';

/** What a MAC says about its maker. */
export interface MacVendor {
  vendor?: string;
  /** Locally administered: randomised or assigned by software. */
  randomised: boolean;
}

/** The vendor table. */
export interface MacVendors {
  lookup(mac: string): MacVendor;
  /** Prefixes loaded, by registry length in hex digits (6, 7, 9). */
  readonly counts: Record<number, number>;
  readonly sources: string[];
}

const IEEE_DATA_DIR = '/usr/share/ieee-data';
const PREFIX_DIGITS = [9, 7, 6] as const;
const LOCALLY_ADMINISTERED = 0x02;
/** MACs remembered per worker (a network has few; flows repeat them). */
const MAC_CACHE_ENTRIES = 20_000;
const MULTICAST = 0x01;

/** "Registry,Assignment,Organization Name,Organization Address" rows (IEEE CSV export). */
function readIeeeCsv(path: string, into: Map<string, string>): number {
  let n = 0;
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const m = /^[^,]*,([0-9A-Fa-f]+),("(?:[^"]|"")*"|[^,]*)/.exec(line);
    if (!m) continue;
    const name = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!;
    into.set(m[1]!.toLowerCase(), name.trim());
    n++;
  }
  return n;
}

/** Loads the registries found: oui-data always, ieee-data when installed (it adds MA-M and MA-S). */
export function loadMacVendors(ieeeDataDir = IEEE_DATA_DIR): MacVendors {
  const byPrefix = new Map<string, string>();
  const sources: string[] = [];
  const require = createRequire(import.meta.url);
  const ouiData = require('oui-data') as Record<string, string>;
  for (const [k, v] of Object.entries(ouiData)) byPrefix.set(k.toLowerCase(), v.split('\n')[0]!.trim());
  sources.push('npm oui-data');
  for (const f of ['oui.csv', 'mam.csv', 'oui36.csv']) {
    const p = `${ieeeDataDir}/${f}`;
    if (existsSync(p) && readIeeeCsv(p, byPrefix) > 0) sources.push(p);
  }
  const counts: Record<number, number> = { 6: 0, 7: 0, 9: 0 };
  for (const k of byPrefix.keys()) counts[k.length] = (counts[k.length] ?? 0) + 1;
  const cache = createLruCache<string, MacVendor>(MAC_CACHE_ENTRIES);
  return {
    counts,
    sources,
    lookup(mac) {
      let hit = cache.get(mac);
      if (hit === undefined) cache.set(mac, (hit = resolve(mac)));
      return hit;
    },
  };

  function resolve(mac: string): MacVendor {
    {
      const hex = mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
      const first = parseInt(hex.slice(0, 2), 16);
      const randomised = (first & LOCALLY_ADMINISTERED) !== 0 && (first & MULTICAST) === 0;
      if (hex.length !== 12 || randomised) return { randomised };
      for (const d of PREFIX_DIGITS) {
        const v = byPrefix.get(hex.slice(0, d));
        if (v !== undefined) return { vendor: v, randomised };
      }
      return { randomised };
    }
  }
}
