/** The live WebSocket (/api/v1/live): one shared connection, topics reference-counted, reconnects with backoff. */
import { useEffect, useState } from 'react';

export type Topic =
  | 'stats'
  | 'throughput'
  | 'top-talkers'
  | 'top-sources'
  | 'top-destinations'
  | 'top-protocols'
  | 'top-applications'
  | 'top-categories'
  | 'top-as'
  | 'top-countries'
  | 'hosts'
  | 'flows';

type Handler = (payload: unknown, atMs: number) => void;

/** Connection state, for the status dot. */
export type LiveStatus = 'connecting' | 'open' | 'closed';

let ws: WebSocket | undefined;
let status: LiveStatus = 'closed';
let retryMs = 500;
let settings = { window: '1m', limit: 10 };
const handlers = new Map<Topic, Set<Handler>>();
const statusListeners = new Set<(s: LiveStatus) => void>();

function setStatus(s: LiveStatus): void {
  status = s;
  for (const fn of statusListeners) fn(s);
}

function send(msg: unknown): void {
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function subscribeAll(): void {
  const topics = [...handlers.keys()].filter((t) => (handlers.get(t)?.size ?? 0) > 0);
  if (topics.length > 0) send({ subscribe: topics, ...settings });
}

function connect(): void {
  if (ws && ws.readyState <= WebSocket.OPEN) return;
  setStatus('connecting');
  const sock = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`,
  );
  ws = sock;
  sock.onopen = () => {
    retryMs = 500;
    setStatus('open');
    subscribeAll();
  };
  sock.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data)) as {
      type: string;
      atMs?: number;
      topics?: Record<string, unknown>;
    };
    if (msg.type !== 'update' || !msg.topics) return;
    for (const [topic, payload] of Object.entries(msg.topics)) {
      for (const h of handlers.get(topic as Topic) ?? []) h(payload, msg.atMs ?? Date.now());
    }
  };
  sock.onclose = () => {
    if (ws !== sock) return;
    ws = undefined;
    setStatus('closed');
    if ([...handlers.values()].some((s) => s.size > 0)) {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    }
  };
}

/** Ends the connection (logout). */
export function closeLive(): void {
  const s = ws;
  ws = undefined;
  s?.close();
  setStatus('closed');
}

/** Sets the window and list length of top lists for every subscriber. */
export function setLiveSettings(window: string, limit: number): void {
  if (settings.window === window && settings.limit === limit) return;
  settings = { window, limit };
  subscribeAll();
}

/** Subscribes to a topic; the returned function unsubscribes. */
export function subscribe(topic: Topic, h: Handler): () => void {
  let set = handlers.get(topic);
  if (!set) handlers.set(topic, (set = new Set()));
  const first = set.size === 0;
  set.add(h);
  if (!ws) connect();
  else if (first) send({ subscribe: [topic], ...settings });
  return () => {
    set.delete(h);
    if (set.size === 0) send({ unsubscribe: [topic] });
  };
}

/** The latest payload of a topic (undefined until the first update). */
export function useLive<T>(topic: Topic, enabled = true): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => (enabled ? subscribe(topic, (p) => setValue(p as T)) : undefined), [topic, enabled]);
  return value;
}

/** The connection state. */
export function useLiveStatus(): LiveStatus {
  const [s, setS] = useState(status);
  useEffect(() => {
    statusListeners.add(setS);
    return () => {
      statusListeners.delete(setS);
    };
  }, []);
  return s;
}
