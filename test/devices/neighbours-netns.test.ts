/**
 * Neighbour tables (ARP, NDP) and arp-scan in a LAN of network namespaces
 * built here: every client is found with its IPv4 and IPv6 address under
 * one device, with each source; failures (a bad interface, a missing
 * binary) are reported by kind and counted in the failure metric.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createDeviceService,
  createDiscoveryMethods,
  devicesConfigSchema,
  type DevicesConfig,
} from '../../src/devices/index.ts';
import { createLan, LAN, requireNetnsTools } from './netns-lan.ts';

function config(netns: string, binary = 'arp-scan', iface = 'br0'): DevicesConfig {
  return devicesConfigSchema.parse({
    discovery: {
      netns,
      neighbours: { enabled: true },
      arpScan: { enabled: true, interfaces: [iface], binary, timeout: '30s' },
    },
  });
}

function service(cfg: DevicesConfig, dir: string, registry = new Registry()) {
  const clock = createSystemClock();
  return createDeviceService(cfg, {
    clock,
    log: createSilentLogger(),
    registry,
    vendorOf: () => undefined,
    file: join(dir, 'devices.json'),
    methods: createDiscoveryMethods(cfg, { clock }),
  });
}

test('ARP, NDP and arp-scan find every client of a namespace LAN', async (t) => {
  if (!requireNetnsTools(t, ['ip', 'arp-scan', 'ping'])) return;
  const dir = mkdtempSync(join(tmpdir(), 'fld-neigh-'));
  const lan = await createLan(3);
  try {
    const s = service(config(lan.router), dir);
    const scan = await s.runDiscovery('arp-scan');
    assert.ok(scan.ok, scan.error?.message);
    assert.equal(scan.observations, 3);
    for (const c of lan.clients) {
      await lan.run(lan.router, 'ping', ['-c', '1', '-W', '2', c.ip4!]);
      await lan.run(lan.router, 'ping', ['-6', '-c', '1', '-W', '2', c.ip6!]);
    }
    for (const m of ['arp', 'ndp']) {
      const r = await s.runDiscovery(m);
      assert.ok(r.ok, `${m}: ${r.error?.message}`);
    }
    for (const c of lan.clients) {
      const d = s.inventory.byMac(c.mac);
      assert.ok(d, `client ${c.mac}`);
      const ips = d.addresses.map((a) => a.ip);
      assert.ok(ips.includes(c.ip4!) && ips.includes(c.ip6!), `${c.mac}: ${ips.join(' ')}`);
      assert.deepEqual(Object.keys(d.sources).sort(), ['arp', 'arp-scan', 'ndp']);
      assert.ok(s.inventory.classification(d.id)!.capabilities.some((x) => x.value === 'wifi')); // 02:... is randomised
    }
    assert.equal(s.inventory.byIp(LAN.router4), undefined); // the router does not see itself
  } finally {
    await lan.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('arp-scan failures say what is wrong and are counted', async (t) => {
  if (!requireNetnsTools(t, ['ip', 'arp-scan'])) return;
  const dir = mkdtempSync(join(tmpdir(), 'fld-neigh-'));
  const lan = await createLan(1);
  try {
    const registry = new Registry();
    const bad = service(config(lan.router, 'arp-scan', 'nosuch0'), dir, registry);
    const r = await bad.runDiscovery('arp-scan');
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, 'FLOWLENS_ERR_DISCOVERY_BAD_INTERFACE', r.error?.message);
    assert.match(r.error!.message, /nosuch0/);
    const text = await registry.metrics();
    assert.match(text, /device_discovery_failures_total\{method="arp-scan"\} 1/);
    assert.match(text, /device_discovery_duration_seconds_count\{method="arp-scan"\} 1/);
    const missing = service(config(lan.router, 'no-such-arp-scan'), dir);
    const m = await missing.runDiscovery('arp-scan');
    assert.equal(m.error?.code, 'FLOWLENS_ERR_DISCOVERY_BINARY_MISSING', m.error?.message);
    assert.match(m.error!.message, /no-such-arp-scan/);
  } finally {
    await lan.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
