/**
 * The HTTP connection to ClickHouse (`@clickhouse/client`): statements,
 * SELECTs whose raw TabSeparatedWithNamesAndTypes bytes are parsed here
 * (FixedString addresses are bytes, not text), and Native inserts.
 */
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { parseTsvStream, type TsvResult } from './tsv.ts';

/** Where and as whom to connect. */
export interface ClickhouseEndpoint {
  url: string;
  database: string;
  user: string;
  password: string;
  requestTimeoutMs: number;
}

/** A connection; `close()` ends its sockets. */
export interface ClickhouseConnection {
  /** Runs a statement that returns nothing. */
  command(sql: string): Promise<void>;
  /** Runs a SELECT; header then rows as they arrive. */
  select(sql: string): Promise<TsvResult>;
  /** Runs a SELECT and returns every row's fields as text. */
  rows(sql: string): Promise<string[][]>;
  /** INSERT of Native blocks into `table` (a qualified name) with the columns listed. */
  insertNative(table: string, columns: readonly string[], blocks: readonly Buffer[]): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when the server answers with an error; `serverCode` is ClickHouse's numeric code. */
export class ClickhouseError extends Error {
  readonly code = 'FLOWLENS_ERR_CLICKHOUSE';
  readonly serverCode: number | undefined;
  constructor(message: string, serverCode: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.serverCode = serverCode;
  }
}

function wrap(err: unknown, sql: string): ClickhouseError {
  const msg = err instanceof Error ? err.message : String(err);
  const code = /Code: (\d+)/.exec(msg)?.[1] ?? (err as { code?: unknown }).code;
  const n = code === undefined ? undefined : Number(code);
  return new ClickhouseError(`${msg} (in: ${sql.slice(0, 200)})`, Number.isFinite(n) ? n : undefined, {
    cause: err,
  });
}

/**
 * Connects to `endpoint`; with `withDatabase` false the database is not
 * selected (it may not exist yet), so statements name it themselves.
 */
export function connectClickhouse(endpoint: ClickhouseEndpoint, withDatabase = true): ClickhouseConnection {
  const client: ClickHouseClient = createClient({
    url: endpoint.url,
    username: endpoint.user,
    password: endpoint.password,
    request_timeout: endpoint.requestTimeoutMs,
    ...(withDatabase ? { database: endpoint.database } : {}),
    compression: { request: false, response: false },
  });
  const select = async (sql: string): Promise<TsvResult> => {
    try {
      const r = await client.exec({ query: `${sql} FORMAT TabSeparatedWithNamesAndTypes` });
      return parseTsvStream(r.stream as AsyncIterable<Buffer>);
    } catch (err) {
      throw wrap(err, sql);
    }
  };
  return {
    async command(sql) {
      try {
        await client.command({ query: sql });
      } catch (err) {
        throw wrap(err, sql);
      }
    },
    select,
    async rows(sql) {
      const r = await select(sql);
      const out: string[][] = [];
      for await (const chunk of r.rows)
        for (const row of chunk) out.push(row.map((f) => f?.toString('utf8') ?? ''));
      return out;
    },
    async insertNative(table, columns, blocks) {
      const sql = `INSERT INTO ${table} (${columns.join(', ')}) FORMAT Native`;
      try {
        const r = await client.exec({
          query: sql,
          values: Readable.from(blocks),
          // LowCardinality columns arrive as plain strings (the server converts them).
          clickhouse_settings: { low_cardinality_allow_in_native_format: 0 },
        });
        r.stream.resume();
        await new Promise<void>((resolve, reject) => r.stream.once('end', resolve).once('error', reject));
      } catch (err) {
        throw wrap(err, sql);
      }
    },
    close: () => client.close(),
  };
}
