/**
 * Serves the web UI (the Vite build in web/dist) at `/`: files from memory,
 * gzip-compressed once at start, hashed assets cached for a year, and every
 * other path that is not the API answered with index.html so the app's own
 * router can show it (SPA fallback). Paths under /api/, /metrics and
 * /healthz keep their JSON 404.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

/** Where the built UI is. */
export interface StaticUiOptions {
  /** The folder holding index.html and assets/ (web/dist). */
  dir: string;
}

interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest', '.txt']);
/** Below this size gzip saves too little to matter. */
const MIN_GZIP_BYTES = 1024;
const API_PREFIXES = ['/api/', '/metrics', '/healthz'];
/** The UI's own policy: scripts and styles from this origin only (uPlot sets style attributes). */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const ext = extname(name);
      const body = readFileSync(path);
      const url = `/${relative(dir, path).split(sep).join('/')}`;
      files.set(url, {
        body,
        gzip:
          COMPRESSIBLE.has(ext) && body.length >= MIN_GZIP_BYTES ? gzipSync(body, { level: 9 }) : undefined,
        type: TYPES[ext] ?? 'application/octet-stream',
        immutable: url.startsWith('/assets/'),
      });
    }
  };
  walk(dir);
  return files;
}

function send(req: FastifyRequest, reply: FastifyReply, f: StaticFile): FastifyReply {
  const gzip = f.gzip !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  reply
    .header('content-type', f.type)
    .header('cache-control', f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
  if (f.type.startsWith('text/html'))
    reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY');
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? f.gzip : f.body);
}

/**
 * Registers GET / and the SPA fallback. Without a build in `dir` the UI
 * paths answer 503 with how to build it; the API is unaffected.
 */
export function registerStaticUi(app: FastifyInstance, opts: StaticUiOptions): void {
  const built = existsSync(join(opts.dir, 'index.html'));
  const files = built ? loadFiles(opts.dir) : new Map<string, StaticFile>();
  const index = files.get('/index.html');
  app.route({
    method: 'GET',
    url: '/*',
    schema: { hide: true },
    config: { role: 'public' },
    handler: async (req, reply) => {
      const path = decodeURIComponent(req.url.split('?')[0] ?? '/');
      if (API_PREFIXES.some((p) => path.startsWith(p)))
        throw new ApiError(404, 'FLOWLENS_ERR_NOT_FOUND', `no route GET ${path}`);
      const file = files.get(path);
      if (file) return send(req, reply, file);
      // A missing hashed asset must not become index.html (the browser would run HTML as a script).
      if (path.startsWith('/assets/') || TYPES[extname(path)] !== undefined)
        throw new ApiError(404, 'FLOWLENS_ERR_NOT_FOUND', `no file ${path}`);
      if (!index)
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web UI is not built: run `npm run build:web`. The API is at /api/v1.\n');
      return send(req, reply, index);
    },
  });
}
