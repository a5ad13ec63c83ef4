/**
 * WebSocket /api/v1/live: each connection subscribes to topics and gets,
 * once per live tick (live.pushInterval), one "update" message holding only
 * its topics. A topic's JSON is built once per tick and shared by every
 * connection that wants it; a connection whose send buffer is still full
 * skips a tick instead of queueing without bound.
 */
import websocket from '@fastify/websocket';
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LiveState, TopWindow } from '../../live/index.ts';
import { LIVE_TOPICS, parseClientMessage, type LiveTopic } from './messages.ts';

/** Options of registerLiveRoutes. */
export interface LiveRoutesOptions {
  live: LiveState;
  /** True (or any truthy value) when the upgrade request may connect: a session or a Bearer key. */
  authorize: (request: FastifyRequest) => unknown;
  /** Route config (the API core's `role`); `{ role: 'viewer' }` unless given. */
  routeConfig?: FastifyContextConfig;
  /** Connection and message counters go here when given. */
  registry?: Registry;
}

/** The route's path. */
export const LIVE_URL = '/api/v1/live';
/** Largest client message: subscriptions are tiny. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
/** A connection with more than this still unsent skips a tick. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const DEFAULT_LIMIT = 10;

/** The part of a `ws` WebSocket used here (ws ships no types in this install). */
interface LiveSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  on(event: 'close', cb: () => void): void;
  on(event: 'message', cb: (data: Buffer, isBinary: boolean) => void): void;
}

interface Connection {
  socket: LiveSocket;
  topics: Set<LiveTopic>;
  window: TopWindow;
  limit: number;
}

type TopicBuilder = (live: LiveState, window: TopWindow, limit: number) => unknown;

const TOPIC_BUILDERS: Record<LiveTopic, TopicBuilder> = {
  stats: (live, window, limit) => live.snapshot({ window, limit }),
  throughput: (live) => live.throughput(),
  'top-talkers': (live, w, l) => live.top('talkers', w, l),
  // The hosts sending (receiving) the most now, over the rate window.
  'top-sources': (live, _w, limit) => live.hosts({ sort: 'sent', active: true, limit }).items,
  'top-destinations': (live, _w, limit) => live.hosts({ sort: 'received', active: true, limit }).items,
  'top-protocols': (live, w, l) => live.top('protocols', w, l),
  'top-applications': (live, w, l) => live.top('applications', w, l),
  'top-categories': (live, w, l) => live.top('categories', w, l),
  'top-as': (live, w, l) => live.top('as', w, l),
  'top-countries': (live, w, l) => live.top('countries', w, l),
  hosts: (live, _w, limit) => live.hosts({ sort: 'rate', active: true, limit }),
  flows: (live, _w, limit) => live.activeFlows({ limit }),
};

/**
 * Registers WebSocket /api/v1/live on `app` (and @fastify/websocket when the
 * app has not got it yet). Await it before `app.ready()`.
 */
export async function registerLiveRoutes(app: FastifyInstance, opts: LiveRoutesOptions): Promise<void> {
  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } });
  const { live } = opts;
  const metrics = opts.registry ? createLiveSocketMetrics(opts.registry) : undefined;
  const connections = new Set<Connection>();
  const push = (nowMs: number): void => {
    const built = new Map<string, string>();
    const json = (topic: LiveTopic, c: Connection): string => {
      const key = `${topic}|${c.window}|${c.limit}`;
      let s = built.get(key);
      if (s === undefined) {
        s = JSON.stringify(TOPIC_BUILDERS[topic](live, c.window, c.limit));
        built.set(key, s);
      }
      return s;
    };
    for (const c of connections) {
      if (c.topics.size === 0 || c.socket.readyState !== c.socket.OPEN) continue;
      if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        metrics?.skipped.inc();
        continue;
      }
      const parts = [...c.topics].map((t) => `${JSON.stringify(t)}:${json(t, c)}`);
      c.socket.send(`{"type":"update","atMs":${nowMs},"topics":{${parts.join(',')}}}`);
      metrics?.sent.inc();
    }
  };
  const offTick = live.onTick(push);
  app.addHook('onClose', async () => offTick());

  app.route({
    method: 'GET',
    url: LIVE_URL,
    config: opts.routeConfig ?? ({ role: 'viewer' } as FastifyContextConfig),
    schema: {
      summary: 'Live push (WebSocket)',
      description: 'Upgrade to a WebSocket, then send {"subscribe": [topics]}; docs/api-live.md.',
      tags: ['live'],
    },
    preValidation: async (req, reply) => {
      if (await opts.authorize(req)) return;
      await reply.code(401).send({
        error: {
          code: 'FLOWLENS_ERR_UNAUTHENTICATED',
          message: 'log in or send "Authorization: Bearer <API key>"',
        },
      });
    },
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({
          error: { code: 'FLOWLENS_ERR_UPGRADE_REQUIRED', message: `${LIVE_URL} speaks WebSocket only` },
        }),
    wsHandler: (socket: LiveSocket) => {
      const c: Connection = { socket, topics: new Set(), window: '1m', limit: DEFAULT_LIMIT };
      connections.add(c);
      metrics?.connections.inc();
      socket.on('close', () => {
        connections.delete(c);
        metrics?.connections.dec();
      });
      socket.on('message', (data, isBinary) => onClientMessage(c, isBinary ? '' : String(data)));
      socket.send(
        JSON.stringify({ type: 'hello', topics: LIVE_TOPICS, intervalMs: live.config.pushInterval }),
      );
    },
  });
}

function onClientMessage(c: Connection, text: string): void {
  const m = parseClientMessage(text);
  if (typeof m === 'string') {
    c.socket.send(
      JSON.stringify({ type: 'error', error: { code: 'FLOWLENS_ERR_LIVE_MESSAGE', message: m } }),
    );
    return;
  }
  for (const t of m.subscribe ?? []) c.topics.add(t);
  for (const t of m.unsubscribe ?? []) c.topics.delete(t);
  if (m.window !== undefined) c.window = m.window;
  if (m.limit !== undefined) c.limit = m.limit;
  c.socket.send(
    JSON.stringify({ type: 'subscribed', topics: [...c.topics], window: c.window, limit: c.limit }),
  );
}

function createLiveSocketMetrics(registry: Registry) {
  const registers = [registry];
  return {
    connections: new Gauge({
      name: 'flowlens_live_connections',
      help: 'Open WebSocket connections on /api/v1/live.',
      registers,
    }),
    sent: new Counter({ name: 'flowlens_live_updates_total', help: 'Update messages pushed.', registers }),
    skipped: new Counter({
      name: 'flowlens_live_updates_skipped_total',
      help: 'Updates not pushed because the connection had not drained the previous ones.',
      registers,
    }),
  };
}
