/**
 * Top-N of one dimension. Summing every metric for every key is most of the
 * work (a hash table of every distinct key, three sums each): the keys are
 * ranked on the ranking metric alone, then the N winners' three sums are
 * computed over their rows only. Same answer as one GROUP BY; on 10 M flows
 * with 44 k sources about half the CPU (bench/query).
 */
import type { FieldDef } from '../schema/fields.ts';
import { ipToBigInt, macToNumber } from '../store/columnar/addr-words.ts';
import type { LiteralValue, QueryRunner, SqlDialect, SumMetric } from '../store/index.ts';
import { RAW_TABLE } from '../store/tables.ts';
import { metricExpr, SUM_RESULT, sumColumns, type Prepared } from './sql.ts';

/** A row of top-N (contracts.md: key, bytes, packets, flows). */
export interface TopRow {
  key: unknown;
  bytes: number;
  packets: number;
  flows: number;
}

/** Above this many keys, one GROUP BY (the winners' list would be long SQL). */
const MAX_TWO_STEP_KEYS = 1000;

/** The top `limit` keys of `dim` by `metric` over the prepared table and condition. */
export async function queryTop(
  runner: QueryRunner,
  p: Prepared,
  dim: FieldDef,
  metric: SumMetric,
  limit: number,
): Promise<TopRow[]> {
  const d = runner.dialect;
  const col = d.ident(dim.name);
  const key = d.ident('key');
  const all = (where: string): string =>
    `SELECT ${col} AS ${key}, ${sumColumns(d, p.plan)} FROM ${p.from} WHERE ${where} ` +
    `GROUP BY ${col} ORDER BY ${d.ident(metric)} DESC, ${key}`;
  const columns = [{ name: 'key', kind: dim.kind }, ...SUM_RESULT];
  let sql = `${all(p.where)} LIMIT ${limit}`;
  if (limit > 0 && limit <= MAX_TWO_STEP_KEYS && keyLiteral(d, dim, 'probe') !== undefined) {
    const ranked = await runner.all(
      `SELECT ${col} AS ${key}, ${await rankingSum(runner, p, metric)} AS ${d.ident('m')} FROM ${p.from} ` +
        `WHERE ${p.where} GROUP BY ${col} ORDER BY ${d.ident('m')} DESC, ${key} LIMIT ${limit}`,
      [{ name: 'key', kind: dim.kind }],
    );
    if (ranked.length === 0) return [];
    const values = ranked.map((r) => r['key']);
    const literals = values.filter((v) => v !== undefined).map((v) => keyLiteral(d, dim, v));
    // A key the literal rendering cannot take back: the plain query, no shortcut.
    if (!literals.includes(undefined)) {
      const terms = [];
      if (literals.length > 0) terms.push(`${col} IN (${literals.join(', ')})`);
      if (values.includes(undefined)) terms.push(`${col} IS NULL`);
      sql = all(`${p.where} AND (${terms.join(' OR ')})`);
    }
  }
  const rows = await runner.all(sql, columns);
  return rows.map((r) => ({
    key: r['key'] ?? null,
    bytes: Number(r['bytes'] ?? 0),
    packets: Number(r['packets'] ?? 0),
    flows: Number(r['flows'] ?? 0),
  }));
}

/** 2^63: a sum of values below it, cast to BIGINT, is exact (the CAST cannot fail). */
const INT64_LIMIT = 1n << 63n;

/**
 * The ranking sum. On DuckDB a UBIGINT sum adds in 128 bits, twice the CPU of
 * a BIGINT one; when the column statistics (DuckDB's `stats()`, read without
 * a scan; never narrower than the data) show that every value, times the
 * largest sampling rate, fits 63 bits, the values are cast to BIGINT: the
 * same sums, the same ranking. Without any sampled flow the product goes too.
 */
async function rankingSum(runner: QueryRunner, p: Prepared, metric: SumMetric): Promise<string> {
  const d = runner.dialect;
  const exact = `sum(${metricExpr(d, p.plan, metric)})`;
  if (d.engine !== 'duckdb' || metric === 'flows') return exact;
  const raw = p.plan.table === RAW_TABLE;
  const rate = d.ident('samplingRate');
  const rows = await runner.all(
    `SELECT stats(${d.ident(metric)}) AS v, ${raw ? `stats(${rate})` : 'NULL'} AS r FROM ${p.from} LIMIT 1`,
    [
      { name: 'v', kind: 'text' },
      { name: 'r', kind: 'text' },
    ],
  );
  const max = statsMax(rows[0]?.['v']);
  const rates = rows[0]?.['r'];
  const sampled = typeof rates === 'string' && !/Has No Null: false/.test(rates);
  const maxRate = sampled ? statsMax(rates) : 1n;
  if (max === undefined || maxRate === undefined || max * maxRate >= INT64_LIMIT) return exact;
  const value = `CAST(${d.ident(metric)} AS BIGINT)`;
  return `sum(${sampled ? `${value} * ${d.coalesce(rate, '1')}` : value})`;
}

/** The maximum in a DuckDB stats() text ("[Min: 1, Max: 42][Has Null: ...]"). */
function statsMax(text: unknown): bigint | undefined {
  const m = typeof text === 'string' ? /Max: (\d+)\]/.exec(text) : null;
  return m ? BigInt(m[1]!) : undefined;
}

/**
 * A key as the runner returned it, back into a SQL literal of its column;
 * undefined when its kind has none here. 'probe' asks whether the kind has.
 */
function keyLiteral(d: SqlDialect, dim: FieldDef, v: unknown): string | undefined {
  const probe = v === 'probe';
  let lit: LiteralValue | undefined;
  switch (dim.kind) {
    case 'ip':
      lit = probe ? 0n : typeof v === 'string' ? ipToBigInt(v) : undefined;
      break;
    case 'mac':
      lit = probe ? 0 : typeof v === 'string' ? macToNumber(v) : undefined;
      break;
    case 'u8':
    case 'u16':
    case 'u32':
      lit = probe ? 0 : typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
      break;
    case 'enum':
    case 'lowcard':
    case 'string':
      lit = probe ? '' : typeof v === 'string' ? v : undefined;
      break;
    case 'u64':
    case 'float':
    case 'time':
    case 'json':
    case 'u32list':
      return undefined;
  }
  return lit === undefined ? undefined : d.literal(dim.kind, lit);
}
