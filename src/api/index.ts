/**
 * The HTTP surface. For now: Prometheus metrics at /metrics and liveness /
 * readiness at /healthz; the REST API under /api/v1 arrives with its issue.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../common/logger.ts';

/** What /healthz reports; `ready` false answers 503 so load balancers wait. */
export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

export interface HttpDeps {
  registry: Registry;
  health: () => HealthReport;
  log: Logger;
}

/** Builds the Fastify app (not listening: the composition root calls listen). */
export function createHttpApp(deps: HttpDeps): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(body);
  });
  app.get('/healthz', async (_req, reply) => {
    const h = deps.health();
    return reply.code(h.ready ? 200 : 503).send({ status: h.ready ? 'ok' : 'starting', ...h });
  });
  return app;
}
