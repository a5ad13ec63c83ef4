/**
 * The HTTP surface: Prometheus metrics at /metrics, liveness and readiness
 * at /healthz, and the REST API under /api/v1 (OpenAPI document at
 * /api/v1/openapi.json, interactive docs at /api/docs). docs/api.md
 * describes the resources, roles and errors.
 */
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../common/logger.ts';
import type { LiveState } from '../live/index.ts';
import { httpMetricsPlugin, registerLiveRoutes } from './live/index.ts';
import { registerStaticUi } from './static.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError, installErrorHandlers } from './errors.ts';
import { openApiRoute, registerOpenApi } from './openapi.ts';
import { aboutRoutes } from './routes/about.ts';
import { advisoryRoutes } from './routes/advisories.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { authRoutes } from './routes/auth.ts';
import { deviceRoutes } from './routes/devices.ts';
import { exporterRoutes } from './routes/exporters.ts';
import { flowRoutes } from './routes/flows.ts';
import { hostRoutes } from './routes/hosts.ts';
import { interfaceRoutes } from './routes/interfaces.ts';
import { protocolRoutes } from './routes/protocols.ts';
import { recordingRoutes } from './routes/recordings.ts';
import { reportRoutes } from './routes/reports.ts';
import { seriesRoutes } from './routes/series.ts';
import { filterValueRoutes } from './routes/filter-values.ts';
import { geoRoutes } from './routes/geo.ts';
import { statsRoutes } from './routes/stats.ts';
import { systemRoutes, type HealthReport } from './routes/system.ts';
import { topTalkerRoutes } from './routes/top-talkers.ts';
import { userRoutes } from './routes/users.ts';
import { SHARED_SCHEMAS } from './schemas.ts';
import { installSecurity } from './security.ts';

/** What /healthz reports; `ready` false answers 503 so load balancers wait. */
export type { HealthReport } from './routes/system.ts';
/** The API's dependencies, and the recorder and security settings it uses. */
export type { ApiDeps, RecordingsPort, ApiSecurityOptions } from './deps.ts';
/** Geo lookups the map and host routes ask for. */
export type { GeoPort } from './routes/geo.ts';
/** Errors with stable codes, and the error body. */
export { ApiError, type ErrorBody } from './errors.ts';
/** Where the OpenAPI document and the docs UI are. */
export { OPENAPI_URL, DOCS_URL } from './openapi.ts';
/** Flow ids (opaque tokens: time, exporter, record hash). */
export { flowId, parseFlowId } from './flow-id.ts';

/** Dependencies of the HTTP app. */
export interface HttpDeps {
  registry: Registry;
  health: () => HealthReport;
  log: Logger;
  /** The REST API; without it only /metrics and /healthz answer. */
  api?: ApiDeps;
  /** HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Live state for the WebSocket push at /api/v1/live (with the API). */
  live?: LiveState;
}

/** Largest request body: JSON requests are small (logins, recordings). */
const BODY_LIMIT_BYTES = 64 * 1024;

/** Every resource, one file each under routes/. */
const RESOURCES = [
  authRoutes,
  userRoutes,
  apiKeyRoutes,
  flowRoutes,
  statsRoutes,
  topTalkerRoutes,
  protocolRoutes,
  hostRoutes,
  interfaceRoutes,
  exporterRoutes,
  advisoryRoutes,
  deviceRoutes,
  reportRoutes,
  seriesRoutes,
  filterValueRoutes,
  geoRoutes,
  recordingRoutes,
  aboutRoutes,
] as const;

async function registerApi(app: FastifyInstance, deps: HttpDeps & { api: ApiDeps }): Promise<void> {
  const { api } = deps;
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  installSecurity(app, api);
  await app.register(cookie);
  await app.register(helmet, api.security.secureCookies ? {} : { hsts: false });
  if (api.security.corsOrigins.length > 0)
    await app.register(cors, { origin: [...api.security.corsOrigins], credentials: true });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new ApiError(
        429,
        'FLOWLENS_ERR_RATE_LIMITED',
        `too many requests: at most ${ctx.max} per ${ctx.after}; retry later`,
      ),
  });
  await registerOpenApi(app, api);
  systemRoutes(app, { ...deps, metricsToken: api.security.metricsToken, documented: true });
  openApiRoute(app, api);
  for (const register of RESOURCES) register(app, api);
  // Inside the API context, so the security hook authenticates the upgrade request.
  if (deps.live) {
    await registerLiveRoutes(app, {
      live: deps.live,
      registry: deps.registry,
      authorize: (req) => req.principal !== undefined,
      routeConfig: { role: 'viewer' },
    });
  }
  // Last: the web UI answers every path the API does not (single-page app fallback).
  registerStaticUi(app, { dir: new URL('../../web/dist', import.meta.url).pathname });
}

/** Builds the Fastify app (not listening: the composition root calls listen). */
export function createHttpApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    ...(deps.tls ? { https: deps.tls } : {}),
  }) as unknown as FastifyInstance;
  installErrorHandlers(app);
  void app.register(httpMetricsPlugin, { registry: deps.registry });
  const { api } = deps;
  if (api) void app.register(async (child) => registerApi(child, { ...deps, api }));
  else systemRoutes(app, { ...deps, metricsToken: '', documented: false });
  return app;
}
/** Settings from the configuration. */
export { apiSecurityOptions, readTls } from './config.ts';
