/**
 * Flow ids. The store keeps no id column (flows are appended in columnar
 * batches from several threads, and numbering them would serialise the
 * writers), so an id is an opaque token that says where to look: the flow's
 * store time (its end, else its start), its exporter, and a hash of the whole
 * record. Looking one up reads the flows of that millisecond (and exporter)
 * and returns the one whose hash matches. Identical records at the same
 * millisecond share an id (and are the same flow to anyone reading them).
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { FlowRecord } from '../schema/flow-record.ts';
import { FIELDS } from '../schema/fields.ts';
import type { QueryEngine } from '../query/index.ts';

const VERSION = 'f1';
const HASH_BYTES = 12;

/** What an id encodes. */
export interface FlowLocator {
  timeMs: number;
  exporter: string;
  hash: string;
}

/** The hash of a record's fields in field-table order (absent fields included as such). */
export function recordHash(r: FlowRecord): string {
  const h = createHash('sha256');
  for (const f of FIELDS) h.update(`${JSON.stringify(r[f.name] ?? null)}\u0000`);
  return h.digest().subarray(0, HASH_BYTES).toString('base64url');
}

/** The time a store files a record under; records with neither end nor start get their arrival time, which is not kept: -1. */
const timeOf = (r: FlowRecord): number => r.end ?? r.start ?? -1;

/** The id of a stored record. */
export function flowId(r: FlowRecord): string {
  const text = `${VERSION}|${timeOf(r)}|${r.exporter}|${recordHash(r)}`;
  return Buffer.from(text).toString('base64url');
}

/** The locator of an id, or undefined when it is not one. */
export function parseFlowId(id: string): FlowLocator | undefined {
  if (!/^[A-Za-z0-9_-]{8,400}$/.test(id)) return undefined;
  const parts = Buffer.from(id, 'base64url').toString().split('|');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  const timeMs = Number(parts[1]);
  if (!Number.isSafeInteger(timeMs) || timeMs < -1) return undefined;
  return { timeMs, exporter: parts[2]!, hash: parts[3]! };
}

/** Flows read per lookup at most (all flows of one exporter in one millisecond). */
const LOOKUP_LIMIT = 100_000;

/** Finds the flow of an id; `searchMs` bounds the search of records that carry no time. */
export async function findFlow(
  engine: QueryEngine,
  loc: FlowLocator,
  searchFallback: { fromMs: number; toMs: number },
): Promise<FlowRecord | undefined> {
  const range = loc.timeMs >= 0 ? { fromMs: loc.timeMs, toMs: loc.timeMs + 1 } : searchFallback;
  const filter = isIP(loc.exporter) ? `exporter = ${loc.exporter}` : undefined;
  for await (const rows of engine.streamFlows({ range, filter, limit: LOOKUP_LIMIT })) {
    for (const r of rows)
      if (timeOf(r) === loc.timeMs && recordHash(r) === loc.hash && r.exporter === loc.exporter) return r;
  }
  return undefined;
}
