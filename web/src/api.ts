/** The FlowLens REST API from the browser: same-origin cookies, the CSRF header on writes, typed errors. */

/** An API error with its stable code. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when any request answers 401 (the session ended). */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

function csrfToken(): string {
  const m = /(?:^|;\s*)flowlens_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

/** Query parameters; arrays repeat the parameter, undefined and '' are left out. */
export type Params = Record<string, string | number | undefined | readonly string[]>;

/** Builds `/api/v1/<path>?...`. */
export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) q.append(k, x);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return `/api/v1/${path}${s ? `?${s}` : ''}`;
}

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });
  if (res.status === 401 && !url.endsWith('/auth/login')) for (const fn of unauthorizedListeners) fn();
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiFailure(res.status, err?.code ?? 'FLOWLENS_ERR_HTTP', err?.message ?? `HTTP ${res.status}`);
  }
  return data as T;
}

/** GET /api/v1/<path>. */
export const apiGet = <T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> =>
  request<T>('GET', apiUrl(path, params), undefined, signal);
/** POST /api/v1/<path> with a JSON body. */
export const apiPost = <T>(path: string, body: unknown): Promise<T> => request<T>('POST', apiUrl(path), body);
/** PATCH /api/v1/<path> with a JSON body. */
export const apiPatch = <T>(path: string, body: unknown): Promise<T> =>
  request<T>('PATCH', apiUrl(path), body);

/** Who is logged in. */
export interface Session {
  principal: { name: string; role: 'viewer' | 'operator' | 'admin'; kind: string };
  mustChangePassword: boolean;
  csrfToken?: string;
}

/** A paginated list. */
export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
  truncated?: boolean;
}

/** A top-list entry of the live API. */
export interface TopEntry {
  key: string;
  label?: string;
  bytes: number;
  packets: number;
  flows: number;
  bps: number;
}

/** One flow record from the store (a field is missing when unknown). */
export type FlowRow = { id: string } & Record<string, string | number | undefined>;

/** The live throughput payload. */
export interface Throughput {
  atMs: number;
  bps: number;
  pps: number;
  fps: number;
  /** Entering the local networks from outside, and leaving them. */
  inBps: number;
  outBps: number;
  inPps: number;
  outPps: number;
  exporters: { exporter: string; bps: number; pps: number; fps: number; lastSeenMs: number }[];
  interfaces: {
    exporter: string;
    ifIndex: number;
    inBps: number;
    outBps: number;
    inPps: number;
    outPps: number;
  }[];
}

/** One second of the live series. */
export interface RatePoint {
  t: number;
  bps: number;
  pps: number;
  fps: number;
  inBps: number;
  outBps: number;
  inPps: number;
  outPps: number;
}

/** A history series (GET /series). */
export interface Series {
  stepMs: number;
  points: { t: number; bytes: number; packets: number; flows: number }[];
}

/** The /stats snapshot (the parts the UI reads). */
export interface Stats {
  atMs: number;
  throughput: Throughput & { series: RatePoint[] };
  activeFlows: number;
  activeHosts: number;
  clients: { total: number; online: number };
  top: Record<'talkers' | 'protocols' | 'applications' | 'categories' | 'as' | 'countries', TopEntry[]>;
}

/** An exporter with its counters and health. */
export interface ExporterRow {
  exporter: string;
  types: string[];
  datagrams: number;
  records: number;
  lostRecords: number;
  lostDatagrams: number;
  templateMisses: number;
  errors: Record<string, number>;
  lastSeenMs: number;
  health: { status: 'ok' | 'degraded' | 'silent'; lossRatio: number; silentForMs: number };
}
