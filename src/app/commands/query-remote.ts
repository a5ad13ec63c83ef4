/**
 * `flowlens query` against a running server: when `serve` holds the store,
 * the command asks the server's API instead (contracts.md), with the API key
 * in FLOWLENS_API_TOKEN, at the address of `http.listen` (a wildcard address
 * is asked on loopback). The output is the same as from the store: one JSON
 * object per line.
 *
 * Over HTTPS the server must present exactly the certificate of
 * `http.tls.cert` (its SHA-256 fingerprint is pinned): a self-signed
 * certificate and a loopback address then work, and nothing else can stand
 * in for the server, since the check runs before the API key is sent.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { resolve } from 'node:path';
import { rootCertificates, type PeerCertificate } from 'node:tls';
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

/** The server's certificate (http.tls.cert, PEM) and its fingerprint, for pinning. */
export interface PinnedCertificate {
  pem: string;
  /** SHA-256 fingerprint as Node prints it (`AB:CD:...`). */
  fingerprint256: string;
}

/** Reads http.tls.cert (relative to `cwd`); a usage error names the key when it cannot. */
export function pinnedCertificate(certPath: string, cwd: string): PinnedCertificate {
  try {
    const pem = readFileSync(resolve(cwd, certPath), 'utf8');
    return { pem, fingerprint256: new X509Certificate(pem).fingerprint256 };
  } catch (err) {
    throw new UsageError(`http.tls.cert: cannot read the server's certificate ${certPath}: ${String(err)}`, {
      cause: err,
    });
  }
}

const READ_LIMIT_BYTES = 64 * 1024 * 1024;

/** A GET; over HTTPS only a server presenting `pin` is talked to. */
function get(url: string, headers: Record<string, string>, pin: PinnedCertificate | undefined) {
  return new Promise<IncomingMessage>((answered, failed) => {
    const u = new URL(url);
    const req =
      u.protocol === 'https:'
        ? httpsRequest(u, {
            headers,
            // The configured certificate may be self-signed (its own root) or from a public CA.
            ...(pin ? { ca: [...rootCertificates, pin.pem] } : {}),
            checkServerIdentity: (host: string, cert: PeerCertificate) =>
              pin && cert.fingerprint256 !== pin.fingerprint256
                ? new Error(
                    `the server at ${host} presented certificate ${cert.fingerprint256}, not the one in http.tls.cert (${pin.fingerprint256})`,
                  )
                : undefined,
          })
        : httpRequest(u, { headers });
    req.once('response', answered);
    req.once('error', (err: NodeJS.ErrnoException) => {
      // A certificate the configured one does not vouch for fails verification before the identity check.
      if (pin && /CERT|SELF_SIGNED|UNABLE_TO/.test(err.code ?? ''))
        failed(
          new Error(
            `the server's certificate was refused (${err.code}): not the one in http.tls.cert (${pin.fingerprint256}), or that one is not valid`,
            { cause: err },
          ),
        );
      else failed(err);
    });
    req.end();
  });
}

async function readJson(res: IncomingMessage): Promise<unknown> {
  // Decoded as one stream: a character split across two chunks stays whole (AS names are UTF-8).
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) {
    text += chunk as string;
    if (text.length > READ_LIMIT_BYTES) throw new Error('answer too large');
  }
  return JSON.parse(text) as unknown;
}

/** Runs the query through the API; returns the number of lines written. */
export async function runRemoteQuery(
  q: RemoteQuery,
  server: {
    url: string | undefined;
    token: string | undefined;
    busyMessage: string;
    /** Set when the server speaks HTTPS (http.tls.cert). */
    pin?: PinnedCertificate | undefined;
  },
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
  const ask = async (path: string): Promise<IncomingMessage> => {
    let res: IncomingMessage;
    try {
      res = await get(
        `${server.url}${path}?${params}`,
        { authorization: `Bearer ${server.token}` },
        server.pin,
      );
    } catch (err) {
      throw new UsageError(
        `${server.busyMessage}, and its API at ${server.url} did not answer: ${String(err)}`,
        { cause: err },
      );
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const body = (await readJson(res).catch(() => undefined)) as
        { error?: { message?: string } } | undefined;
      throw new UsageError(`the server answered ${status}: ${body?.error?.message ?? res.statusMessage}`);
    }
    return res;
  };
  const line = (o: unknown): boolean => stdout.write(`${JSON.stringify(o)}\n`);
  switch (q.what) {
    case 'top': {
      params.set('dimension', q.dimension ?? '');
      params.set('metric', q.metric);
      params.set('limit', String(q.limit ?? 10));
      const page = (await readJson(await ask('/api/v1/top'))) as { items: unknown[] };
      page.items.forEach(line);
      return page.items.length;
    }
    case 'series': {
      if (q.step) params.set('step', q.step);
      const res = (await readJson(await ask('/api/v1/series'))) as {
        points: { t: number; bytes: number; packets: number; flows: number }[];
      };
      for (const p of res.points)
        line({ time: new Date(p.t).toISOString(), bytes: p.bytes, packets: p.packets, flows: p.flows });
      return res.points.length;
    }
    case 'flows': {
      params.set('format', 'jsonl');
      params.set('limit', String(q.limit ?? 100));
      const body = await ask('/api/v1/flows/export');
      let lines = 0;
      body.on('data', (chunk: Buffer) => {
        for (const b of chunk) if (b === 10) lines++;
      });
      await pipeline(body, stdout, { end: false });
      return lines;
    }
  }
}
