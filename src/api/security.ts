/**
 * Who is asking, and may they: every route declares a role (`public`,
 * `viewer`, `operator`, `admin`; a route without one fails at startup).
 * Requests authenticate with `Authorization: Bearer KEY` (API keys and
 * FLOWLENS_API_TOKEN) or a session cookie; state-changing requests on a
 * session must repeat its CSRF token in `X-CSRF-Token` (double submit: the
 * same value is in the readable `flowlens_csrf` cookie). Checks run in
 * preParsing, after the route's rate limit and before the body is read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows, type Role, type Session } from '../auth/index.ts';
import type { ApiDeps } from './deps.ts';
import { ApiError } from './errors.ts';

/** The role a route needs; `public` needs no credentials. */
export type RouteRole = Role | 'public';

/** The authenticated caller. `role` null: a user who must change the generated password first. */
export interface Principal {
  kind: 'session' | 'apiKey' | 'envToken';
  name: string;
  role: Role | null;
  session?: Session;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: RouteRole;
    /** Reachable by a user who must still change the generated password. */
    allowPasswordChange?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** Cookie names. */
export const SESSION_COOKIE = 'flowlens_session';
export const CSRF_COOKIE = 'flowlens_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes the docs UI plugin registers itself. */
const DOCS_PREFIX = '/api/docs';

const unauthenticated = (message: string): ApiError =>
  new ApiError(401, 'FLOWLENS_ERR_UNAUTHENTICATED', message);

function authenticate(req: FastifyRequest, deps: ApiDeps): Principal {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthenticated('the Authorization header must be "Bearer <API key>"');
    const k = deps.auth.verifyKey(m[1]!);
    if (!k) throw unauthenticated('unknown or revoked API key');
    return k;
  }
  const sid = req.cookies[SESSION_COOKIE];
  const session = sid ? deps.sessions.get(sid) : undefined;
  if (!session)
    throw unauthenticated('log in (POST /api/v1/auth/login) or send "Authorization: Bearer <API key>"');
  const user = deps.auth.user(session.user);
  if (!user) {
    deps.sessions.delete(session.id);
    throw unauthenticated('this user no longer exists');
  }
  if (!SAFE_METHODS.has(req.method)) checkCsrf(req, session);
  return { kind: 'session', name: user.name, role: user.mustChangePassword ? null : user.role, session };
}

function checkCsrf(req: FastifyRequest, session: Session): void {
  const header = req.headers[CSRF_HEADER];
  const cookie = req.cookies[CSRF_COOKIE];
  if (typeof header !== 'string' || header !== cookie || header !== session.csrfToken)
    throw new ApiError(
      403,
      'FLOWLENS_ERR_CSRF',
      `state-changing requests with a session need the "${CSRF_HEADER}" header equal to the ${CSRF_COOKIE} cookie`,
    );
}

/** Installs authentication and role checks for every route registered after it. */
export function installSecurity(app: FastifyInstance, deps: ApiDeps): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    route.config ??= {};
    // The docs UI's own routes, and the CORS preflight (answered before any check).
    if (route.url.startsWith(DOCS_PREFIX) || (route.method === 'OPTIONS' && route.url === '*'))
      route.config.role ??= 'public';
    if (route.config.role === undefined)
      throw new Error(`route ${route.method} ${route.url} declares no role`);
  });
  app.addHook('preParsing', async (req) => {
    const need = req.routeOptions.config.role;
    // Not found: the 404 handler answers; there is nothing to protect.
    if (need === undefined || need === 'public') return;
    const p = authenticate(req, deps);
    req.principal = p;
    if (p.role === null && !req.routeOptions.config.allowPasswordChange)
      throw new ApiError(
        403,
        'FLOWLENS_ERR_PASSWORD_CHANGE_REQUIRED',
        'change the generated password first (POST /api/v1/auth/password)',
      );
    if (p.role !== null && !roleAllows(p.role, need))
      throw new ApiError(
        403,
        'FLOWLENS_ERR_FORBIDDEN',
        `this needs the ${need} role; ${p.name} has ${p.role}`,
      );
  });
}

/** Sets the session and CSRF cookies of a new login. */
export function setSessionCookies(reply: FastifyReply, s: Session, deps: ApiDeps): void {
  const common = {
    path: '/',
    sameSite: 'strict' as const,
    secure: deps.security.secureCookies,
    maxAge: Math.floor((deps.sessions.expiresMs(s) - deps.clock.now()) / 1000),
  };
  reply.setCookie(SESSION_COOKIE, s.id, { ...common, httpOnly: true });
  // Readable by the page's script, which sends it back in X-CSRF-Token.
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...common, httpOnly: false });
}

/** Clears them (logout). */
export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** The caller; routes with a role always have one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError(401, 'FLOWLENS_ERR_UNAUTHENTICATED', 'not authenticated');
  return req.principal;
}
