/**
 * Capabilities (Wi-Fi and its standard, Bluetooth, Ethernet), each with a
 * confidence and the evidence behind it, from what devices say of
 * themselves: mDNS TXT model identifiers, UPnP descriptions, DHCP vendor
 * classes and fingerprints, host-name conventions and the MAC's registry
 * entry; exported as device_capabilities.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createDeviceService,
  createInventory,
  DEFAULT_DEVICES_CONFIG,
  descriptionObservation,
  mdnsObservations,
  parseDescription,
  type AttributeAnswer,
  type Inventory,
  type Observation,
} from '../../src/devices/index.ts';

const T = 1_700_000_000_000;
const VENDORS: Record<string, string> = { '24:0a:c4': 'Espressif Inc.' };
const vendorOf = (mac: string): string | undefined => VENDORS[mac.slice(0, 8)];

function inventory(): Inventory {
  return createInventory({ vendorOf, maxDevices: 100, offlineAfterMs: 600_000 });
}

function caps(inv: Inventory, mac: string): Map<string, AttributeAnswer> {
  const d = inv.byMac(mac);
  assert.ok(d, `${mac} is a device`);
  return new Map(inv.classification(d.id)!.capabilities.map((c) => [c.value, c]));
}

function assertCap(c: Map<string, AttributeAnswer>, value: string, kind: string, min = 0.5): void {
  const a = c.get(value);
  assert.ok(a, `capability ${value} among ${[...c.keys()].join(', ')}`);
  assert.ok(a.confidence >= min, `${value} confidence ${a.confidence}`);
  assert.ok(
    a.evidence.some((e) => e.kind === kind),
    `${value} evidence ${JSON.stringify(a.evidence)}`,
  );
}

const dhcp = (mac: string, over: Partial<Observation> = {}): Observation => ({
  source: 'dhcp',
  tsMs: T,
  mac,
  ...over,
});

test('an iPhone’s mDNS model identifier: Wi-Fi, its standard and Bluetooth', () => {
  const inv = inventory();
  const obs = mdnsObservations(
    [
      { type: 'PTR', name: '_companion-link._tcp.local', target: 'Marie._companion-link._tcp.local' },
      { type: 'SRV', name: 'Marie._companion-link._tcp.local', target: 'Marie.local', port: 49152 },
      { type: 'TXT', name: 'Marie._companion-link._tcp.local', txt: { rpmd: 'iPhone14,2' } },
      { type: 'A', name: 'Marie.local', address: '192.168.1.30' },
    ],
    { tsMs: T, srcAddr: '192.168.1.30', srcMac: '3c:22:fb:00:00:30' },
  );
  for (const o of obs) inv.observe(o);
  const c = caps(inv, '3c:22:fb:00:00:30');
  assertCap(c, 'wifi', 'mdns-txt', 0.85);
  assertCap(c, 'bluetooth', 'mdns-txt', 0.85);
  assertCap(c, 'wifi-6', 'mdns-txt');
  assert.equal(c.has('ethernet'), false);
  assert.match(c.get('wifi-6')!.evidence[0]!.detail, /rpmd="iPhone14,2"/);
});

test('a router’s UPnP description: Ethernet (gateway) and Wi-Fi 6 from its model name', () => {
  const inv = inventory();
  const xml = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
    <deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
    <friendlyName>RT-AX88U</friendlyName><manufacturer>ASUSTeK Computer Inc.</manufacturer>
    <modelName>RT-AX88U</modelName><modelDescription>Dual Band Router</modelDescription></device></root>`;
  const d = parseDescription(xml, 'http://192.168.1.1:5431/desc.xml');
  inv.observe(
    descriptionObservation(d, { source: 'ssdp', tsMs: T, ip: '192.168.1.1', mac: '04:d4:c4:00:00:01' }),
  );
  const c = caps(inv, '04:d4:c4:00:00:01');
  assertCap(c, 'ethernet', 'ssdp-description');
  assertCap(c, 'wifi', 'ssdp-description');
  assertCap(c, 'wifi-6', 'ssdp-description');
  assert.equal(c.has('wifi-5'), false);
});

test('DHCP: an Android phone has Wi-Fi and Bluetooth; a Raspberry Pi 2 has Ethernet', () => {
  const inv = inventory();
  inv.observe(
    dhcp('bc:ee:7b:00:00:01', {
      dhcp: { prl: [1, 3, 6], options: [53, 60, 55], vendorClass: 'android-dhcp-13' },
    }),
  );
  inv.observe(
    dhcp('b8:27:eb:00:00:02', {
      dhcp: {
        prl: [1, 3, 6],
        options: [53, 60],
        vendorClass: 'dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709',
      },
    }),
  );
  const phone = caps(inv, 'bc:ee:7b:00:00:01');
  assertCap(phone, 'wifi', 'dhcp-vendor-class', 0.8);
  assertCap(phone, 'bluetooth', 'dhcp-vendor-class', 0.8);
  const pi = caps(inv, 'b8:27:eb:00:00:02');
  assertCap(pi, 'ethernet', 'dhcp-vendor-class', 0.7);
  assert.equal(pi.has('wifi'), false);
});

test('host names: Brother’s BRW (wireless) and BRN (wired); the OUI of a Wi-Fi module maker', () => {
  const inv = inventory();
  inv.observe(dhcp('00:80:77:00:00:01', { names: [{ name: 'BRW008077000001', source: 'dhcp-client' }] }));
  inv.observe(dhcp('00:80:77:00:00:02', { names: [{ name: 'BRN008077000002', source: 'dhcp-client' }] }));
  inv.observe(dhcp('24:0a:c4:00:00:03'));
  const wireless = caps(inv, '00:80:77:00:00:01');
  assertCap(wireless, 'wifi', 'hostname-pattern', 0.8);
  assert.equal(wireless.has('ethernet'), false);
  const wired = caps(inv, '00:80:77:00:00:02');
  assertCap(wired, 'ethernet', 'hostname-pattern', 0.8);
  assert.equal(wired.has('wifi'), false);
  assertCap(caps(inv, '24:0a:c4:00:00:03'), 'wifi', 'oui', 0.7);
});

test('device_capabilities exports each capability with its confidence', async () => {
  const registry = new Registry();
  const dir = mkdtempSync(join(tmpdir(), 'fld-caps-'));
  try {
    const s = createDeviceService(DEFAULT_DEVICES_CONFIG, {
      clock: createFakeClock(T),
      log: createSilentLogger(),
      registry,
      vendorOf,
      file: join(dir, 'devices.json'),
      methods: [],
    });
    s.observe([
      dhcp('00:80:77:00:00:02', {
        ip: '192.168.1.40',
        names: [{ name: 'BRN008077000002', source: 'dhcp-client' }],
      }),
    ]);
    const text = await registry.metrics();
    assert.match(
      text,
      /device_capabilities\{ip="192\.168\.1\.40",mac="00:80:77:00:00:02",capability="ethernet"\} 0\.8\b/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
