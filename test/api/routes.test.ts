/**
 * Every route: success, bad input (400 naming the parameter), no
 * credentials (401) and too little role (403). Viewer routes are refused to
 * a user who must still change the generated password (the only principal
 * below viewer); the routes open to such a user show the CSRF refusal or the
 * API key refusal instead. The table must cover every registered route.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HTTPMethods } from 'fastify';
import type { Role } from '../../src/auth/index.ts';
import { createSeededDevices, SEEDED_DEVICE_ID } from '../devices/seeded-devices.ts';
import { createTestApi, PASSWORD, startDatasetStore, type TestApi } from './api-fixture.ts';
import type { StoreFixture } from './store-fixture.ts';

const R = 'from=2024-01-01T00:00:00Z&to=2024-01-01T03:00:00Z';

interface Req {
  url: string;
  payload?: object;
}
interface Case {
  method: HTTPMethods;
  /** The route as registered. */
  route: string;
  role: Role | 'public';
  ok: number;
  /** The request that succeeds (made with the lowest role that may); a function when it needs set-up. */
  req: Req | ((t: TestApi) => Promise<Req>);
  bad: Req & { param: string };
  /** Instead of a role refusal, for routes every principal may use. */
  forbidden?: (t: TestApi) => Promise<{ headers: Record<string, string>; code: string }>;
  /** Needs a session (password change). */
  session?: boolean;
}

const get = (route: string, role: Case['role'], url: string, bad: string, param: string, ok = 200): Case => ({
  method: 'GET',
  route,
  role,
  ok,
  req: { url },
  bad: { url: bad, param },
});

async function firstFlowId(t: TestApi): Promise<string> {
  const res = await t.app.inject({ url: `/api/v1/flows?${R}&limit=1`, headers: t.bearer('admin') });
  return (res.json() as { items: { id: string }[] }).items[0]!.id;
}
async function newRecording(t: TestApi): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/recordings',
    headers: t.bearer('admin'),
    payload: { interface: 'eth0' },
  });
  return (res.json() as { id: string }).id;
}

