/**
 * The HTTP app with the device routes connected: the API fixture's pieces
 * (auth store with a key per role, fake recorder, stats) plus `devices`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createHttpApp, type ApiDeps } from '../../src/api/index.ts';
import type { DeviceRouteDeps, DevicesApiPort } from '../../src/api/routes/devices.ts';
import { createAuthStore, createSessionStore, type Role } from '../../src/auth/index.ts';
import type { FakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createFakeRecorder, EXPORTERS, fakeStats, PASSWORD, TEST_SECURITY } from '../api/api-fixture.ts';

/** A running app and a bearer header per role. */
export interface DeviceApi {
  app: FastifyInstance;
  bearer(role: Role): { authorization: string };
  close(): Promise<void>;
}

/** Builds the app with `devices` (undefined: not connected) and `registry` for /metrics. */
export async function createDeviceApi(
  clock: FakeClock,
  devices: DevicesApiPort | undefined,
  registry = new Registry(),
): Promise<DeviceApi> {
  const dir = mkdtempSync(join(tmpdir(), 'fld-api-auth-'));
  const auth = createAuthStore({ file: join(dir, 'auth.json'), now: () => clock.now() });
  const keys = {} as Record<Role, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await auth.addUser(role, role, PASSWORD);
    keys[role] = auth.createApiKey(`${role} key`, role, 'test').key;
  }
  const api: ApiDeps & DeviceRouteDeps = {
    clock,
    log: createSilentLogger(),
    version: '0.0.0-test',
    storageEngine: 'duckdb',
    queries: undefined,
    exporters: () => EXPORTERS,
    recordings: createFakeRecorder(clock),
    enrichment: { activeDetector: 'builtin', attributions: () => [] },
    stats: () => fakeStats(clock.now()),
    auth,
    sessions: createSessionStore({ now: () => clock.now(), maxAgeMs: 3_600_000, idleMs: 3_600_000 }),
    security: TEST_SECURITY,
    devices,
  };
  const app = createHttpApp({ registry, log: api.log, health: () => ({ ready: true }), api });
  await app.ready();
  return {
    app,
    bearer: (role) => ({ authorization: `Bearer ${keys[role]}` }),
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
