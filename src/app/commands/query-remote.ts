/**
 * `flowlens query` against a running server: when `serve` holds the store,
 * the command asks the server's API instead (contracts.md), with the API key
 * in FLOWLENS_API_TOKEN, at the address of `http.listen` (a wildcard address
 * is asked on loopback). The output is the same as from the store: one JSON
 * object per line.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { UsageError } from './usage.ts';

/** What is asked, already validated by the caller. */
export interface RemoteQuery {
  what: 'top' | 'flows' | 'series';
  dimension?: string | undefined;
  metric: string;
  limit: number | undefined;
  filter: string | undefined;
  fromMs: number;
  toMs: number;
  step: string | undefined;
}

/** The base URL of the server's first listener (a wildcard address is asked on loopback); undefined when HTTP is off. */
export function serverUrl(
  listen: readonly { host: string; port: number }[],
  tls: boolean,
): string | undefined {
  const first = listen[0];
  if (!first) return undefined;
  let host = first.host;
  if (host === '0.0.0.0' || host === '') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  if (host.includes(':')) host = `[${host}]`;
  return `${tls ? 'https' : 'http'}://${host}:${first.port}`;
}

/** Runs the query through the API; returns the number of lines written. */
export async function runRemoteQuery(
  q: RemoteQuery,
  server: { url: string | undefined; token: string | undefined; busyMessage: string },
  stdout: Writable,
): Promise<number> {
  if (server.url === undefined)
    throw new UsageError(`${server.busyMessage}, and its HTTP API is off (http.listen)`);
  if (!server.token)
    throw new UsageError(
      `${server.busyMessage}; set FLOWLENS_API_TOKEN to an API key to ask the running server at ${server.url}`,
    );
  const params = new URLSearchParams({
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
  });
  if (q.filter) params.set('filter', q.filter);
  const get = async (path: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${server.url}${path}?${params}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
    } catch (err) {
      throw new UsageError(
        `${server.busyMessage}, and its API at ${server.url} did not answer: ${String(err)}`,
        {
          cause: err,
        },
      );
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      throw new UsageError(`the server answered ${res.status}: ${body?.error?.message ?? res.statusText}`);
    }
    return res;
  };
  const line = (o: unknown): boolean => stdout.write(`${JSON.stringify(o)}\n`);
  switch (q.what) {
    case 'top': {
      params.set('dimension', q.dimension ?? '');
      params.set('metric', q.metric);
      params.set('limit', String(q.limit ?? 10));
      const page = (await (await get('/api/v1/top')).json()) as { items: unknown[] };
      page.items.forEach(line);
      return page.items.length;
    }
    case 'series': {
      if (q.step) params.set('step', q.step);
      const res = (await (await get('/api/v1/series')).json()) as {
        points: { t: number; bytes: number; packets: number; flows: number }[];
      };
      for (const p of res.points)
        line({ time: new Date(p.t).toISOString(), bytes: p.bytes, packets: p.packets, flows: p.flows });
      return res.points.length;
    }
    case 'flows': {
      params.set('format', 'jsonl');
      params.set('limit', String(q.limit ?? 100));
      const res = await get('/api/v1/flows/export');
      let lines = 0;
      const body = Readable.fromWeb(res.body as ReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        for (const b of chunk) if (b === 10) lines++;
      });
      await pipeline(body, stdout, { end: false });
      return lines;
    }
  }
}
