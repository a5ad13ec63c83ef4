/** /api/v1/auth: log in and out, the current session, password change. */
import type { FastifyInstance } from 'fastify';
import { MAX_PASSWORD_LENGTH } from '../../auth/index.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { clearSessionCookies, principalOf, setSessionCookies } from '../security.ts';

const s = { type: 'string' } as const;
const password = { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH } as const;
const userSchema = {
  type: 'object',
  required: ['name', 'role', 'kind'],
  properties: {
    name: s,
    role: {
      type: ['string', 'null'],
      enum: ['viewer', 'operator', 'admin', null],
      description: 'null: must change the password first',
    },
    kind: { type: 'string', enum: ['session', 'apiKey', 'envToken'] },
  },
} as const;
const sessionSchema = {
  type: 'object',
  required: ['principal', 'mustChangePassword'],
  properties: {
    principal: userSchema,
    mustChangePassword: { type: 'boolean' },
    csrfToken: { type: 'string', description: 'Send it as X-CSRF-Token on POST/PUT/PATCH/DELETE' },
    expiresMs: { type: 'integer' },
  },
} as const;

/** Registers the routes. */
export function authRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['auth'];
  defineRoute<{ Body: { username: string; password: string } }>(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/v1/auth/login',
      role: 'public',
      rateLimit: 'login',
      tags,
      summary: 'Log in',
      description: 'Sets the session cookie (HttpOnly, SameSite=Strict) and the CSRF cookie.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password'],
        properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password },
      },
      response: { 200: sessionSchema },
      errors: [401, 429],
    },
    async (req, reply) => {
      const user = await deps.auth.verifyLogin(req.body.username, req.body.password);
      if (!user) throw new ApiError(401, 'FLOWLENS_ERR_BAD_CREDENTIALS', 'unknown user or wrong password');
      const session = deps.sessions.create(user.name);
      setSessionCookies(reply, session, deps);
      req.log.info({ user: user.name }, 'login');
      return {
        principal: { name: user.name, role: user.mustChangePassword ? null : user.role, kind: 'session' },
        mustChangePassword: user.mustChangePassword,
        csrfToken: session.csrfToken,
        expiresMs: deps.sessions.expiresMs(session),
      };
    },
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/v1/auth/logout',
      role: 'viewer',
      allowPasswordChange: true,
      tags,
      summary: 'Log out',
      response: { 204: { type: 'null', description: 'Logged out' } },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (p.session) deps.sessions.delete(p.session.id);
      clearSessionCookies(reply);
      return reply.code(204).send();
    },
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/auth/session',
      role: 'viewer',
      allowPasswordChange: true,
      tags,
      summary: 'Who am I',
      response: { 200: sessionSchema },
    },
    async (req) => {
      const p = principalOf(req);
      return {
        principal: { name: p.name, role: p.role, kind: p.kind },
        mustChangePassword: p.role === null,
        ...(p.session
          ? { csrfToken: p.session.csrfToken, expiresMs: deps.sessions.expiresMs(p.session) }
          : {}),
      };
    },
  );
  defineRoute<{ Body: { currentPassword: string; newPassword: string } }>(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/v1/auth/password',
      role: 'viewer',
      allowPasswordChange: true,
      tags,
      summary: 'Change my password',
      description: "For logged-in users (not API keys); ends the user's other sessions.",
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['currentPassword', 'newPassword'],
        properties: { currentPassword: password, newPassword: password },
      },
      response: { 204: { type: 'null', description: 'Changed' } },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (!p.session)
        throw new ApiError(403, 'FLOWLENS_ERR_FORBIDDEN', 'API keys have no password; log in as a user');
      if (!(await deps.auth.verifyLogin(p.name, req.body.currentPassword)))
        throw new ApiError(
          400,
          'FLOWLENS_ERR_BAD_CREDENTIALS',
          'body field "currentPassword" is wrong',
          'currentPassword',
        );
      if (req.body.newPassword === req.body.currentPassword)
        throw new ApiError(
          400,
          'FLOWLENS_ERR_WEAK_PASSWORD',
          'the new password must differ from the current one',
          'newPassword',
        );
      await deps.auth.setPassword(p.name, req.body.newPassword);
      deps.sessions.deleteUser(p.name, p.session.id);
      return reply.code(204).send();
    },
  );
}
