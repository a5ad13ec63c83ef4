/**
 * Authentication and the security settings: sessions (cookies, CSRF,
 * expiry on the fake clock), the generated first admin, API keys and
 * FLOWLENS_API_TOKEN, the auth file, login rate limit, CORS, headers and
 * the metrics token. No store is needed: history routes are not called.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { cookiesOf, createTestApi, PASSWORD, type TestApi } from './api-fixture.ts';

let t: TestApi | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('sessions', () => {
  test('login sets an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    t = await createTestApi();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'viewer', password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    const session = res.cookies.find((c) => c.name === 'flowlens_session')!;
    const csrf = res.cookies.find((c) => c.name === 'flowlens_csrf')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.secure, undefined);
    assert.notEqual(csrf.httpOnly, true);
    assert.ok(session.value.length >= 40);
    assert.equal((res.json() as { csrfToken: string }).csrfToken, csrf.value);
  });

  test('cookies are Secure when configured (TLS)', async () => {
    t = await createTestApi({ security: { secureCookies: true } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'viewer', password: PASSWORD },
    });
    assert.ok(res.cookies.every((c) => c.secure === true));
    assert.match(String(res.headers['strict-transport-security']), /max-age/);
  });

  test('a wrong password and an unknown user get the same 401', async () => {
    t = await createTestApi();
    for (const username of ['viewer', 'nobody']) {
      const res: LightMyRequestResponse = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: 'wrong password' },
      });
      assert.equal(res.statusCode, 401);
      assert.equal(errorCode(res.body), 'FLOWLENS_ERR_BAD_CREDENTIALS');
    }
  });

  test('state-changing requests on a session need the CSRF token; API keys do not', async () => {
    t = await createTestApi();
    const h = await t.login('operator');
    const payload = { interface: 'eth0' };
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/recordings',
      payload,
      headers: { cookie: h['cookie']! },
    });
    assert.equal(noToken.statusCode, 403);
    assert.equal(errorCode(noToken.body), 'FLOWLENS_ERR_CSRF');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/recordings',
      payload,
      headers: { ...h, 'x-csrf-token': 'x' },
    });
    assert.equal(wrong.statusCode, 403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/recordings', payload, headers: h });
    assert.equal(ok.statusCode, 201);
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/recordings',
      payload,
      headers: t.bearer('operator'),
    });
    assert.equal(key.statusCode, 201);
  });

  test('sessions end after the idle timeout and at logout', async () => {
    t = await createTestApi();
    const h = await t.login('viewer');
    assert.equal((await t.app.inject({ url: '/api/v1/about', headers: h })).statusCode, 200);
    t.clock.advance(3_600_001);
    assert.equal((await t.app.inject({ url: '/api/v1/about', headers: h })).statusCode, 401);
    const h2 = await t.login('viewer');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h2 })).statusCode,
      204,
    );
    assert.equal((await t.app.inject({ url: '/api/v1/about', headers: h2 })).statusCode, 401);
  });

  test('a role change applies to open sessions at once; a deleted user is logged out', async () => {
    t = await createTestApi();
    await t.auth.addUser('temp', 'admin', PASSWORD);
    const h = await t.login('temp');
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: h })).statusCode, 200);
    t.auth.deleteUser('temp');
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: h })).statusCode, 401);
  });
});

describe('first admin and password change', () => {
  test('the generated admin must change the password before anything else', async () => {
    t = await createTestApi();
    const h = await t.login('fresh');
    const blocked = await t.app.inject({ url: '/api/v1/flows', headers: h });
    assert.equal(errorCode(blocked.body), 'FLOWLENS_ERR_PASSWORD_CHANGE_REQUIRED');
    const me = await t.app.inject({ url: '/api/v1/auth/session', headers: h });
    assert.equal((me.json() as { mustChangePassword: boolean }).mustChangePassword, true);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: h,
      payload: { currentPassword: PASSWORD, newPassword: 'a brand new password' },
    });
    assert.equal(changed.statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: h })).statusCode, 200);
    await assert.rejects(t.login('fresh'), /401/);
    await t.login('fresh', 'a brand new password');
  });

  test('bootstrapAdmin creates "admin" only when there is no user, with a random password', async () => {
    t = await createTestApi();
    assert.equal(await t.auth.bootstrapAdmin(), undefined);
    const { createAuthStore } = await import('../../src/auth/index.ts');
    const empty = createAuthStore({ file: join(t.dir, 'other.json'), now: () => 0 });
    const pw = await empty.bootstrapAdmin();
    assert.ok(pw && pw.length >= 20);
    assert.deepEqual(
      empty.users().map((u) => [u.name, u.role, u.mustChangePassword]),
      [['admin', 'admin', true]],
    );
    assert.equal((await empty.verifyLogin('admin', pw))?.name, 'admin');
    assert.equal(await empty.bootstrapAdmin(), undefined);
  });

  test('weak passwords are refused', async () => {
    t = await createTestApi();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: t.bearer('admin'),
      payload: { name: 'weak', role: 'viewer', password: 'short' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /password/);
  });
});

describe('API keys and the auth file', () => {
  test('a created key works with its role; a revoked key is refused', async () => {
    t = await createTestApi();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: t.bearer('admin'),
      payload: { name: 'ci', role: 'operator' },
    });
    const { key, apiKey } = created.json() as { key: string; apiKey: { id: string } };
    const auth = { authorization: `Bearer ${key}` };
    assert.equal((await t.app.inject({ url: `/api/v1/flows/export`, headers: auth })).statusCode, 503);
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: auth })).statusCode, 403);
    const list = await t.app.inject({ url: '/api/v1/api-keys', headers: t.bearer('admin') });
    assert.ok(!list.body.includes(key.slice(-20)), 'the secret is never listed');
    assert.equal(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/api-keys/${apiKey.id}`,
          headers: t.bearer('admin'),
        })
      ).statusCode,
      204,
    );
    assert.equal((await t.app.inject({ url: '/api/v1/about', headers: auth })).statusCode, 401);
  });

  test('FLOWLENS_API_TOKEN is an admin key', async () => {
    t = await createTestApi({ envToken: 'a-long-automation-token-from-the-environment' });
    const res = await t.app.inject({
      url: '/api/v1/users',
      headers: { authorization: 'Bearer a-long-automation-token-from-the-environment' },
    });
    assert.equal(res.statusCode, 200);
    const bad = await t.app.inject({
      url: '/api/v1/users',
      headers: { authorization: 'Bearer a-long-automation-token-from-the-environmenT' },
    });
    assert.equal(bad.statusCode, 401);
  });

  test('a malformed Authorization header is a 401', async () => {
    t = await createTestApi();
    const res = await t.app.inject({
      url: '/api/v1/about',
      headers: { authorization: 'Basic dXNlcjpwdw==' },
    });
    assert.equal(res.statusCode, 401);
  });

  test('the auth file is mode 0600, holds scrypt hashes and key digests only', async () => {
    t = await createTestApi();
    const file = join(t.dir, 'auth.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(PASSWORD));
    for (const k of Object.values(t.keys)) assert.ok(!text.includes(k));
    const doc = JSON.parse(text) as { users: { password: { alg: string; salt: string } }[] };
    assert.ok(doc.users.every((u) => u.password.alg === 'scrypt'));
    assert.equal(new Set(doc.users.map((u) => u.password.salt)).size, doc.users.length, 'a salt per user');
  });

  test('the last admin cannot be deleted', async () => {
    t = await createTestApi();
    t.auth.deleteUser('fresh');
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/users/admin',
      headers: t.bearer('admin'),
    });
    assert.equal(res.statusCode, 409);
    assert.equal(errorCode(res.body), 'FLOWLENS_ERR_LAST_ADMIN');
  });
});

describe('limits, CORS, headers, metrics', () => {
  test('login attempts are rate limited (429 in the error shape)', async () => {
    t = await createTestApi({ security: { loginMax: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res: LightMyRequestResponse = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'viewer', password: 'nope nope' },
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) assert.equal(errorCode(res.body), 'FLOWLENS_ERR_RATE_LIMITED');
    }
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
  });

  test('API requests are rate limited', async () => {
    t = await createTestApi({ security: { rateLimitMax: 2 } });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await t.app.inject({ url: '/api/v1/about', headers: t.bearer('viewer') })).statusCode);
    assert.deepEqual(codes, [200, 200, 429]);
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200, 'health is never limited');
  });

  test('CORS is off unless origins are configured', async () => {
    t = await createTestApi();
    const off = await t.app.inject({
      url: '/api/v1/about',
      headers: { ...t.bearer('viewer'), origin: 'https://ui.example' },
    });
    assert.equal(off.headers['access-control-allow-origin'], undefined);
    await t.close();
    t = await createTestApi({ security: { corsOrigins: ['https://ui.example'] } });
    const on = await t.app.inject({
      url: '/api/v1/about',
      headers: { ...t.bearer('viewer'), origin: 'https://ui.example' },
    });
    assert.equal(on.headers['access-control-allow-origin'], 'https://ui.example');
    const other = await t.app.inject({
      url: '/api/v1/about',
      headers: { ...t.bearer('viewer'), origin: 'https://evil.example' },
    });
    assert.notEqual(other.headers['access-control-allow-origin'], 'https://evil.example');
  });

  test('security headers are set', async () => {
    t = await createTestApi();
    const res = await t.app.inject({ url: '/api/v1/about', headers: t.bearer('viewer') });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['content-security-policy']);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  });

  test('/metrics is open by default and asks for the token when one is set', async () => {
    t = await createTestApi();
    assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 200);
    await t.close();
    t = await createTestApi({ security: { metricsToken: 'scrape-me-please' } });
    assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 401);
    assert.equal(
      (await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-me-please' } }))
        .statusCode,
      200,
    );
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  });

  test('the docs UI answers', async () => {
    t = await createTestApi();
    const res = await t.app.inject({ url: '/api/docs' });
    assert.ok([200, 302].includes(res.statusCode));
    const cookies = cookiesOf(res);
    assert.deepEqual(cookies, {});
  });

  test('unknown routes answer 404 in the error shape', async () => {
    t = await createTestApi();
    const res = await t.app.inject({ url: '/api/v1/nothing' });
    assert.equal(res.statusCode, 404);
    assert.equal(errorCode(res.body), 'FLOWLENS_ERR_NOT_FOUND');
  });
});
