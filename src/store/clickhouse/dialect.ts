/**
 * ClickHouse SQL (ADR 0001). Only the rendering lives here for now; the
 * ClickHouse backend (writer, runner) is built on it and on the store ports.
 */
import type { FieldKind } from '../../schema/fields.ts';
import { integerText, type LiteralValue, type SqlDialect } from '../dialect.ts';

const TYPES: Record<Exclude<FieldKind, 'enum'>, string> = {
  u8: 'UInt8',
  u16: 'UInt16',
  u32: 'UInt32',
  u64: 'UInt64',
  float: 'Float64',
  // IPv6 is a FixedString(16) domain ordered as a big-endian number: IPv4
  // stored IPv4-mapped, a CIDR is a BETWEEN on one column.
  ip: 'IPv6',
  mac: 'UInt64',
  time: "DateTime64(3, 'UTC')",
  lowcard: 'LowCardinality(String)',
  string: 'String',
  u32list: 'Array(UInt32)',
  json: 'String',
};

/** ClickHouse string literal: backslash escapes (quotes and backslashes). */
function quoteClickhouse(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The 16 bytes of a 128-bit address integer as an IPv6 literal ClickHouse parses. */
function ipv6Text(v: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}

/** The ClickHouse dialect. */
export const clickhouseDialect: SqlDialect = {
  engine: 'clickhouse',
  ident: (name) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``,
  columnType(col) {
    if (col.kind === 'enum') {
      const values = (col.field?.values ?? []).map((v, i) => `${quoteClickhouse(v)} = ${i + 1}`);
      const t = `Enum8(${values.join(', ')})`;
      return col.required ? t : `Nullable(${t})`;
    }
    const t = TYPES[col.kind];
    if (col.required || col.kind === 'u32list') return t;
    return col.kind === 'lowcard' ? 'LowCardinality(Nullable(String))' : `Nullable(${t})`;
  },
  literal(kind: FieldKind, v: LiteralValue) {
    switch (kind) {
      case 'ip':
        if (typeof v !== 'bigint') throw new TypeError('ip literal must be a bigint');
        return `toIPv6(${quoteClickhouse(ipv6Text(v))})`;
      case 'time':
        return `fromUnixTimestamp64Milli(toInt64(${integerText(v)}), 'UTC')`;
      case 'enum':
      case 'lowcard':
      case 'string':
      case 'json':
        return quoteClickhouse(String(v));
      case 'float':
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`not a number: ${String(v)}`);
        return String(v);
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
  epochMs: (e) => `toUnixTimestamp64Milli(${e})`,
  bucketMs: (e, step) => `intDiv(toUnixTimestamp64Milli(${e}), ${integerText(step)}) * ${integerText(step)}`,
  time: (ms) => `fromUnixTimestamp64Milli(toInt64(${integerText(ms)}), 'UTC')`,
  quantile: (e, q) => `quantile(${q})(${e})`,
  float: (e) => `toFloat64(${e})`,
  coalesce: (e, d) => `coalesce(${e}, ${d})`,
  listHas: (e, v) => `has(${e}, ${integerText(v)})`,
};
