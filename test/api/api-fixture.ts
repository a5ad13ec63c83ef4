/**
 * The API under test: the real Fastify app (app.inject, no ports) over a real
 * store worker loaded with the fixed query dataset, a fake clock at the
 * dataset's "now", a temporary auth file with one user and one API key per
 * role, a fake recorder and fixed exporter counters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Registry } from 'prom-client';
import type { DevicesApiPort } from '../../src/api/routes/devices.ts';
import {
  createHttpApp,
  type ApiDeps,
  type ApiSecurityOptions,
  type RecordingsPort,
} from '../../src/api/index.ts';
import { createAuthStore, createSessionStore, type AuthStore, type Role } from '../../src/auth/index.ts';
import { createFakeClock, type FakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { Recording } from '../../src/ingest/recording/index.ts';
import type { AddressGeo } from '../../src/enrich/index.ts';
import type { StatsSnapshot } from '../../src/live/index.ts';
import type { ExporterSummary } from '../../src/pipeline/exporter-table.ts';
import { createQueryEngine } from '../../src/query/index.ts';
import { DATASET, NOW } from '../query/dataset.ts';
import { startStore, type StoreFixture } from './store-fixture.ts';

/** Passwords of the fixture users (user name = role). */
export const PASSWORD = 'correct horse battery';

/** The exporters the fake collector reports. */
export const EXPORTERS: ExporterSummary[] = [
  {
    exporter: '192.0.2.1',
    types: ['netflow9'],
    datagrams: 900,
    records: 9000,
    lostRecords: 0,
    lostDatagrams: 0,
    templateMisses: 0,
    errors: {},
    lastSeenMs: NOW - 1000,
  },
  {
    exporter: '192.0.2.2',
    types: ['ipfix'],
    datagrams: 500,
    records: 5000,
    lostRecords: 500,
    lostDatagrams: 5,
    templateMisses: 0,
    errors: { truncated: 2 },
    lastSeenMs: NOW - 2000,
  },
  {
    exporter: '2001:db8:ffff::1',
    types: ['ipfix'],
    datagrams: 10,
    records: 9,
    lostRecords: 0,
    lostDatagrams: 0,
    templateMisses: 0,
    errors: {},
    lastSeenMs: NOW - 3_600_000,
  },
];

/** A recorder in memory (no dumpcap): start/stop/list/open/delete. */
export function createFakeRecorder(clock: FakeClock): RecordingsPort {
  const recs = new Map<string, Recording>();
  let n = 0;
  const find = (id: string): Recording => {
    const r = recs.get(id);
    if (!r)
      throw Object.assign(new Error(`no recording "${id}"`), { code: 'FLOWLENS_ERR_RECORDING_NOT_FOUND' });
    return r;
  };
  return {
    async start(req) {
      if (req.interface === 'nosuch0')
        throw Object.assign(new Error('no interface nosuch0'), { code: 'FLOWLENS_ERR_CAPTURE_NO_INTERFACE' });
      const id = `rec-${++n}`;
      const file = {
        name: 'rec_00001_20240101000000.pcapng',
        bytes: 4,
        startedMs: clock.now(),
        active: true,
      };
      const r: Recording = {
        id,
        name: req.name ?? req.interface,
        interface: req.interface,
        filter: req.filter ?? '',
        state: 'recording',
        startedMs: clock.now(),
        files: [file],
        bytes: 4,
      };
      recs.set(id, r);
      return r;
    },
    async stop(id) {
      const r = find(id);
      r.state = 'stopped';
      r.stoppedMs = clock.now();
      for (const f of r.files) f.active = false;
      return r;
    },
    list: async () => [...recs.values()],
    async open(id, file) {
      const r = find(id);
      if (!r.files.some((f) => f.name === file))
        throw Object.assign(new Error(`no file "${file}"`), { code: 'FLOWLENS_ERR_RECORDING_NOT_FOUND' });
      return Readable.from([Buffer.from([0x0a, 0x0d, 0x0d, 0x0a])]);
    },
    async delete(id) {
      find(id);
      recs.delete(id);
    },
  };
}

/** What the fake geo database knows (the dataset's IPv6 server; private addresses have no place). */
export const FAKE_GEO: Record<string, AddressGeo> = {
  '2001:db8:1::443': { country: 'DE', city: 'Berlin', latitude: 52.52, longitude: 13.4, asn: 15169 },
  '2001:db8:2::10': { country: 'JP', latitude: 35.68, longitude: 139.69 },
  '10.0.0.1': { special: 'private' },
};

