/**
 * A small TypeScript generator for the OpenAPI 3.1 document of FlowLens,
 * enough for the JSON-schema subset the API uses ($ref, type and type
 * arrays, enum, object properties/required/additionalProperties, array
 * items, anyOf). It writes one type per component and one typed function
 * per operation: `getApiV1Flows(query)`, `getApiV1FlowsById(params)`, ...
 * (openapi-typescript needs TypeScript 5; this is what the tests need.)
 */

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
/** The parts of an OpenAPI document the generator reads. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');
const key = (s: string): string => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : JSON.stringify(s));

/** The TypeScript type of a schema. */
export function tsType(s: Schema | undefined): string {
  if (!s || Object.keys(s).length === 0) return 'unknown';
  if (typeof s['$ref'] === 'string') return ident(s['$ref'].split('/').at(-1)!);
  if (Array.isArray(s['enum'])) return s['enum'].map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s['anyOf'])) return (s['anyOf'] as Schema[]).map((x) => `(${tsType(x)})`).join(' | ');
  const types = [s['type']].flat().filter((t): t is string => typeof t === 'string');
  if (types.length === 0) return 'unknown';
  return types.map((t) => single(t, s)).join(' | ');
}

function single(t: string, s: Schema): string {
  switch (t) {
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${tsType(s['items'] as Schema | undefined)}>`;
    case 'object':
      return objectType(s);
    default:
      return 'unknown';
  }
}

function objectType(s: Schema): string {
  const props = (s['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((s['required'] ?? []) as string[]);
  const fields = Object.entries(props).map(
    ([k, v]) => `${key(k)}${required.has(k) ? '' : '?'}: ${tsType(v)};`,
  );
  const extra = s['additionalProperties'];
  if (extra === true) fields.push('[k: string]: unknown;');
  else if (extra && typeof extra === 'object')
    fields.push(`[k: string]: ${tsType(extra as Schema)} | undefined;`);
  return `{ ${fields.join(' ')} }`;
}

function paramsType(ps: Parameter[], where: string): string | undefined {
  const list = ps.filter((p) => p.in === where);
  if (list.length === 0) return undefined;
  return `{ ${list.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${tsType(p.schema)};`).join(' ')} }`;
}

function responseType(op: Operation): { type: string; json: boolean } {
  const ok = Object.keys(op.responses).find((c) => /^2\d\d$/.test(c));
  const content = ok ? op.responses[ok]?.content : undefined;
  if (!content) return { type: 'void', json: false };
  const json = content['application/json'];
  if (json && Object.keys(content).length === 1) return { type: tsType(json.schema), json: true };
  return { type: 'string', json: false };
}

/** `GET /api/v1/flows/{id}` -> getApiV1FlowsById. */
export function operationName(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => {
      const m = /^\{(.+)\}$/.exec(p);
      const word = m ? `by-${m[1]}` : p;
      return word
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');
    });
  return method.toLowerCase() + parts.join('');
}

function operation(method: string, path: string, op: Operation): string {
  const ps = op.parameters ?? [];
  const args: string[] = [];
  const pathT = paramsType(ps, 'path');
  const queryT = paramsType(ps, 'query');
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  if (pathT) args.push(`params: ${pathT}`);
  if (bodySchema) args.push(`body: ${tsType(bodySchema)}`);
  const queryRequired = ps.some((p) => p.in === 'query' && p.required);
  if (queryT) args.push(queryRequired ? `query: ${queryT}` : `query: ${queryT} = {}`);
  const res = responseType(op);
  const url = pathT
    ? `\`${path.replace(/\{(\w+)\}/g, '${encodeURIComponent(String(params.$1))}')}\``
    : JSON.stringify(path);
  return [
    `  async ${operationName(method, path)}(${args.join(', ')}): Promise<${res.type}> {`,
    `    const res = await this.request(${JSON.stringify(method.toUpperCase())}, ${url}, ${queryT ? 'query' : '{}'}, ${bodySchema ? 'body' : 'undefined'});`,
    res.json
      ? `    return (await res.json()) as ${res.type};`
      : res.type === 'void'
        ? '    void res;'
        : '    return await res.text();',
    '  }',
  ].join('\n');
}

const RUNTIME = `
/** The fetch this client needs (global fetch fits). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; json(): Promise<unknown>; text(): Promise<string> }>;

/** Thrown for a 4xx/5xx answer. */
export class ApiCallError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(\`HTTP \${status}\`);
    this.status = status;
    this.body = body;
  }
}

export class FlowLensClient {
  readonly base: string;
  readonly headers: Record<string, string>;
  readonly fetch: FetchLike;
  constructor(base: string, fetch: FetchLike, headers: Record<string, string> = {}) {
    this.base = base;
    this.fetch = fetch;
    this.headers = headers;
  }
  private async request(method: string, path: string, query: Record<string, unknown>, body: unknown) {
    const qs = Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [v].flat().map((x) => \`\${encodeURIComponent(k)}=\${encodeURIComponent(String(x))}\`))).join('&');
    const headers = { ...this.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const res = await this.fetch(this.base + path + (qs ? \`?\${qs}\` : ''), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (res.status >= 400) throw new ApiCallError(res.status, await res.json());
    return res;
  }
`;

/** The client module for a document. */
export function generateClient(doc: OpenApiDoc): string {
  const types = Object.entries(doc.components?.schemas ?? {}).map(
    ([n, s]) => `export type ${ident(n)} = ${tsType(s)};`,
  );
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, op]) => operation(m, path, op)),
  );
  return `// Generated from the FlowLens OpenAPI document by test/api/openapi-client-gen.ts.\n${types.join('\n')}\n${RUNTIME}\n${ops.join('\n\n')}\n}\n`;
}
