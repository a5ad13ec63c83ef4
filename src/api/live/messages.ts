/**
 * The WebSocket protocol of /api/v1/live (docs/api-live.md): topics, the
 * client's messages (parsed and checked here) and the server's, with their
 * JSON schemas.
 */
import { WINDOW_SECONDS, type TopWindow } from '../../live/index.ts';

/** Topics a client can subscribe to. */
export const LIVE_TOPICS = [
  'stats',
  'throughput',
  'top-talkers',
  'top-sources',
  'top-destinations',
  'top-protocols',
  'top-applications',
  'top-categories',
  'top-as',
  'top-countries',
  'hosts',
  'flows',
] as const;

/** One topic. */
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** A client's request: topics to add and remove, and options for every topic of the connection. */
export interface ClientMessage {
  subscribe?: LiveTopic[];
  unsubscribe?: LiveTopic[];
  /** Window of top lists and `stats` totals. */
  window?: TopWindow;
  /** Entries per list (top lists, hosts, flows). */
  limit?: number;
}

/** Limits of `limit`. */
export const MAX_LIST_LIMIT = 100;

const isTopic = (t: unknown): t is LiveTopic =>
  typeof t === 'string' && (LIVE_TOPICS as readonly string[]).includes(t);

/** Parses a client message; a string result is the reason it was refused. */
export function parseClientMessage(text: string): ClientMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object';
  const o = v as Record<string, unknown>;
  const known = new Set(['subscribe', 'unsubscribe', 'window', 'limit']);
  const extra = Object.keys(o).find((k) => !known.has(k));
  if (extra !== undefined)
    return `unknown member "${extra}" (expected subscribe, unsubscribe, window, limit)`;
  const out: ClientMessage = {};
  for (const key of ['subscribe', 'unsubscribe'] as const) {
    const list = o[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `"${key}" must be an array of topics`;
    const bad = list.find((t) => !isTopic(t));
    if (bad !== undefined) return `unknown topic ${JSON.stringify(bad)} (topics: ${LIVE_TOPICS.join(', ')})`;
    out[key] = list as LiveTopic[];
  }
  if (o['window'] !== undefined) {
    if (typeof o['window'] !== 'string' || !(o['window'] in WINDOW_SECONDS))
      return `"window" must be one of ${Object.keys(WINDOW_SECONDS).join(', ')}`;
    out.window = o['window'] as TopWindow;
  }
  if (o['limit'] !== undefined) {
    const l = o['limit'];
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > MAX_LIST_LIMIT)
      return `"limit" must be an integer from 1 to ${MAX_LIST_LIMIT}`;
    out.limit = l;
  }
  return out;
}

const topicArray = { type: 'array', items: { type: 'string', enum: [...LIVE_TOPICS] }, uniqueItems: true };

/** JSON Schemas of the messages, by name (docs/api-live.md shows them). */
export const LIVE_MESSAGE_SCHEMAS = {
  client: {
    type: 'object',
    properties: {
      subscribe: topicArray,
      unsubscribe: topicArray,
      window: { type: 'string', enum: Object.keys(WINDOW_SECONDS) },
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT },
    },
    additionalProperties: false,
  },
  hello: {
    type: 'object',
    properties: {
      type: { const: 'hello' },
      topics: topicArray,
      intervalMs: { type: 'integer' },
    },
    required: ['type', 'topics', 'intervalMs'],
  },
  subscribed: {
    type: 'object',
    properties: {
      type: { const: 'subscribed' },
      topics: topicArray,
      window: { type: 'string', enum: Object.keys(WINDOW_SECONDS) },
      limit: { type: 'integer' },
    },
    required: ['type', 'topics', 'window', 'limit'],
  },
  update: {
    type: 'object',
    properties: {
      type: { const: 'update' },
      atMs: { type: 'integer' },
      topics: { type: 'object', propertyNames: { enum: [...LIVE_TOPICS] } },
    },
    required: ['type', 'atMs', 'topics'],
  },
  error: {
    type: 'object',
    properties: {
      type: { const: 'error' },
      error: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' } },
        required: ['code', 'message'],
      },
    },
    required: ['type', 'error'],
  },
} as const;