const CASES: Case[] = [
  {
    method: 'POST',
    route: '/api/v1/auth/login',
    role: 'public',
    ok: 200,
    req: { url: '/api/v1/auth/login', payload: { username: 'viewer', password: PASSWORD } },
    bad: { url: '/api/v1/auth/login', payload: { username: 'viewer' }, param: 'password' },
  },
  {
    method: 'POST',
    route: '/api/v1/auth/logout',
    role: 'viewer',
    ok: 204,
    req: { url: '/api/v1/auth/logout' },
    bad: { url: '/api/v1/auth/logout?all=1', param: 'all' },
    forbidden: async (t) => {
      const { cookie } = await t.login('viewer');
      return { headers: { cookie: cookie! }, code: 'FLOWLENS_ERR_CSRF' };
    },
  },
  {
    ...get('/api/v1/auth/session', 'viewer', '/api/v1/auth/session', '/api/v1/auth/session?x=1', 'x'),
    forbidden: async () => ({
      headers: { authorization: `Bearer flk_${'0'.repeat(16)}_${'A'.repeat(43)}` },
      code: 'FLOWLENS_ERR_UNAUTHENTICATED',
    }),
  },
  {
    method: 'POST',
    route: '/api/v1/auth/password',
    role: 'viewer',
    ok: 204,
    session: true,
    req: {
      url: '/api/v1/auth/password',
      payload: { currentPassword: PASSWORD, newPassword: 'another long password' },
    },
    bad: { url: '/api/v1/auth/password', payload: { currentPassword: PASSWORD }, param: 'newPassword' },
    forbidden: async (t) => ({ headers: t.bearer('admin'), code: 'FLOWLENS_ERR_FORBIDDEN' }),
  },
  get('/api/v1/users', 'admin', '/api/v1/users', '/api/v1/users?limit=0', 'limit'),
  {
    method: 'POST',
    route: '/api/v1/users',
    role: 'admin',
    ok: 201,
    req: { url: '/api/v1/users', payload: { name: 'new-user', role: 'viewer', password: PASSWORD } },
    bad: { url: '/api/v1/users', payload: { name: 'x', role: 'boss', password: PASSWORD }, param: 'role' },
  },
  {
    method: 'DELETE',
    route: '/api/v1/users/:name',
    role: 'admin',
    ok: 204,
    req: async (t) => {
      const name = `doomed-${Math.random().toString(36).slice(2, 8)}`;
      await t.auth.addUser(name, 'viewer', PASSWORD);
      return { url: `/api/v1/users/${name}` };
    },
    bad: { url: '/api/v1/users/bad%20name', param: 'name' },
  },
  get('/api/v1/api-keys', 'admin', '/api/v1/api-keys', '/api/v1/api-keys?limit=x', 'limit'),
  {
    method: 'POST',
    route: '/api/v1/api-keys',
    role: 'admin',
    ok: 201,
    req: { url: '/api/v1/api-keys', payload: { name: 'script', role: 'viewer' } },
    bad: { url: '/api/v1/api-keys', payload: { name: 'script' }, param: 'role' },
  },
  {
    method: 'DELETE',
    route: '/api/v1/api-keys/:id',
    role: 'admin',
    ok: 204,
    req: async (t) => ({
      url: `/api/v1/api-keys/${t.auth.createApiKey('doomed', 'viewer', 'test').apiKey.id}`,
    }),
    bad: { url: '/api/v1/api-keys/not-hex', param: 'id' },
  },
  get('/api/v1/flows', 'viewer', `/api/v1/flows?${R}`, '/api/v1/flows?limit=0', 'limit'),
  get(
    '/api/v1/flows/export',
    'viewer',
    `/api/v1/flows/export?${R}&limit=5`,
    '/api/v1/flows/export?format=xml',
    'format',
  ),
  {
    method: 'GET',
    route: '/api/v1/flows/:id',
    role: 'viewer',
    ok: 200,
    req: async (t) => ({ url: `/api/v1/flows/${await firstFlowId(t)}` }),
    bad: { url: '/api/v1/flows/not-a-flow-id', param: 'id' },
  },
  get('/api/v1/stats', 'viewer', '/api/v1/stats', '/api/v1/stats?window=2h', 'window'),
  get(
    '/api/v1/top-talkers',
    'viewer',
    `/api/v1/top-talkers?${R}`,
    '/api/v1/top-talkers?direction=up',
    'direction',
  ),
  get(
    '/api/v1/top',
    'viewer',
    `/api/v1/top?${R}&dimension=dstPort`,
    '/api/v1/top?dimension=nope',
    'dimension',
  ),
  get('/api/v1/protocols', 'viewer', `/api/v1/protocols?${R}`, '/api/v1/protocols?by=port', 'by'),
  get('/api/v1/hosts', 'viewer', `/api/v1/hosts?${R}`, '/api/v1/hosts?from=bogus', 'from'),
  get('/api/v1/interfaces', 'viewer', `/api/v1/interfaces?${R}`, '/api/v1/interfaces?to=bogus', 'to'),
  get('/api/v1/exporters', 'viewer', '/api/v1/exporters', '/api/v1/exporters?offset=-1', 'offset'),
  get('/api/v1/advisories', 'viewer', '/api/v1/advisories', '/api/v1/advisories?limit=5000', 'limit'),
  get('/api/v1/devices', 'viewer', '/api/v1/devices', '/api/v1/devices?limit=abc', 'limit'),
  get(
    '/api/v1/devices/:id',
    'viewer',
    `/api/v1/devices/${SEEDED_DEVICE_ID}`,
    `/api/v1/devices/${'x'.repeat(65)}`,
    'id',
  ),
  {
    method: 'PATCH',
    route: '/api/v1/devices/:id',
    role: 'operator',
    ok: 200,
    req: { url: `/api/v1/devices/${SEEDED_DEVICE_ID}`, payload: { name: 'build box', deviceType: 'server' } },
    bad: {
      url: `/api/v1/devices/${SEEDED_DEVICE_ID}`,
      payload: { deviceType: 'toaster' },
      param: 'deviceType',
    },
  },
  get(
    '/api/v1/reports',
    'viewer',
    `/api/v1/reports?${R}&dimensions=dstPort`,
    '/api/v1/reports?dimensions=nope',
    'dimensions',
  ),
  get(
    '/api/v1/reports/export',
    'viewer',
    `/api/v1/reports/export?${R}&dimensions=dstPort`,
    '/api/v1/reports/export?format=csv',
    'dimensions',
  ),
  get(
    '/api/v1/reports/compare',
    'viewer',
    '/api/v1/reports/compare?aFrom=2024-01-01T00:00Z&aTo=2024-01-01T01:00Z&bFrom=2024-01-01T01:00Z&bTo=2024-01-01T02:00Z&dimensions=proto',
    '/api/v1/reports/compare?aTo=-1h&bFrom=-2h&bTo=-1h&dimensions=proto',
    'aFrom',
  ),
  get('/api/v1/series', 'viewer', `/api/v1/series?${R}&step=1h`, '/api/v1/series?step=5minutes', 'step'),
  get(
    '/api/v1/filter/values',
    'viewer',
    `/api/v1/filter/values?${R}&name=app`,
    `/api/v1/filter/values?${R}&name=nosuchfield`,
    'name',
  ),
  get('/api/v1/geo/hosts', 'viewer', `/api/v1/geo/hosts?${R}`, '/api/v1/geo/hosts?limit=0', 'limit'),
  get(
    '/api/v1/geo/address',
    'viewer',
    '/api/v1/geo/address?addr=2001:db8:1::443',
    '/api/v1/geo/address',
    'addr',
  ),
  get('/api/v1/recordings', 'viewer', '/api/v1/recordings', '/api/v1/recordings?limit=0', 'limit'),
  {
    method: 'POST',
    route: '/api/v1/recordings',
    role: 'operator',
    ok: 201,
    req: { url: '/api/v1/recordings', payload: { interface: 'eth0', filter: 'udp' } },
    bad: { url: '/api/v1/recordings', payload: { filter: 'udp' }, param: 'interface' },
  },
  {
    method: 'GET',
    route: '/api/v1/recordings/:id',
    role: 'viewer',
    ok: 200,
    req: async (t) => ({ url: `/api/v1/recordings/${await newRecording(t)}` }),
    bad: { url: '/api/v1/recordings/BAD!', param: 'id' },
  },
  {
    method: 'POST',
    route: '/api/v1/recordings/:id/stop',
    role: 'operator',
    ok: 200,
    req: async (t) => ({ url: `/api/v1/recordings/${await newRecording(t)}/stop` }),
    bad: { url: '/api/v1/recordings/BAD!/stop', param: 'id' },
  },
  {
    method: 'DELETE',
    route: '/api/v1/recordings/:id',
    role: 'operator',
    ok: 204,
    req: async (t) => ({ url: `/api/v1/recordings/${await newRecording(t)}` }),
    bad: { url: '/api/v1/recordings/BAD!', param: 'id' },
  },
  {
    method: 'GET',
    route: '/api/v1/recordings/:id/files/:file',
    role: 'operator',
    ok: 200,
    req: async (t) => ({
      url: `/api/v1/recordings/${await newRecording(t)}/files/rec_00001_20240101000000.pcapng`,
    }),
    bad: { url: '/api/v1/recordings/rec-1/files/a%20b', param: 'file' },
  },
  get('/api/v1/about', 'viewer', '/api/v1/about', '/api/v1/about?verbose=1', 'verbose'),
  get('/api/v1/openapi.json', 'public', '/api/v1/openapi.json', '/api/v1/openapi.json?x=1', 'x'),
  get('/metrics', 'public', '/metrics', '/metrics?x=1', 'x'),
  get('/healthz', 'public', '/healthz', '/healthz?x=1', 'x'),
];

