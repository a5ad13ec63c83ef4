/**
 * What a ClickHouse server can do, from its version (`SELECT version()` at
 * start). FlowLens runs on Debian's 18.16 and on current releases; the DDL,
 * the dialect and the query rewriting read these flags, never the version.
 * Thresholds are the first release known to have the feature, rounded up
 * where the changelog is vague (the older form works on newer servers too).
 */

/** A parsed `version()`: major.minor (patch and build do not change features). */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly text: string;
}

/** Features FlowLens adapts to. */
export interface ClickhouseCapabilities {
  readonly version: ServerVersion;
  /** `TTL` clauses on MergeTree tables and `ALTER TABLE ... MODIFY TTL` (19.6). */
  readonly ttl: boolean;
  /** `LowCardinality(String)` out of experimental (19.6; 18.16 needs a setting, so plain String there). */
  readonly lowCardinality: boolean;
  /** The `IPv6` domain type and `toIPv6` (20.1; FixedString(16) with IPv6StringToNum before). */
  readonly ipv6Type: boolean;
  /** `DateTime64` (20.1): only the readable `timeUtc` alias column uses it; `time` is UInt64 ms everywhere. */
  readonly dateTime64: boolean;
  /** `WITH name AS (SELECT ...)` common table expressions (20.10; rewritten to a subquery before). */
  readonly cteSubquery: boolean;
  /** `TRUE` / `FALSE` literals (21.12 with the Bool type; rewritten to 1 / 0 before). */
  readonly boolLiterals: boolean;
}

/** Parses "18.16.1" or "24.3.2.23"; throws on anything else. */
export function parseServerVersion(text: string): ServerVersion {
  const m = /^(\d+)\.(\d+)/.exec(text.trim());
  if (!m) throw new Error(`unrecognised ClickHouse version "${text}"`);
  return { major: Number(m[1]), minor: Number(m[2]), text: text.trim() };
}

const atLeast = (v: ServerVersion, major: number, minor: number): boolean =>
  v.major > major || (v.major === major && v.minor >= minor);

/** The capabilities of a server of that version. */
export function capabilitiesOf(version: ServerVersion | string): ClickhouseCapabilities {
  const v = typeof version === 'string' ? parseServerVersion(version) : version;
  return {
    version: v,
    ttl: atLeast(v, 19, 6),
    lowCardinality: atLeast(v, 19, 6),
    ipv6Type: atLeast(v, 20, 1),
    dateTime64: atLeast(v, 20, 1),
    cteSubquery: atLeast(v, 20, 10),
    boolLiterals: atLeast(v, 21, 12),
  };
}

/** A current release, for SQL rendered without a server (filter tests, tools). */
export const CURRENT_CAPABILITIES: ClickhouseCapabilities = capabilitiesOf('24.8');
