/** /api/v1/recordings: packet recordings (start, stop, list, download, delete) from src/ingest/recording. */
import type { FastifyInstance } from 'fastify';
import type { RecordingRequest } from '../../ingest/recording/index.ts';
import type { ApiDeps, RecordingsPort } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { pageList, type PageParams } from '../params.ts';
import { defineRoute, query } from '../route.ts';
import { pageOf, pageQuery } from '../schemas.ts';

const s = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const recordingSchema = {
  type: 'object',
  required: ['id', 'name', 'interface', 'filter', 'state', 'startedMs', 'files', 'bytes'],
  properties: {
    id: s,
    name: s,
    interface: s,
    filter: s,
    snaplen: int,
    promiscuous: { type: 'boolean' },
    state: { type: 'string', enum: ['recording', 'stopped', 'failed', 'interrupted'] },
    startedMs: int,
    stoppedMs: int,
    packets: int,
    bytes: int,
    error: { type: 'object', required: ['code', 'message'], properties: { code: s, message: s } },
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'bytes', 'startedMs', 'active'],
        properties: { name: s, bytes: int, startedMs: int, endedMs: int, active: { type: 'boolean' } },
      },
    },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' } },
} as const;

function recorderOf(deps: ApiDeps): RecordingsPort {
  if (!deps.recordings)
    throw new ApiError(503, 'FLOWLENS_ERR_RECORDER_UNAVAILABLE', 'packet recordings are not available');
  return deps.recordings;
}

async function one(deps: ApiDeps, id: string) {
  const r = (await recorderOf(deps).list()).find((x) => x.id === id);
  if (!r) throw new ApiError(404, 'FLOWLENS_ERR_RECORDING_NOT_FOUND', `no recording "${id}"`);
  return r;
}

/** Registers the routes. */
export function recordingRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['recordings'];
  const base = { tags, errors: [503] };
  defineRoute<{ Querystring: PageParams }>(
    app,
    deps,
    {
      ...base,
      method: 'GET',
      url: '/api/v1/recordings',
      role: 'viewer',
      summary: 'List recordings',
      querystring: query({ ...pageQuery }),
      response: { 200: pageOf(recordingSchema) },
    },
    async (req) => pageList(await recorderOf(deps).list(), req.query),
  );
  defineRoute<{ Body: Omit<RecordingRequest, 'netns'> }>(
    app,
    deps,
    {
      ...base,
      method: 'POST',
      url: '/api/v1/recordings',
      role: 'operator',
      summary: 'Start a recording',
      description: 'Records packets of an interface into a pcapng ring within the recordings disk budget.',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['interface'],
        properties: {
          interface: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\s/]+$' },
          filter: { type: 'string', maxLength: 4096, description: 'Capture filter (BPF)' },
          name: { type: 'string', maxLength: 200 },
          snaplen: { type: 'integer', minimum: 64, maximum: 262_144 },
          promiscuous: { type: 'boolean' },
        },
      },
      response: { 201: recordingSchema },
      errors: [409, 422, 502, 503],
    },
    async (req, reply) => reply.code(201).send(await recorderOf(deps).start(req.body)),
  );
  defineRoute<{ Params: { id: string } }>(
    app,
    deps,
    {
      ...base,
      method: 'GET',
      url: '/api/v1/recordings/:id',
      role: 'viewer',
      summary: 'One recording',
      params: idParams,
      response: { 200: recordingSchema },
      errors: [404, 503],
    },
    async (req) => one(deps, req.params.id),
  );
  defineRoute<{ Params: { id: string } }>(
    app,
    deps,
    {
      ...base,
      method: 'POST',
      url: '/api/v1/recordings/:id/stop',
      role: 'operator',
      summary: 'Stop a recording',
      params: idParams,
      response: { 200: recordingSchema },
      errors: [404, 503],
    },
    async (req) => recorderOf(deps).stop(req.params.id),
  );
  defineRoute<{ Params: { id: string } }>(
    app,
    deps,
    {
      ...base,
      method: 'DELETE',
      url: '/api/v1/recordings/:id',
      role: 'operator',
      summary: 'Delete a recording and its files',
      params: idParams,
      response: { 204: { type: 'null', description: 'Deleted' } },
      errors: [404, 503],
    },
    async (req, reply) => {
      await recorderOf(deps).delete(req.params.id);
      return reply.code(204).send();
    },
  );
  defineRoute<{ Params: { id: string; file: string } }>(
    app,
    deps,
    {
      ...base,
      method: 'GET',
      url: '/api/v1/recordings/:id/files/:file',
      role: 'operator',
      summary: 'Download a file of a recording (pcapng)',
      params: {
        type: 'object',
        required: ['id', 'file'],
        properties: {
          id: idParams.properties.id,
          file: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,128}$' },
        },
      },
      response: {
        200: {
          description: 'pcapng',
          content: { 'application/x-pcapng': { schema: { type: 'string', format: 'binary' } } },
        },
      },
      errors: [404, 503],
    },
    async (req, reply) => {
      const stream = await recorderOf(deps).open(req.params.id, req.params.file);
      return reply
        .type('application/x-pcapng')
        .header('content-disposition', `attachment; filename="${req.params.file}"`)
        .send(stream);
    },
  );
}
