import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, isMap, isScalar, parse as parseYamlValue, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.ts';

/** One problem in a configuration: the key path, where it came from, what is wrong. */
export interface ConfigIssue {
  key: string;
  /** "flowlens.yaml line 4" or "environment FLOWLENS_HTTP_LISTEN". */
  where: string;
  message: string;
}

/** A configuration that cannot be used; `issues` name each key and line. */
export class ConfigError extends Error {
  readonly code = 'FLOWLENS_ERR_CONFIG';
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.key || '(root)'} (${i.where}): ${i.message}`).join('\n'));
    this.issues = issues;
  }
}

export interface LoadConfigOptions {
  /** --config FILE; when absent, flowlens.yaml in `cwd` if it exists. */
  path?: string | undefined;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Reads, merges (file, then FLOWLENS_* environment) and validates the configuration. */
export function loadConfig(opts: LoadConfigOptions = {}): { config: Config; source: string } {
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.path ? resolve(cwd, opts.path) : resolve(cwd, 'flowlens.yaml');
  const explicit = opts.path !== undefined;
  let doc: Document | undefined;
  const lines = new LineCounter();
  if (existsSync(file)) {
    doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        doc.errors.map((e) => ({
          key: '',
          where: `${file} line ${e.linePos?.[0].line ?? '?'}`,
          message: e.message.split('\n')[0] ?? e.message,
        })),
      );
    }
  } else if (explicit) {
    throw new ConfigError([{ key: '', where: file, message: 'file not found' }]);
  }
  const raw: unknown = doc?.toJS() ?? {};
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError([{ key: '', where: `${file} line 1`, message: 'expected a mapping of keys' }]);
  }
  const merged = (raw ?? {}) as Record<string, unknown>;
  const fromEnv = applyEnvironment(merged, opts.env ?? process.env);
  const result = configSchema.safeParse(merged);
  if (result.success) return { config: result.data, source: doc ? file : '(defaults)' };
  throw new ConfigError(result.error.issues.flatMap((i) => describeIssue(i, doc, lines, file, fromEnv)));
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document | undefined,
  lines: LineCounter,
  file: string,
  fromEnv: Map<string, string>,
): ConfigIssue[] {
  const path = issue.path.map(String);
  const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...path, k]) : [path];
  return keys.map((p) => {
    const key = p.join('.');
    const envName = [...fromEnv].find(([k]) => key === k || key.startsWith(`${k}.`))?.[1];
    if (envName) return { key, where: `environment ${envName}`, message: issue.message };
    const line = doc ? lineOf(doc, lines, p) : undefined;
    const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
    return { key, where: line ? `${file} line ${line}` : doc ? file : '(defaults)', message };
  });
}

/** Line of the deepest existing node on `path` (the key itself for mapping entries). */
function lineOf(doc: Document, lines: LineCounter, path: string[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const seg of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
    if (!pair) break;
    offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
    node = pair.value;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/**
 * FLOWLENS_<PATH> overrides: each known leaf key (collector.netflow.listen)
 * is settable as FLOWLENS_COLLECTOR_NETFLOW_LISTEN; camelCase parts may be
 * written with or without underscores (FLOWLENS_STORAGE_RETENTION_MAX_AGE or
 * ..._MAXAGE). Values are read as YAML scalars, "" stays an empty string.
 * Other FLOWLENS_ variables (FLOWLENS_API_TOKEN, ...) are not configuration keys.
 * Returns key path -> variable name, for error messages.
 */
function applyEnvironment(
  target: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const path of leafPaths(configSchema, [])) byName.set(path.join('').toLowerCase(), path);
  const applied = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('FLOWLENS_') || value === undefined) continue;
    const path = byName.get(name.slice('FLOWLENS_'.length).replaceAll('_', '').toLowerCase());
    if (!path) continue;
    let node = target;
    for (const seg of path.slice(0, -1)) {
      const next = node[seg];
      node = (
        next !== null && typeof next === 'object' && !Array.isArray(next) ? next : (node[seg] = {})
      ) as Record<string, unknown>;
    }
    node[path.at(-1)!] = envValue(value);
    applied.set(path.join('.'), name);
  }
  return applied;
}

/** A YAML scalar or flow list ("3", "true", "[a, b]"); anything YAML rejects ("[::1]:80") stays text. */
function envValue(value: string): unknown {
  if (value === '') return '';
  try {
    return parseYamlValue(value) as unknown;
  } catch {
    return value;
  }
}

type AnySchema = {
  _zod: { def: { type: string; innerType?: AnySchema; shape?: Record<string, AnySchema> } };
};

function leafPaths(schema: unknown, prefix: string[]): string[][] {
  let s = schema as AnySchema;
  while (s._zod.def.innerType) s = s._zod.def.innerType;
  const shape = s._zod.def.type === 'object' ? s._zod.def.shape : undefined;
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}
