/**
 * The per-client metrics' device_type comes from the device inventory:
 * scraped through the HTTP app's /metrics, a client whose DHCP fingerprint
 * says Windows is a "computer", a manual edit through the API relabels its
 * series at the next re-ranking without losing its bytes, and clients no
 * device is known for stay "unknown".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, DEFAULT_DEVICES_CONFIG } from '../../src/devices/index.ts';
import {
  createClientMetrics,
  createLiveAggregator,
  createLiveState,
  DEFAULT_LIVE_CONFIG,
} from '../../src/live/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { flow, T0 } from '../live/support.ts';
import { parsePrometheusText, type PromSample } from '../support/prometheus-text.ts';
import { createDeviceApi } from './device-api.ts';

const WIN10 = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];

const value = (s: PromSample[], name: string, labels: Record<string, string>): number | undefined =>
  s.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;

test('client_traffic_bytes and network_clients_by_type carry the inventory’s classified type', async () => {
  const clock = createFakeClock(T0);
  const registry = new Registry();
  const dir = mkdtempSync(join(tmpdir(), 'fld-cm-'));
  const devices = createDeviceService(DEFAULT_DEVICES_CONFIG, {
    clock,
    log: createSilentLogger(),
    registry,
    vendorOf: () => undefined,
    file: join(dir, 'devices.json'),
    methods: [],
  });
  const live = createLiveState({ clock, config: DEFAULT_LIVE_CONFIG });
  live.start();
  const metrics = createClientMetrics({
    registry,
    live,
    maxSeries: 10,
    rerankIntervalMs: 3_600_000,
    deviceTypeOf: (ip) => devices.deviceTypeOf(ip),
  });
  const api = await createDeviceApi(clock, devices, registry);
  const agg = createLiveAggregator({ source: 'w0', startMs: T0 });
  const feed = (...records: FlowRecord[]): void => {
    for (const r of records) agg.add(r, clock.now());
    live.apply(agg.drain(clock.now()));
    clock.advance(1000);
  };
  const scrape = async (): Promise<PromSample[]> => {
    const res = await api.app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    return parsePrometheusText(res.body);
  };
  try {
    devices.observe([
      {
        source: 'dhcp',
        tsMs: clock.now(),
        mac: '00:11:22:33:44:01',
        ip: '192.168.1.10',
        names: [{ name: 'DESKTOP-AB12CD3', source: 'dhcp-client' }],
        dhcp: { prl: WIN10, options: [53, 61, 50, 12, 81, 60, 55], vendorClass: 'MSFT 5.0' },
      },
    ]);
    feed(
      flow({ srcAddr: '192.168.1.10', dstAddr: '198.51.100.7', bytes: 1200 }),
      flow({ srcAddr: '192.168.1.77', dstAddr: '198.51.100.7', bytes: 300 }),
    );
    let s = await scrape();
    const pc = { direction: 'out', ip: '192.168.1.10' };
    assert.equal(value(s, 'client_traffic_bytes', { ...pc, device_type: 'computer' }), 1200);
    assert.equal(value(s, 'client_traffic_bytes', { ...pc, device_type: 'unknown' }), undefined);
    assert.equal(
      value(s, 'client_traffic_bytes', { direction: 'out', ip: '192.168.1.77', device_type: 'unknown' }),
      300,
    );
    assert.equal(value(s, 'client_status', { ip: '192.168.1.10', device_type: 'computer' }), 1);
    assert.equal(value(s, 'network_clients_by_type', { type: 'computer' }), 1);
    assert.equal(value(s, 'network_clients_by_type', { type: 'unknown' }), 1);

    // An operator says it is a server: the next re-ranking relabels the series, bytes carried over.
    const id = devices.inventory.byIp('192.168.1.10')!.id;
    const patch = await api.app.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${id}`,
      headers: api.bearer('operator'),
      payload: { deviceType: 'server' },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    feed(flow({ srcAddr: '192.168.1.10', dstAddr: '198.51.100.7', bytes: 800 }));
    metrics.rerank();
    s = await scrape();
    assert.equal(value(s, 'client_traffic_bytes', { ...pc, device_type: 'server' }), 2000);
    assert.equal(value(s, 'client_traffic_bytes', { ...pc, device_type: 'computer' }), undefined);
    assert.equal(value(s, 'network_clients_by_type', { type: 'server' }), 1);
    assert.equal(value(s, 'network_clients_by_type', { type: 'computer' }), undefined);
  } finally {
    metrics.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