/** The role below `need` whose key is refused. */
const BELOW: Record<Role, Role | undefined> = { viewer: undefined, operator: 'viewer', admin: 'operator' };

describe('every route', () => {
  let store: StoreFixture;
  let t: TestApi;
  const seeded = createSeededDevices();
  before(async () => {
    store = await startDatasetStore();
    t = await createTestApi({ store, devices: seeded.devices });
  });
  after(async () => {
    await t?.close();
    await store?.close();
    seeded.close();
  });

  test('the table covers every registered route (docs UI aside)', () => {
    const covered = new Set(CASES.map((c) => `${c.method} ${c.route}`));
    assert.equal(covered.size, CASES.length, 'a route is listed twice');
    const registered = routesOf(t);
    for (const route of registered) assert.ok(covered.has(route), `no test case for ${route}`);
    for (const route of covered) assert.ok(registered.includes(route), `${route} is not registered`);
  });

  for (const c of CASES) {
    describe(`${c.method} ${c.route}`, () => {
      const headersFor = async (): Promise<Record<string, string>> => {
        if (c.role === 'public') return {};
        if (c.session) {
          const name = `s-${Math.random().toString(36).slice(2, 10)}`;
          await t.auth.addUser(name, 'viewer', PASSWORD);
          return t.login(name);
        }
        return t.bearer(c.role);
      };
      test(`succeeds with ${c.role === 'public' ? 'no credentials' : `the ${c.role} role`}`, async () => {
        const req = typeof c.req === 'function' ? await c.req(t) : c.req;
        const res = await t.app.inject({ method: c.method, ...req, headers: await headersFor() });
        assert.equal(res.statusCode, c.ok, res.body);
      });
      test('bad input: 400 naming the parameter', async () => {
        const res = await t.app.inject({
          method: c.method,
          url: c.bad.url,
          ...(c.bad.payload ? { payload: c.bad.payload } : {}),
          headers: await headersFor(),
        });
        assert.equal(res.statusCode, 400, res.body);
        const e = (res.json() as { error: { code: string; message: string; parameter?: string } }).error;
        assert.match(e.code, /^FLOWLENS_ERR_/);
        assert.equal(e.parameter, c.bad.param, res.body);
        assert.ok(e.message.includes(c.bad.param), e.message);
      });
      if (c.role === 'public') return;
      test('no credentials: 401', async () => {
        const req = typeof c.req === 'function' ? await c.req(t) : c.req;
        const res = await t.app.inject({ method: c.method, ...req });
        assert.equal(res.statusCode, 401, res.body);
        assert.equal((res.json() as { error: { code: string } }).error.code, 'FLOWLENS_ERR_UNAUTHENTICATED');
      });
      test('too little role: 403', async () => {
        const req = typeof c.req === 'function' ? await c.req(t) : c.req;
        const below = BELOW[c.role as Role];
        let headers: Record<string, string>;
        let code: string;
        if (c.forbidden) ({ headers, code } = await c.forbidden(t));
        else if (below) [headers, code] = [t.bearer(below), 'FLOWLENS_ERR_FORBIDDEN'];
        else [headers, code] = [await t.login('fresh'), 'FLOWLENS_ERR_PASSWORD_CHANGE_REQUIRED'];
        const res = await t.app.inject({ method: c.method, ...req, headers });
        const expected = code === 'FLOWLENS_ERR_UNAUTHENTICATED' ? 401 : 403;
        assert.equal(res.statusCode, expected, res.body);
        assert.equal((res.json() as { error: { code: string } }).error.code, code);
      });
    });
  }
});

/** "METHOD /url" of every registered route, docs UI, web UI (GET /*) and HEAD aside. */
function routesOf(t: TestApi): string[] {
  return t.routes.filter((r) => !r.startsWith('HEAD ') && !/ \/api\/docs/.test(r) && r !== 'GET /*');
}
