/** /api/v1/api-keys: keys for scripts (admin only). The key text is shown once, at creation. */
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../../auth/index.ts';
import type { ApiDeps } from '../deps.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { principalOf } from '../security.ts';
import { pageOf, pageQuery } from '../schemas.ts';

const keySchema = {
  type: 'object',
  required: ['id', 'name', 'role', 'createdMs', 'createdBy'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    createdMs: { type: 'integer' },
    createdBy: { type: 'string' },
  },
} as const;

/** Registers the routes. */
export function apiKeyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['users'];
  defineRoute<{ Querystring: PageParams }>(
    app,
    deps,
    {
      method: 'GET',
      url: '/api/v1/api-keys',
      role: 'admin',
      tags,
      summary: 'List API keys',
      querystring: query({ ...pageQuery }),
      response: { 200: pageOf(keySchema) },
    },
    async (req) => pageList(deps.auth.apiKeys(), req.query),
  );
  defineRoute<{ Body: { name: string; role: Role } }>(
    app,
    deps,
    {
      method: 'POST',
      url: '/api/v1/api-keys',
      role: 'admin',
      tags,
      summary: 'Create an API key',
      description: 'Answers the key once (`key`); send it as `Authorization: Bearer <key>`.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'role'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          role: { type: 'string', enum: [...ROLES] },
        },
      },
      response: {
        201: {
          type: 'object',
          required: ['key', 'apiKey'],
          properties: { key: { type: 'string' }, apiKey: keySchema },
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(deps.auth.createApiKey(req.body.name, req.body.role, principalOf(req).name)),
  );
  defineRoute<{ Params: { id: string } }>(
    app,
    deps,
    {
      method: 'DELETE',
      url: '/api/v1/api-keys/:id',
      role: 'admin',
      tags,
      summary: 'Revoke an API key',
      params: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', pattern: '^[0-9a-f]{16}$' } },
      },
      response: { 204: { type: 'null', description: 'Revoked' } },
      errors: [404],
    },
    async (req, reply) => {
      deps.auth.deleteApiKey(req.params.id);
      return reply.code(204).send();
    },
  );
}
