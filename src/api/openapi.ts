/** The OpenAPI 3.1 document (generated from the route schemas) and the interactive docs at /api/docs. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { defineRoute, query } from './route.ts';
import { SESSION_COOKIE } from './security.ts';

/** Where the document is served. */
export const OPENAPI_URL = '/api/v1/openapi.json';
/** Where the interactive docs are. */
export const DOCS_URL = '/api/docs';

const DESCRIPTION = `History, live numbers, recordings and administration of a FlowLens service.
Authenticate with \`Authorization: Bearer <API key>\` or a session (POST /api/v1/auth/login;
state-changing requests then need the X-CSRF-Token header). Errors are
\`{"error": {"code": "FLOWLENS_ERR_...", "message": "..."}}\`. See docs/api.md.`;

/** Registers the document generator; call before any route. */
export async function registerOpenApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'FlowLens API', version: deps.version, description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key or FLOWLENS_API_TOKEN' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Login session' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json['$id'] ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_URL, staticCSP: true });
}

/** The route serving the document. */
export function openApiRoute(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: OPENAPI_URL,
      role: 'public',
      tags: ['system'],
      summary: 'This OpenAPI document',
      querystring: query({}),
      response: { 200: { type: 'object', additionalProperties: true } },
    },
    async () => app.swagger(),
  );
}
