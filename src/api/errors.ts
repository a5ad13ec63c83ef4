/**
 * Errors of the HTTP API: one body shape, `{"error": {"code", "message"}}`
 * (plus `parameter` when one request parameter is at fault), with stable
 * FLOWLENS_ERR_* codes. Domain errors keep their own codes; this table
 * gives each its status.
 */
import type { FastifyError, FastifyInstance } from 'fastify';

/** An error the API answers with as it is. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly parameter: string | undefined;
  constructor(statusCode: number, code: string, message: string, parameter?: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.parameter = parameter;
  }
}

/** The error body. */
export interface ErrorBody {
  error: { code: string; message: string; parameter?: string };
}

/** Statuses of the domain errors' codes. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  FLOWLENS_ERR_FILTER: 400,
  FLOWLENS_ERR_QUERY: 400,
  FLOWLENS_ERR_TIME: 400,
  FLOWLENS_ERR_BAD_USERNAME: 400,
  FLOWLENS_ERR_WEAK_PASSWORD: 400,
  FLOWLENS_ERR_USER_NOT_FOUND: 404,
  FLOWLENS_ERR_API_KEY_NOT_FOUND: 404,
  FLOWLENS_ERR_RECORDING_NOT_FOUND: 404,
  FLOWLENS_ERR_USER_EXISTS: 409,
  FLOWLENS_ERR_LAST_ADMIN: 409,
  FLOWLENS_ERR_RECORDING_BUDGET: 409,
  FLOWLENS_ERR_CAPTURE_NO_INTERFACE: 422,
  FLOWLENS_ERR_CAPTURE_BAD_FILTER: 422,
  FLOWLENS_ERR_CAPTURE_PERMISSION: 422,
  FLOWLENS_ERR_DUMPCAP_MISSING: 503,
  FLOWLENS_ERR_CAPTURE_EXITED: 502,
  FLOWLENS_ERR_CAPTURE_STREAM: 502,
  FLOWLENS_ERR_STORE_UNAVAILABLE: 503,
};

/** Which query parameter a domain error is about, when the error itself does not say. */
const PARAMETER_BY_CODE: Readonly<Record<string, string>> = { FLOWLENS_ERR_FILTER: 'filter' };

/** Fastify's own 4xx errors, by their FST_ code. */
const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'FLOWLENS_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'FLOWLENS_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'FLOWLENS_ERR_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'FLOWLENS_ERR_BAD_JSON',
};

const body = (code: string, message: string, parameter?: string): ErrorBody => ({
  error: { code, message, ...(parameter ? { parameter } : {}) },
});

/** Where a validation error is: "query parameter", "body field", "path parameter", "header". */
const PLACE: Readonly<Record<string, string>> = {
  querystring: 'query parameter',
  body: 'body field',
  params: 'path parameter',
  headers: 'header',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** A clear message naming the parameter, from the first schema violation. */
export function validationMessage(
  errors: readonly AjvError[],
  context: string,
): { message: string; parameter: string } {
  const e = errors[0];
  const place = PLACE[context] ?? context;
  if (!e) return { message: `invalid ${place}`, parameter: '' };
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = e.params['missingProperty'];
  const extra = e.params['additionalProperty'];
  if (e.keyword === 'required' && typeof missing === 'string')
    return { message: `${place} "${missing}" is required`, parameter: missing };
  if (e.keyword === 'additionalProperties' && typeof extra === 'string')
    return { message: `unknown ${place} "${path ? `${path}.` : ''}${extra}"`, parameter: extra };
  const allowed = e.params['allowedValues'];
  const what = Array.isArray(allowed) ? `must be one of ${allowed.join(', ')}` : (e.message ?? 'is invalid');
  if (!path) return { message: `${place}s: ${what}`, parameter: '' };
  return { message: `${place} "${path}" ${what}`, parameter: path.split('.')[0] ?? path };
}

/** Installs the error and not-found handlers. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & { parameter?: string }, req, reply) => {
    if (err.validation) {
      const { message, parameter } = validationMessage(
        err.validation as AjvError[],
        err.validationContext ?? '',
      );
      return reply.code(400).send(body('FLOWLENS_ERR_VALIDATION', message, parameter));
    }
    if (err instanceof ApiError)
      return reply.code(err.statusCode).send(body(err.code, err.message, err.parameter));
    const code = typeof err.code === 'string' ? err.code : '';
    const status = STATUS_BY_CODE[code];
    if (status !== undefined)
      return reply.code(status).send(body(code, err.message, PARAMETER_BY_CODE[code]));
    const fst = FASTIFY_CODES[code];
    const sc = err.statusCode ?? 500;
    if (sc === 429) return reply.code(429).send(body('FLOWLENS_ERR_RATE_LIMITED', err.message));
    if (sc < 500) return reply.code(sc).send(body(fst ?? 'FLOWLENS_ERR_BAD_REQUEST', err.message));
    req.log.error({ err, url: req.url }, 'request failed');
    return reply.code(500).send(body('FLOWLENS_ERR_INTERNAL', 'internal error (logged on the server)'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(body('FLOWLENS_ERR_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
}

/** The error response schema (OpenAPI). */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every 4xx/5xx answer.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable code, FLOWLENS_ERR_*' },
        message: { type: 'string' },
        parameter: { type: 'string', description: 'The request parameter at fault, when one is' },
      },
    },
  },
} as const;
