/**
 * The OpenAPI document: it validates (swagger-parser), it lists exactly the
 * registered routes, and a client typed from it compiles (tsc, strict) and
 * talks to the API over loopback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createSeededDevices } from '../devices/seeded-devices.ts';
import { createTestApi, startDatasetStore, type TestApi } from './api-fixture.ts';
import { generateClient, operationName, type OpenApiDoc } from './openapi-client-gen.ts';
import type { StoreFixture } from './store-fixture.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** Uses the generated client: must type-check, and runs against the API. */
const USAGE = `
import { FlowLensClient, type FetchLike, type FlowRecord } from './client.ts';

declare const fetch: FetchLike;
declare const process: { argv: string[]; stdout: { write(s: string): void } };

export async function main(base: string, key: string): Promise<void> {
  const api = new FlowLensClient(base, fetch, { authorization: \`Bearer \${key}\` });
  const page = await api.getApiV1Flows({ from: '2024-01-01T00:00:00Z', to: '2024-01-01T03:00:00Z', limit: 2, sort: 'bytes', order: 'desc' });
  const first: FlowRecord | undefined = page.items[0];
  const total: number = page.total;
  if (!first) throw new Error('no flows');
  const one = await api.getApiV1FlowsById({ id: first.id });
  const bytes: number = one.bytes;
  const top = await api.getApiV1TopTalkers({ from: '2024-01-01', to: '2024-01-01T03:00:00Z', direction: 'dst', limit: 1 });
  const key0: string | number | null = top.items[0]!.key;
  const about = await api.getApiV1About();
  const detector: string = about.detector;
  const report = await api.getApiV1Reports({ from: '2024-01-01', to: '2024-01-01T03:00:00Z', dimensions: ['dstPort'] });
  const p95: number = report.items[0]!.p95;
  // @ts-expect-error: limit is a number
  void (() => api.getApiV1Flows({ limit: 'ten' }));
  // @ts-expect-error: an unknown direction
  void (() => api.getApiV1TopTalkers({ direction: 'up' }));
  process.stdout.write(JSON.stringify({ total, bytes, key0, detector, p95 }));
}

await main(process.argv[2]!, process.argv[3]!);
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'es2024',
    lib: ['es2024'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    erasableSyntaxOnly: true,
    verbatimModuleSyntax: true,
    allowImportingTsExtensions: true,
    noEmit: true,
  },
  include: ['*.ts'],
};

describe('OpenAPI document', () => {
  let store: StoreFixture;
  let t: TestApi;
  let doc: OpenApiDoc;
  // With the device component, so the device detail and edit routes are documented and checked too.
  const seeded = createSeededDevices();
  before(async () => {
    store = await startDatasetStore();
    t = await createTestApi({ store, devices: seeded.devices });
    doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as OpenApiDoc;
  });
  after(async () => {
    await t?.close();
    await store?.close();
    seeded.close();
  });

  test('validates as OpenAPI 3.1', async () => {
    const api = await SwaggerParser.validate(structuredClone(doc) as never);
    assert.equal((api as { openapi: string }).openapi, '3.1.0');
  });

  test('lists exactly the registered routes (the docs UI and the web UI aside)', () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const registered = t.routes
      .filter((r) => !r.startsWith('HEAD ') && !/ \/api\/docs/.test(r) && r !== 'GET /*')
      .map((r) => r.replace(/:(\w+)/g, '{$1}'))
      .sort();
    assert.deepEqual(documented, registered);
  });

  test('every operation says its role and answers errors in the one shape', () => {
    for (const [p, ms] of Object.entries(doc.paths))
      for (const [m, op] of Object.entries(ms) as unknown as [string, Record<string, unknown>][]) {
        assert.ok(op['x-flowlens-role'], `${m} ${p} has no role`);
        const bad = (
          op['responses'] as Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>
        )['400'];
        assert.equal(
          bad?.content?.['application/json']?.schema.$ref,
          '#/components/schemas/Error',
          `${m} ${p}`,
        );
      }
  });

  test('operation names are unique', () => {
    const names = Object.entries(doc.paths).flatMap(([p, ms]) =>
      Object.keys(ms).map((m) => operationName(m, p)),
    );
    assert.equal(new Set(names).size, names.length);
  });

  test('a client typed from it compiles (tsc --strict) and works over loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlens-client-'));
    try {
      writeFileSync(join(dir, 'client.ts'), generateClient(doc));
      writeFileSync(join(dir, 'usage.ts'), USAGE);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      const tsc = join(ROOT, 'node_modules/.bin/tsc');
      await run(tsc, ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch((err: { stdout?: string }) => {
        throw new Error(`tsc failed:\n${err.stdout ?? String(err)}`);
      });
      const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const { stdout } = await run(process.execPath, [join(dir, 'usage.ts'), address, t.keys.viewer], {
        cwd: dir,
      });
      const out = JSON.parse(stdout) as { total: number; detector: string };
      assert.equal(out.total, 189);
      assert.equal(out.detector, 'builtin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
