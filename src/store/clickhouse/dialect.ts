/**
 * ClickHouse SQL (ADR 0001, ADR 0004), rendered for the capabilities of one
 * server: addresses are `IPv6` (20.1+) or `FixedString(16)` (older), both 16
 * big-endian bytes so a CIDR is a BETWEEN on one column; strings with few
 * values are `LowCardinality` where it is stable; times are UInt64 epoch
 * milliseconds on every version (no DateTime64 on 18.16, and integer
 * bucketing gives exactly DuckDB's answers).
 */
import type { FieldKind } from '../../schema/fields.ts';
import { integerText, type LiteralValue, type SqlDialect } from '../dialect.ts';
import { CURRENT_CAPABILITIES, type ClickhouseCapabilities } from './capabilities.ts';

/** ClickHouse string literal: backslash escapes (quotes and backslashes). */
export function quoteClickhouse(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The 16 bytes of a 128-bit address integer as an IPv6 literal ClickHouse parses. */
function ipv6Text(v: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

/** A finite number for SQL (quantile levels, float literals). */
function floatText(v: LiteralValue): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`not a number: ${String(v)}`);
  return String(v);
}

/**
 * Exact quantile with linear interpolation between the two nearest values
 * (DuckDB's quantile_cont, R type 7), on every version: ClickHouse's
 * `quantile` is approximate and `quantileExact` does not interpolate.
 * The sorted array is computed once per group (identical expressions).
 */
function interpolatedQuantile(e: string, q: number): string {
  if (!(q >= 0 && q <= 1)) throw new TypeError(`quantile level out of 0..1: ${q}`);
  const s = `arraySort(groupArray(${e}))`;
  const pos = `((length(${s}) - 1) * ${floatText(q)})`;
  const at = (i: string): string => `arrayElement(${s}, toUInt64(${i}) + 1)`;
  const lo = at(`floor(${pos})`);
  return `(${lo} + (${at(`ceil(${pos})`)} - ${lo}) * (${pos} - floor(${pos})))`;
}

/** Column type of a kind (not nullable). */
export function baseType(kind: Exclude<FieldKind, 'enum'>, caps: ClickhouseCapabilities): string {
  switch (kind) {
    case 'u8':
      return 'UInt8';
    case 'u16':
      return 'UInt16';
    case 'u32':
      return 'UInt32';
    case 'u64':
    case 'mac':
    case 'time':
      return 'UInt64';
    case 'float':
      return 'Float64';
    case 'ip':
      return caps.ipv6Type ? 'IPv6' : 'FixedString(16)';
    case 'lowcard':
      return caps.lowCardinality ? 'LowCardinality(String)' : 'String';
    case 'string':
    case 'json':
      return 'String';
    case 'u32list':
      return 'Array(UInt32)';
  }
}

/** The dialect for a server with `caps`. */
export function createClickhouseDialect(caps: ClickhouseCapabilities): SqlDialect {
  const ip = (v: bigint): string =>
    caps.ipv6Type
      ? `toIPv6(${quoteClickhouse(ipv6Text(v))})`
      : `IPv6StringToNum(${quoteClickhouse(ipv6Text(v))})`;
  return {
    engine: 'clickhouse',
    ident: (name) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``,
    columnType(col) {
      if (col.kind === 'enum') {
        // Codes are the batch's value indexes plus one (native.ts adds it).
        const values = (col.field?.values ?? []).map((v, i) => `${quoteClickhouse(v)} = ${i + 1}`);
        const t = `Enum8(${values.join(', ')})`;
        return col.required ? t : `Nullable(${t})`;
      }
      const t = baseType(col.kind, caps);
      // Arrays cannot be Nullable: an absent list is empty.
      if (col.required || col.kind === 'u32list') return t;
      if (col.kind === 'lowcard' && caps.lowCardinality) return 'LowCardinality(Nullable(String))';
      return `Nullable(${t})`;
    },
    literal(kind: FieldKind, v: LiteralValue) {
      switch (kind) {
        case 'ip':
          if (typeof v !== 'bigint') throw new TypeError('ip literal must be a bigint');
          return ip(v);
        case 'enum':
        case 'lowcard':
        case 'string':
        case 'json':
          return quoteClickhouse(String(v));
        case 'float':
          return floatText(v);
        case 'time':
        case 'u8':
        case 'u16':
        case 'u32':
        case 'u64':
        case 'mac':
        case 'u32list':
          return integerText(v);
      }
    },
    string: quoteClickhouse,
    epochMs: (e) => e,
    bucketMs: (e, step) => `intDiv(${e}, ${integerText(step)}) * ${integerText(step)}`,
    time: (ms) => integerText(ms),
    quantile: interpolatedQuantile,
    float: (e) => `toFloat64(${e})`,
    coalesce: (e, d) => `coalesce(${e}, ${d})`,
    listHas: (e, v) => `has(${e}, ${integerText(v)})`,
  };
}

/** The dialect of a current release (SQL rendered without a server: tests, tools). */
export const clickhouseDialect: SqlDialect = createClickhouseDialect(CURRENT_CAPABILITIES);
