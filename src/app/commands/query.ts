/**
 * `flowlens query top|flows|series`: reads the store directly (read-only;
 * ClickHouse with `storage.engine: clickhouse`, any number beside the writers).
 * When a running server holds the store, the server's API is asked instead
 * (query-remote.ts). One JSON object per line on stdout.
 */
import type { Writable } from 'node:stream';
import { loadConfig } from '../../config/index.ts';
import {
  createQueryEngine,
  exportFlows,
  FilterError,
  parseStep,
  parseTime,
  QueryError,
  TimeError,
  type QueryBase,
} from '../../query/index.ts';
// The DuckDB reader's own modules rather than the store's index, which loads
// the ClickHouse client, the store worker and prom-client: a query start-up
// pays only for what it uses (ClickHouse is imported when configured).
import type { StoreReader, SumMetric } from '../../store/index.ts';
import { tableRetention } from '../../store/config.ts';
import { StoreMissingError } from '../../store/duckdb/open.ts';
import { openDuckDbReader } from '../../store/duckdb/reader.ts';
import { resolve } from 'node:path';
import { pinnedCertificate, runRemoteQuery, serverUrl } from './query-remote.ts';
import { UsageError } from './usage.ts';

/** Options of `query` (as parsed from argv). */
export interface QueryOptions {
  /** "top", "flows" or "series". */
  what: string;
  /** `top`: the dimension. */
  dimension?: string | undefined;
  metric?: string | undefined;
  limit?: string | undefined;
  filter?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  step?: string | undefined;
  config?: string | undefined;
  cwd?: string;
  now?: number;
}

const METRICS: readonly SumMetric[] = ['bytes', 'packets', 'flows'];

/** Runs a query; throws UsageError for bad options, filters, times or a busy store. */
export async function runQuery(opts: QueryOptions, io: { stdout: Writable }): Promise<number> {
  const { config } = loadConfig({ path: opts.config });
  const now = opts.now ?? Date.now();
  const range = parseRange(opts, now);
  const metric = (opts.metric ?? 'bytes') as SumMetric;
  if (!METRICS.includes(metric))
    throw new UsageError(`--metric must be bytes, packets or flows, not "${opts.metric}"`);
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1))
    throw new UsageError('--limit must be a positive integer');
  if (opts.what !== 'top' && opts.what !== 'flows' && opts.what !== 'series')
    throw new UsageError(`query takes top, flows or series, not "${opts.what}"`);
  if (opts.what === 'top' && !opts.dimension)
    throw new UsageError('query top needs a DIMENSION (srcAddr, dstPort, exporter, ...)');
  const stepMs = opts.step === undefined ? undefined : parseStep(opts.step);
  if (opts.step !== undefined && stepMs === undefined)
    throw new UsageError(`--step must be like 5m or 1h, not "${opts.step}"`);
  let reader: StoreReader;
  try {
    reader =
      config.storage.engine === 'clickhouse'
        ? await openClickhouse(config.storage)
        : await openDuckDbReader(
            resolve(opts.cwd ?? process.cwd(), config.storage.path),
            tableRetention(config.storage),
          );
  } catch (err) {
    if (err instanceof StoreMissingError) throw new UsageError(err.message, { cause: err });
    if (err instanceof Error && 'code' in err && err.code === 'FLOWLENS_ERR_STORE_LOCKED') {
      const tls = config.http.tls.cert !== '';
      const remote = {
        what: opts.what as 'top' | 'flows' | 'series',
        dimension: opts.dimension,
        metric,
        limit,
        filter: opts.filter,
        fromMs: range.fromMs,
        toMs: range.toMs,
        step: opts.step,
      };
      const server = {
        url: serverUrl(config.http.listen, tls),
        pin: tls ? pinnedCertificate(config.http.tls.cert, opts.cwd ?? process.cwd()) : undefined,
        token: process.env['FLOWLENS_API_TOKEN'],
        busyMessage: err.message,
      };
      return runRemoteQuery(remote, server, io.stdout);
    }
    throw err;
  }
  try {
    const engine = createQueryEngine({ runner: reader.runner, now: () => now });
    const base: QueryBase = { range, filter: opts.filter };
    const line = (o: unknown): boolean => io.stdout.write(`${JSON.stringify(o)}\n`);
    switch (opts.what) {
      case 'top': {
        const rows = await engine.top({
          ...base,
          dimension: opts.dimension ?? '',
          metric,
          limit: limit ?? 10,
        });
        rows.forEach(line);
        return rows.length;
      }
      case 'flows':
        return await exportFlows(engine, { ...base, limit: limit ?? 100 }, 'jsonl', io.stdout);
      case 'series': {
        const res = await engine.series({ ...base, ...(stepMs ? { stepMs } : {}) });
        res.points.forEach((p) =>
          line({ time: new Date(p.t).toISOString(), bytes: p.bytes, packets: p.packets, flows: p.flows }),
        );
        return res.points.length;
      }
      default:
        throw new UsageError(`query takes top, flows or series, not "${opts.what}"`);
    }
  } catch (err) {
    if (err instanceof FilterError) throw new UsageError(`--filter ${err.message}`, { cause: err });
    if (err instanceof QueryError) throw new UsageError(err.message, { cause: err });
    throw err;
  } finally {
    reader.close();
  }
}

async function openClickhouse(storage: Parameters<typeof tableRetention>[0]): Promise<StoreReader> {
  const { clickhouseStoreConfig, openClickhouseReader } = await import('../../store/index.ts');
  return openClickhouseReader(clickhouseStoreConfig(storage));
}

function parseRange(opts: QueryOptions, now: number): QueryBase['range'] {
  try {
    const toMs = opts.to === undefined ? now : parseTime(opts.to, now);
    const fromMs = opts.from === undefined ? toMs - 3_600_000 : parseTime(opts.from, now);
    if (fromMs >= toMs) throw new UsageError('--from must be before --to');
    return { fromMs, toMs };
  } catch (err) {
    if (err instanceof TimeError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}
