/**
 * How routes are declared: a role, a summary, and JSON schemas for each
 * part of the request and for the answers. This adds what every route has:
 * the error answers, the security requirement and role in the OpenAPI
 * document, and the rate limit.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
  RouteGenericInterface,
} from 'fastify';
import type { ApiDeps } from './deps.ts';
import { ref } from './schemas.ts';
import type { RouteRole } from './security.ts';

/** One route. */
export interface RouteSpec {
  method: HTTPMethods;
  url: string;
  role: RouteRole;
  summary: string;
  description?: string;
  tags: string[];
  querystring?: Record<string, unknown>;
  params?: Record<string, unknown>;
  body?: Record<string, unknown>;
  /** Success answers by status. */
  response: Record<number, unknown>;
  /** Error statuses besides the ones every route has (400, and 401/403/429 unless public). */
  errors?: number[];
  allowPasswordChange?: boolean;
  /** `login`: the stricter limit of login attempts; `none`: not limited (metrics, health). */
  rateLimit?: 'api' | 'login' | 'none';
}

/** Query parameters object: strict (an unknown parameter is a 400). */
export function query(properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
  };
}

const ROLE_TEXT: Record<RouteRole, string> = {
  public: 'No credentials needed.',
  viewer: 'Role: viewer (any user or key).',
  operator: 'Role: operator or admin.',
  admin: 'Role: admin.',
};

function rateLimitOf(spec: RouteSpec, deps: ApiDeps): unknown {
  const s = deps.security;
  const kind = spec.rateLimit ?? (spec.role === 'public' ? 'none' : 'api');
  if (kind === 'login') return { max: s.loginMax, timeWindow: s.loginWindowMs };
  if (kind === 'none' || s.rateLimitMax === 0) return false;
  return { max: s.rateLimitMax, timeWindow: s.rateLimitWindowMs };
}

/** Registers a route. */
export function defineRoute<G extends RouteGenericInterface = RouteGenericInterface>(
  app: FastifyInstance,
  deps: ApiDeps,
  spec: RouteSpec,
  handler: (req: FastifyRequest<G>, reply: FastifyReply) => Promise<unknown>,
): void {
  const errors = [400, ...(spec.role === 'public' ? [] : [401, 403, 429]), ...(spec.errors ?? [])];
  const response: Record<number, unknown> = { ...spec.response };
  for (const e of errors) response[e] = ref('Error');
  app.route<G>({
    method: spec.method,
    url: spec.url,
    config: {
      role: spec.role,
      ...(spec.allowPasswordChange ? { allowPasswordChange: true } : {}),
      rateLimit: rateLimitOf(spec, deps),
    } as never,
    schema: {
      summary: spec.summary,
      description: [spec.description, ROLE_TEXT[spec.role]].filter(Boolean).join('\n\n'),
      tags: spec.tags,
      ...(spec.role === 'public' ? { security: [] } : { security: [{ bearer: [] }, { session: [] }] }),
      // No parameters declared: none accepted (an unknown one is a 400, as everywhere).
      querystring: spec.querystring ?? query({}),
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      response,
      'x-flowlens-role': spec.role,
    } as never,
    // The handlers' answers are checked by the response schemas, not by these generics.
    handler: handler as never,
  });
}
