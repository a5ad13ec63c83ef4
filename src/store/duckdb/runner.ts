/** QueryRunner on a DuckDB connection: runs SQL and turns DuckDB values into plain JS. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { formatIpBigInt, formatMac } from '../columnar/addr-words.ts';
import type { QueryRunner, ResultColumn, ResultKind, ResultRow, TableRetention } from '../ports.ts';
import { duckdbDialect } from './dialect.ts';

/** A runner over `connect` (a connection per query keeps concurrent reads independent). */
export function createDuckDbRunner(
  connect: () => Promise<DuckDBConnection>,
  retention: TableRetention,
): QueryRunner {
  return {
    dialect: duckdbDialect,
    retention,
    async all(sql, columns) {
      const c = await connect();
      try {
        const r = await c.runAndReadAll(sql);
        return r.getRows().map((row) => toRow(row, columns));
      } finally {
        c.closeSync();
      }
    },
    async *stream(sql, columns) {
      const c = await connect();
      try {
        const result = await c.stream(sql);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          yield chunk.getRows().map((row) => toRow(row, columns));
        }
      } finally {
        c.closeSync();
      }
    },
  };
}

function toRow(values: readonly unknown[], columns: readonly ResultColumn[]): ResultRow {
  const out: ResultRow = {};
  for (let i = 0; i < columns.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const col = columns[i]!;
    out[col.name] = toJs(col.kind, v);
  }
  return out;
}

/** DuckDB value -> the JS form of the flow record (contracts.md). */
export function toJs(kind: ResultKind, v: unknown): unknown {
  switch (kind) {
    case 'ip':
      return formatIpBigInt(BigInt(v as bigint));
    case 'mac':
      return formatMac(v as bigint);
    case 'u32list':
      return ((v as { items: unknown[] }).items ?? []).map(Number);
    case 'json':
      return JSON.parse(String(v)) as unknown;
    case 'enum':
    case 'lowcard':
    case 'string':
    case 'text':
      return String(v);
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
    case 'float':
    case 'time':
    case 'number':
      return typeof v === 'number' ? v : Number(v as bigint);
  }
}
