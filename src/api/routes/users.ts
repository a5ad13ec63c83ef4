/** /api/v1/users: local users (admin only). */
import type { FastifyInstance } from 'fastify';
import { MAX_PASSWORD_LENGTH, ROLES, type Role } from '../../auth/index.ts';
import type { ApiDeps } from '../deps.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery } from '../schemas.ts';

const userSchema = {
  type: 'object',
  required: ['name', 'role', 'createdMs', 'mustChangePassword'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    createdMs: { type: 'integer' },
    mustChangePassword: { type: 'boolean' },
  },
} as const;
const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } },
} as const;

/** Registers the routes. */
export function userRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['users'];
  defineRoute<{ Querystring: PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/users',
      role: 'admin',
      tags,
      summary: 'List users',
      querystring: query({ ...pageQuery }),
      response: { 200: pageOf(userSchema) },
    },
    async (req) => pageList(deps.auth.users(), req.query),
  );
  defineRoute<{ Body: { name: string; role: Role; password: string } }>(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/v1/users',
      role: 'admin',
      tags,
      summary: 'Add a user',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'role', 'password'],
        properties: {
          name: nameParams.properties.name,
          role: { type: 'string', enum: [...ROLES] },
          password: { type: 'string', minLength: 8, maxLength: MAX_PASSWORD_LENGTH },
        },
      },
      response: { 201: userSchema },
      errors: [409],
    },
    async (req, reply) =>
      reply.code(201).send(await deps.auth.addUser(req.body.name, req.body.role, req.body.password)),
  );
  defineRoute<{ Params: { name: string } }>(
    app,
    deps,
    {
      method: 'DELETE',
      url: '/api/v1/users/:name',
      role: 'admin',
      tags,
      summary: 'Delete a user',
      params: nameParams,
      response: { 204: { type: 'null', description: 'Deleted' } },
      errors: [404, 409],
    },
    async (req, reply) => {
      deps.auth.deleteUser(req.params.name);
      deps.sessions.deleteUser(req.params.name);
      return reply.code(204).send();
    },
  );
}
