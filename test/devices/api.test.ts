/**
 * /api/v1/devices in-process (app.inject) over a real device service fed
 * with observations: list and filters, detail with evidence, manual edits
 * by role, errors; and the device metrics' names, labels and bounds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, DEFAULT_DEVICES_CONFIG, type DeviceService } from '../../src/devices/index.ts';
import { createTestApi } from '../api/api-fixture.ts';
import { createDeviceApi } from './device-api.ts';

const WIN10 = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];

function fill(s: DeviceService, t: number, n = 0): void {
  s.observe([
    {
      source: 'dhcp',
      tsMs: t,
      mac: '00:11:22:33:44:01',
      ip: '192.168.1.10',
      names: [{ name: 'DESKTOP-AB12CD3', source: 'dhcp-client' }],
      dhcp: { prl: WIN10, options: [53, 61, 50, 12, 81, 60, 55], vendorClass: 'MSFT 5.0' },
    },
    { source: 'arp', tsMs: t, mac: '00:11:22:33:44:02', ip: '192.168.1.11' },
    {
      source: 'dhcp',
      tsMs: t + 1,
      mac: '00:11:22:33:44:03',
      ip: '192.168.1.12',
      names: [{ name: 'BRW001122334403', source: 'dhcp-client' }],
    },
  ]);
  for (let i = 0; i < n; i++)
    s.observe([
      {
        source: 'arp',
        tsMs: t - 100_000 + i,
        mac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
        ip: `10.1.${i >> 8}.${i & 255}`,
      },
    ]);
}

function deviceService(registry = new Registry(), maxSeries = 2000): { s: DeviceService; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fld-api-'));
  const s = createDeviceService(
    { ...DEFAULT_DEVICES_CONFIG, maxSeries },
    {
      clock: createFakeClock(),
      log: createSilentLogger(),
      registry,
      vendorOf: () => undefined,
      file: join(dir, 'd.json'),
      methods: [],
    },
  );
  return { s, dir };
}

test('list, filters, detail with evidence, manual edits by role', async () => {
  const plain = await createTestApi();
  const before = await plain.app.inject({ url: '/api/v1/devices', headers: plain.bearer('viewer') });
  assert.equal(before.statusCode, 200);
  assert.ok(before.json().note);
  await plain.close();
  const clock = createFakeClock();
  const { s, dir } = deviceService();
  const api = await createDeviceApi(clock, s);
  try {
    fill(s, clock.now());
    const list = await api.app.inject({ url: '/api/v1/devices', headers: api.bearer('viewer') });
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.json().total, 3);
    const win = await api.app.inject({
      url: '/api/v1/devices?type=computer&os=windows',
      headers: api.bearer('viewer'),
    });
    const items = win.json().items as { id: string; name: string; osVersion: string }[];
    assert.deepEqual(
      items.map((i) => i.name),
      ['DESKTOP-AB12CD3'],
    );
    assert.equal(items[0]!.osVersion, '10');
    const q = await api.app.inject({ url: '/api/v1/devices?q=192.168.1.12', headers: api.bearer('viewer') });
    assert.equal(q.json().items[0].deviceType, 'printer');
    // ip= is exact (the host page's link to its device): a prefix matches nothing.
    const byIp = await api.app.inject({
      url: '/api/v1/devices?ip=192.168.1.12',
      headers: api.bearer('viewer'),
    });
    assert.deepEqual(
      byIp.json().items.map((i: { name: string }) => i.name),
      ['BRW001122334403'],
    );
    const prefix = await api.app.inject({
      url: '/api/v1/devices?ip=192.168.1.1',
      headers: api.bearer('viewer'),
    });
    assert.equal(prefix.json().total, 0);
    const bad = await api.app.inject({ url: '/api/v1/devices?online=maybe', headers: api.bearer('viewer') });
    assert.equal(bad.statusCode, 400);

    const id = items[0]!.id;
    const detail = await api.app.inject({ url: `/api/v1/devices/${id}`, headers: api.bearer('viewer') });
    assert.equal(detail.statusCode, 200, detail.body);
    const d = detail.json();
    assert.equal(d.classification.os.value, 'Windows');
    assert.ok(d.classification.os.evidence.some((e: { kind: string }) => e.kind === 'dhcp-vendor-class'));
    assert.deepEqual(d.dhcp.prl, WIN10);

    const patch = {
      method: 'PATCH' as const,
      url: `/api/v1/devices/${id}`,
      payload: { deviceType: 'server', name: 'build box' },
    };
    assert.equal((await api.app.inject({ ...patch, headers: api.bearer('viewer') })).statusCode, 403);
    const ok = await api.app.inject({ ...patch, headers: api.bearer('operator') });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().deviceType, 'server');
    assert.equal(ok.json().classification.deviceType.decidedBy, 'manual');
    assert.equal(ok.json().name, 'build box');
    fill(s, clock.now() + 1000); // rediscovery does not undo the edit
    const again = await api.app.inject({ url: `/api/v1/devices/${id}`, headers: api.bearer('viewer') });
    assert.equal(again.json().deviceType, 'server');
    const empty = await api.app.inject({ ...patch, payload: {}, headers: api.bearer('operator') });
    assert.equal(empty.statusCode, 400);
    const toaster = await api.app.inject({
      ...patch,
      payload: { deviceType: 'toaster' },
      headers: api.bearer('operator'),
    });
    assert.equal(toaster.statusCode, 400);
    assert.equal(toaster.json().error.parameter, 'deviceType');
    const missing = await api.app.inject({ url: '/api/v1/devices/nope', headers: api.bearer('viewer') });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'FLOWLENS_ERR_DEVICE_NOT_FOUND');
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('device metrics: contract names and labels, bounded series', async () => {
  const registry = new Registry();
  const { s, dir } = deviceService(registry, 50);
  try {
    fill(s, 1_700_000_000_000, 200);
    const text = await registry.metrics();
    assert.match(
      text,
      /device_info\{ip="192\.168\.1\.10",mac="00:11:22:33:44:01",manufacturer="unknown",model="unknown",os="Windows",device_type="computer"\} 1/,
    );
    assert.match(
      text,
      /device_type_confidence\{ip="192\.168\.1\.12",mac="00:11:22:33:44:03",device_type="printer"\} 0\.\d+/,
    );
    assert.match(text, /device_discovery_source\{ip="192\.168\.1\.10",source="dhcp"\} \d+/);
    assert.match(text, /# TYPE device_discovery_duration_seconds histogram/);
    assert.match(text, /# TYPE device_discovery_failures_total counter/);
    const infoLines = text.split('\n').filter((l) => l.startsWith('device_info{'));
    assert.equal(infoLines.length, 50);
    assert.equal(s.deviceTypeOf('192.168.1.12'), 'printer');
    assert.equal(s.deviceTypeOf('192.0.2.1'), 'unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
