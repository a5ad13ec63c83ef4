/**
 * JSON schemas shared by the routes. They validate requests (Fastify/Ajv),
 * serialise responses, and become the OpenAPI 3.1 components. The flow
 * record's schema is generated from the field table, so a new field appears
 * in the API and its document by itself.
 */
import { DIMENSIONS, FIELDS, type FieldDef } from '../schema/fields.ts';
import { errorSchema } from './errors.ts';

type Json = Record<string, unknown>;

function fieldSchema(f: FieldDef): Json {
  const base = { description: f.description };
  switch (f.kind) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
      return { ...base, type: 'integer', minimum: 0 };
    case 'time':
      return { ...base, type: 'integer', description: `${f.description} (epoch ms)` };
    case 'float':
      return { ...base, type: 'number' };
    case 'enum':
      return { ...base, type: 'string', enum: [...(f.values ?? [])] };
    case 'ip':
    case 'mac':
    case 'lowcard':
    case 'string':
      return { ...base, type: 'string' };
    case 'u32list':
      return { ...base, type: 'array', items: { type: 'integer' } };
    case 'json':
      return { ...base, type: 'object', additionalProperties: true };
  }
}

const REQUIRED_FIELDS = ['type', 'exporter', 'bytes', 'packets'];

/** A stored flow with its id (fields absent when unknown). */
export const flowRecordSchema = {
  $id: 'FlowRecord',
  type: 'object',
  required: ['id', ...REQUIRED_FIELDS],
  properties: {
    id: { type: 'string', description: 'Opaque, stable id (GET /api/v1/flows/{id})' },
    ...Object.fromEntries(FIELDS.map((f) => [f.name, fieldSchema(f)])),
  },
} as const;

/** A value of a grouped dimension: text (addresses, names), a number, or null (unknown). */
const keyValue = { type: ['string', 'integer', 'null'] } as const;

/** One row of a top-N. */
export const topRowSchema = {
  $id: 'TopRow',
  type: 'object',
  required: ['key', 'bytes', 'packets', 'flows'],
  properties: {
    key: keyValue,
    bytes: { type: 'number', description: 'Scaled by the sampling rate' },
    packets: { type: 'number', description: 'Scaled by the sampling rate' },
    flows: { type: 'integer', description: 'Flow records' },
  },
} as const;

/** Groups of a report or comparison: dimension name -> value. */
export const keysSchema = { type: 'object', additionalProperties: keyValue } as const;

/** Every shared schema, registered with app.addSchema. */
export const SHARED_SCHEMAS = [errorSchema, flowRecordSchema, topRowSchema] as const;

/** `{ $ref }` to a shared schema. */
export const ref = (id: (typeof SHARED_SCHEMAS)[number]['$id']): { $ref: string } => ({ $ref: `${id}#` });

/** Dimension names (field table), for `dimension`-like parameters. */
export const DIMENSION_NAMES: readonly string[] = DIMENSIONS.map((d) => d.name);

/** Query parameters of a time range and a filter. */
export const rangeQuery = {
  from: {
    type: 'string',
    description:
      'Start: ISO-8601, epoch ms, "now" or relative ("-1h", "-15m", "-2d"). Default: one hour before `to`.',
  },
  to: { type: 'string', description: 'End (exclusive), same forms. Default: now.' },
  filter: {
    type: 'string',
    maxLength: 4096,
    description: 'Filter expression, e.g. `src 10.0.0.0/8 and dport 443 and not proto udp`',
  },
} as const;

/** Page parameters. */
export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Items per page' },
  offset: { type: 'integer', minimum: 0, default: 0, description: 'Items skipped' },
} as const;

/** `metric` parameter. */
export const metricQuery = {
  metric: { type: 'string', enum: ['bytes', 'packets', 'flows'], default: 'bytes' },
} as const;

/** A page of `items` with the total count. */
export function pageOf(items: Json, extra: Json = {}): Json {
  return {
    type: 'object',
    required: ['total', 'limit', 'offset', 'items'],
    properties: {
      total: { type: 'integer', description: 'Items in all pages' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
      items: { type: 'array', items },
      ...extra,
    },
  };
}

/** `truncated`: the total counts only the first groups of a grouped answer (see docs/api.md). */
export const truncatedProp = {
  truncated: { type: 'boolean', description: 'More groups exist than were counted (total is a lower bound)' },
} as const;
