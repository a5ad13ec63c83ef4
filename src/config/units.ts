/** Parsers for the human units configuration uses ("72h", "10GiB", "0.0.0.0:2055"). */

const DURATION_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const SIZE_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** "90s", "72h", "1h30m" or a number of milliseconds -> milliseconds; undefined if malformed. */
export function parseDuration(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  const s = v.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) return undefined;
  let total = 0;
  for (const [, num, unit] of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(num) * (DURATION_MS[unit ?? ''] ?? NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** "10GiB", "500MB", "4096" -> bytes; undefined if malformed. */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i.exec(v.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * (SIZE_BYTES[(m[2] ?? 'b').toLowerCase()] ?? NaN));
}

/** A listening address: host (IPv4, IPv6 without brackets, or name) and port. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** "0.0.0.0:2055", "[::]:2055", ":2055" -> address; undefined if malformed. */
export function parseListen(v: string): ListenAddress | undefined {
  const m = /^(?:\[([0-9a-fA-F:.%\w]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(v.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65_535) return undefined;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}
