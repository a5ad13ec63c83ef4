/**
 * /metrics (Prometheus), /healthz and the OpenAPI document. /metrics and
 * /healthz need no credentials by default: Prometheus scrapes without a
 * login, and health says nothing about traffic. `auth.metricsToken` puts
 * /metrics behind a Bearer token (Prometheus `authorization` setting) for
 * sites where the per-client metrics are sensitive.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ApiError } from '../errors.ts';

/** What /healthz reports; `ready` false answers 503 so load balancers wait. */
export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

/** What the system routes need. */
export interface SystemDeps {
  registry: Registry;
  health: () => HealthReport;
  /** Empty: /metrics is open. */
  metricsToken: string;
  /** Whether to put the routes in the OpenAPI document (only when it exists). */
  documented: boolean;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function checkMetricsToken(header: string | undefined, token: string): void {
  if (!token) return;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m || !timingSafeEqual(digest(m[1]!), digest(token)))
    throw new ApiError(
      401,
      'FLOWLENS_ERR_UNAUTHENTICATED',
      '/metrics needs "Authorization: Bearer <auth.metricsToken>"',
    );
}

/** The body of /healthz, whether ready (200) or starting (503). */
const HEALTH_BODY = {
  type: 'object',
  additionalProperties: true,
  required: ['status', 'ready'],
  properties: {
    status: { type: 'string' },
    ready: { type: 'boolean' },
    enrichmentLoaded: {
      type: 'boolean',
      description:
        'The decode workers have loaded the enrichment databases (until then flows are stored unenriched)',
    },
  },
};

/** Registers /metrics and /healthz. */
export function systemRoutes(app: FastifyInstance, deps: SystemDeps): void {
  // Without the API (no shared schemas, no document) the routes carry no schema.
  const doc = (schema: Record<string, unknown>): { schema?: Record<string, unknown> } =>
    deps.documented
      ? {
          schema: {
            tags: ['system'],
            security: [],
            'x-flowlens-role': 'public',
            querystring: { type: 'object', additionalProperties: false, properties: {} },
            ...schema,
          },
        }
      : {};
  app.route({
    method: 'GET',
    url: '/metrics',
    config: { role: 'public' },
    ...doc({
      summary: 'Prometheus metrics',
      description: 'No credentials unless auth.metricsToken is set (then a Bearer token).',
      response: {
        200: {
          description: 'Prometheus text format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        400: { $ref: 'Error#' },
        401: { $ref: 'Error#' },
      },
    }),
    handler: async (req, reply) => {
      checkMetricsToken(req.headers.authorization, deps.metricsToken);
      const body = await deps.registry.metrics();
      return reply.type(deps.registry.contentType).send(body);
    },
  });
  app.route({
    method: 'GET',
    url: '/healthz',
    config: { role: 'public' },
    ...doc({
      summary: 'Liveness and readiness',
      description: 'No credentials: it reports no traffic data. 503 while starting.',
      response: {
        200: HEALTH_BODY,
        400: { $ref: 'Error#' },
        503: HEALTH_BODY,
      },
    }),
    handler: async (_req, reply) => {
      const h = deps.health();
      return reply.code(h.ready ? 200 : 503).send({ status: h.ready ? 'ok' : 'starting', ...h });
    },
  });
}