/** A stats snapshot of the live state's shape. */
export function fakeStats(atMs: number): StatsSnapshot {
  const top = { talkers: [], protocols: [], applications: [], categories: [], as: [], countries: [] };
  return {
    atMs,
    window: '1m',
    totals: { bytes: 1000, packets: 10, flows: 2 },
    throughput: {
      atMs,
      bps: 8000,
      pps: 10,
      fps: 2,
      inBps: 6000,
      outBps: 2000,
      inPps: 7,
      outPps: 3,
      exporters: [],
      interfaces: [],
      series: [],
    },
    activeFlows: 2,
    activeHosts: 3,
    clients: { total: 1, online: 1 },
    top,
  } as StatsSnapshot;
}

/** Security settings for tests: generous API limit, a small login limit. */
export const TEST_SECURITY: ApiSecurityOptions = {
  secureCookies: false,
  corsOrigins: [],
  rateLimitMax: 100_000,
  rateLimitWindowMs: 60_000,
  loginMax: 1000,
  loginWindowMs: 60_000,
  metricsToken: '',
};

/** A running test API. */
export interface TestApi {
  app: FastifyInstance;
  deps: ApiDeps;
  clock: FakeClock;
  auth: AuthStore;
  dir: string;
  /** "METHOD /url" of every registered route. */
  routes: string[];
  /** An API key per role. */
  keys: Record<Role, string>;
  /** `authorization` header of a role's key. */
  bearer(role: Role): { authorization: string };
  /** Logs in as a user; returns the headers (cookie, CSRF) for later requests. */
  login(name: string, password?: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Options of a test API. */
export interface TestApiOptions {
  store?: StoreFixture | undefined;
  security?: Partial<ApiSecurityOptions>;
  envToken?: string;
  /** The device component (the device detail and edit routes exist only with it). */
  devices?: DevicesApiPort;
}

/** Cookie header from a response's set-cookie headers. */
export function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

/** Starts the fixture store (shared by a file's tests). */
export const startDatasetStore = (): Promise<StoreFixture> => startStore(DATASET, NOW);

/** Builds the API (users and keys for every role, and a user "fresh" who must change the password). */
export async function createTestApi(o: TestApiOptions = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-api-auth-'));
  const clock = createFakeClock(NOW);
  const auth = createAuthStore({
    file: join(dir, 'auth.json'),
    now: () => clock.now(),
    ...(o.envToken ? { envToken: o.envToken } : {}),
  });
  const keys = {} as Record<Role, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await auth.addUser(role, role, PASSWORD);
    keys[role] = auth.createApiKey(`${role} key`, role, 'test').key;
  }
  await auth.addUser('fresh', 'admin', PASSWORD, true);
  const deps: ApiDeps = {
    clock,
    log: createSilentLogger(),
    version: '0.0.0-test',
    storageEngine: 'duckdb',
    queries: o.store ? createQueryEngine({ runner: o.store.host.runner, now: () => clock.now() }) : undefined,
    exporters: () => EXPORTERS,
    recordings: createFakeRecorder(clock),
    enrichment: {
      activeDetector: 'builtin',
      attributions: () => [
        {
          provides: 'geo',
          source: 'test',
          origin: 'test',
          licence: 'CC0',
          licenceUrl: 'https://example.org',
          notice: 'n',
        },
      ],
    },
    stats: () => fakeStats(clock.now()),
    localNetworks: ['10.0.0.0/8'],
    geo: { locate: async (addrs) => addrs.map((a) => FAKE_GEO[a]) },
    auth,
    sessions: createSessionStore({ now: () => clock.now(), maxAgeMs: 12 * 3_600_000, idleMs: 3_600_000 }),
    security: { ...TEST_SECURITY, ...o.security },
    ...(o.devices ? { devices: o.devices } : {}),
  };
  const app = createHttpApp({
    registry: new Registry(),
    log: deps.log,
    health: () => ({ ready: true }),
    api: deps,
  });
  const routes: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) routes.push(`${m} ${r.url}`);
  });
  await app.ready();
  const login = async (name: string, password = PASSWORD): Promise<Record<string, string>> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: name, password },
    });
    if (res.statusCode !== 200) throw new Error(`login ${name}: ${res.statusCode} ${res.body}`);
    const c = cookiesOf(res);
    return {
      cookie: Object.entries(c)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
      'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken,
    };
  };
  return {
    app,
    deps,
    clock,
    auth,
    dir,
    routes,
    keys,
    bearer: (role) => ({ authorization: `Bearer ${keys[role]}` }),
    login,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
