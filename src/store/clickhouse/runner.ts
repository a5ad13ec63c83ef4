/**
 * QueryRunner on ClickHouse: adapts the SQL to the server (compat.ts), reads
 * TabSeparatedWithNamesAndTypes and turns each field into the JS form the
 * DuckDB runner gives, so both engines answer alike: addresses as text,
 * MACs as aa:bb:..., NULL absent, sums as numbers.
 */
import { formatIpBigInt, formatMac, ipToBigInt } from '../columnar/addr-words.ts';
import type { SqlDialect } from '../dialect.ts';
import type { QueryRunner, ResultColumn, ResultKind, ResultRow, TableRetention } from '../ports.ts';
import type { ClickhouseCapabilities } from './capabilities.ts';
import { adaptSql } from './compat.ts';
import type { ClickhouseConnection } from './connection.ts';
import { createClickhouseDialect } from './dialect.ts';
import type { TsvRow } from './tsv.ts';

/** An address field: 16 raw bytes (FixedString) or IPv6 text. */
function addressText(b: Buffer, type: string): string | undefined {
  if (type.includes('FixedString')) {
    if (b.length !== 16) return undefined;
    return formatIpBigInt(BigInt(`0x${b.toString('hex')}`));
  }
  const v = ipToBigInt(b.toString('latin1'));
  return v === undefined ? undefined : formatIpBigInt(v);
}

/** A field as JS; undefined when it stands for "unknown". */
export function fieldToJs(kind: ResultKind, type: string, b: Buffer): unknown {
  switch (kind) {
    case 'ip':
      return addressText(b, type);
    case 'mac':
      return formatMac(BigInt(b.toString('latin1')));
    case 'u32list': {
      // Arrays are never NULL in ClickHouse: the empty list is an absent one.
      const items = b.toString('latin1').slice(1, -1);
      return items === '' ? undefined : items.split(',').map(Number);
    }
    case 'json':
      return JSON.parse(b.toString('utf8')) as unknown;
    case 'enum':
    case 'lowcard':
    case 'string':
    case 'text':
      return b.toString('utf8');
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
    case 'float':
    case 'time':
    case 'number':
      return Number(b.toString('latin1'));
  }
}

function toRow(fields: TsvRow, types: readonly string[], columns: readonly ResultColumn[]): ResultRow {
  const out: ResultRow = {};
  for (let i = 0; i < columns.length; i++) {
    const f = fields[i];
    if (f === null || f === undefined) continue;
    const col = columns[i]!;
    const v = fieldToJs(col.kind, types[i] ?? '', f);
    if (v !== undefined) out[col.name] = v;
  }
  return out;
}

/**
 * A runner over `conn` (whose database is the store's) for the server's
 * `caps`; `dialect` renders for them (a late dialect when they are not known yet).
 */
export function createClickhouseRunner(
  conn: () => ClickhouseConnection,
  caps: () => ClickhouseCapabilities,
  retention: TableRetention,
  dialect: SqlDialect = createClickhouseDialect(caps()),
): QueryRunner {
  const runner: QueryRunner = {
    dialect,
    retention,
    async all(sql, columns) {
      const out: ResultRow[] = [];
      for await (const rows of runner.stream(sql, columns)) for (const r of rows) out.push(r);
      return out;
    },
    async *stream(sql, columns) {
      const res = await conn().select(adaptSql(sql, caps()));
      for await (const rows of res.rows) yield rows.map((f) => toRow(f, res.types, columns));
    },
  };
  return runner;
}
