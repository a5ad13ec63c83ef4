/**
 * What differs between the engines when SQL is written: column types,
 * identifier quoting, literals, time arithmetic and aggregates. The DDL and
 * every query are rendered through one of these, so the query engine stays
 * engine-neutral. Values from users reach SQL only through `literal` and
 * friends, which escape or render validated numbers.
 */
import type { FieldKind } from '../schema/fields.ts';
import type { StoreColumn } from './columnar/layout.ts';

/** The engines FlowLens stores flows in. */
export type EngineName = 'duckdb' | 'clickhouse';

/** A validated filter value: integers as number or bigint (IPs), strings as text. */
export type LiteralValue = number | bigint | string;

/** SQL rendering for one engine. */
export interface SqlDialect {
  readonly engine: EngineName;
  /** A quoted identifier (names come from the field table, quoted anyway). */
  ident(name: string): string;
  /** Column type of a stored column (nullable unless required). */
  columnType(col: StoreColumn): string;
  /** Literal of a column kind: ip values are 128-bit integers (bigint), mac 48-bit numbers. */
  literal(kind: FieldKind, v: LiteralValue): string;
  /** A string literal, escaped. */
  string(s: string): string;
  /** Expression: epoch milliseconds (integer) of a time column. */
  epochMs(expr: string): string;
  /** Expression: epoch milliseconds of the start of the `stepMs` bucket (aligned on the epoch) holding a time column. */
  bucketMs(expr: string, stepMs: number): string;
  /** Expression: a time value of epoch milliseconds. */
  time(ms: number): string;
  /** Expression: the q-quantile (0..1) of expr, as an aggregate. */
  quantile(expr: string, q: number): string;
  /** Expression: expr as a 64-bit float (for averages and ratios). */
  float(expr: string): string;
  /** Expression: a nullable value or a default. */
  coalesce(expr: string, fallback: string): string;
  /** Expression: true when the list column contains the integer. */
  listHas(expr: string, v: number): string;
}

/** Single-quoted SQL string with quotes doubled (standard SQL, DuckDB). */
export function quoteStandard(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Checks an integer literal before it is written into SQL. */
export function integerText(v: LiteralValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new TypeError(`not an integer: ${String(v)}`);
}
