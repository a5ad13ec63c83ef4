/** Builders shared by the live-view tests. */
import type { FlowRecord } from '../../src/schema/flow-record.ts';

/** A NetFlow v9 record with the fields the live view reads; `over` replaces any of them. */
export function flow(over: Partial<FlowRecord> = {}): FlowRecord {
  return {
    type: 'netflow9',
    exporter: '192.0.2.1',
    srcAddr: '10.0.0.1',
    dstAddr: '198.51.100.7',
    srcPort: 50000,
    dstPort: 443,
    proto: 6,
    bytes: 1000,
    packets: 10,
    inIf: 1,
    outIf: 2,
    ...over,
  };
}

/** A second-aligned start time for fake clocks. */
export const T0 = 1_700_000_000_000;

/**
 * Checks `value` against the small JSON Schema subset the live schemas use
 * (type, properties, required, additionalProperties: false, items, enum);
 * returns the first problem as "path: why", or undefined.
 */
export function schemaProblem(
  schema: Record<string, unknown>,
  value: unknown,
  path = '$',
): string | undefined {
  const type = schema['type'];
  if (type === 'number' || type === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${path}: expected a number`;
    if (type === 'integer' && !Number.isInteger(value)) return `${path}: expected an integer`;
  } else if (type === 'string') {
    if (typeof value !== 'string') return `${path}: expected a string`;
    const e = schema['enum'] as string[] | undefined;
    if (e && !e.includes(value)) return `${path}: not one of ${e.join(', ')}`;
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') return `${path}: expected a boolean`;
  } else if (type === 'array') {
    if (!Array.isArray(value)) return `${path}: expected an array`;
    for (const [i, v] of value.entries()) {
      const p = schemaProblem(schema['items'] as Record<string, unknown>, v, `${path}[${i}]`);
      if (p) return p;
    }
  } else if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${path}: expected an object`;
    const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
    const v = value as Record<string, unknown>;
    for (const k of (schema['required'] ?? []) as string[]) if (!(k in v)) return `${path}.${k}: missing`;
    for (const [k, x] of Object.entries(v)) {
      const s = props[k];
      if (!s) {
        if (schema['additionalProperties'] === false) return `${path}.${k}: not in the schema`;
        continue;
      }
      const p = schemaProblem(s, x, `${path}.${k}`);
      if (p) return p;
    }
  }
  return undefined;
}
