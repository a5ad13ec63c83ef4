/**
 * The inventory through the device service: identity (randomised MACs
 * linked by client id and by host name + fingerprint), IP history, names
 * by source, manual edits that survive rediscovery, presence history, and
 * everything reloaded at start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createFakeClock, type FakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createDeviceService,
  DEFAULT_DEVICES_CONFIG,
  type DeviceService,
  type Observation,
} from '../../src/devices/index.ts';

const IOS_PRL = [1, 121, 3, 6, 15, 119, 252];

function service(file: string, clock: FakeClock): DeviceService {
  return createDeviceService(DEFAULT_DEVICES_CONFIG, {
    clock,
    log: createSilentLogger(),
    registry: new Registry(),
    vendorOf: (mac) => (mac.startsWith('70:3e:ac') ? 'Apple, Inc.' : undefined),
    file,
    methods: [],
  });
}

function iphone(tsMs: number, mac: string, extra: Partial<Observation> = {}): Observation {
  return {
    source: 'dhcp',
    tsMs,
    mac,
    names: [{ name: 'Annas-iPhone', source: 'dhcp-client' }],
    dhcp: { prl: IOS_PRL, options: [53, 55, 57, 61, 50, 51, 12] },
    ...extra,
  };
}

test('randomised MACs of one phone are linked by client id, then by host name + fingerprint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fld-inv-'));
  try {
    const clock = createFakeClock();
    const s = service(join(dir, 'devices.json'), clock);
    const t = clock.now();
    s.observe([iphone(t, '3a:11:22:33:44:55', { clientId: '01aabbcc', ip: '192.168.1.20' })]);
    // New random MAC, same client id: the same phone.
    s.observe([iphone(t + 1000, '5e:11:22:33:44:66', { clientId: '01aabbcc', ip: '192.168.1.21' })]);
    // Another random MAC, no client id, same host name and option 55: the same phone.
    s.observe([iphone(t + 2000, '6a:11:22:33:44:77', { ip: '192.168.1.22' })]);
    assert.equal(s.inventory.size, 1);
    const d = s.inventory.list()[0]!;
    assert.deepEqual(d.macs, ['6a:11:22:33:44:77', '5e:11:22:33:44:66', '3a:11:22:33:44:55']);
    assert.deepEqual(d.addresses.map((a) => a.ip).sort(), ['192.168.1.20', '192.168.1.21', '192.168.1.22']);
    const c = s.inventory.classification(d.id)!;
    assert.equal(c.deviceType.value, 'phone');
    assert.equal(c.os?.value, 'iOS');
    assert.equal(c.manufacturer?.value, 'Apple');
    assert.ok(c.capabilities.some((x) => x.value === 'wifi'));
    // A globally unique MAC with the same name is another device (a Mac named like the phone is not merged).
    s.observe([iphone(t + 3000, '70:3e:ac:00:00:01')]);
    assert.equal(s.inventory.size, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an address seen without a MAC joins the device that gets the MAC later', () => {
  const clock = createFakeClock();
  const s = service('/nonexistent/devices.json', clock);
  s.observe([
    { source: 'rdns', tsMs: clock.now(), ip: '10.0.0.5', names: [{ name: 'printer.lan', source: 'rdns' }] },
  ]);
  s.observe([{ source: 'arp', tsMs: clock.now(), ip: '10.0.0.5', mac: '00:11:22:33:44:55' }]);
  assert.equal(s.inventory.size, 1);
  const d = s.inventory.byIp('10.0.0.5')!;
  assert.deepEqual(d.macs, ['00:11:22:33:44:55']);
  assert.deepEqual(Object.keys(d.sources).sort(), ['arp', 'rdns']);
  assert.equal(s.inventory.classification(d.id)?.deviceType.value, 'printer');
});

test('manual edits win, survive rediscovery and a restart; presence history and names reload', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fld-inv-'));
  const file = join(dir, 'devices.json');
  try {
    const clock = createFakeClock();
    const s1 = service(file, clock);
    await s1.start();
    s1.observe([iphone(clock.now(), '70:3e:ac:00:00:02', { ip: '192.168.1.30' })]);
    s1.observe([
      {
        source: 'dhcp',
        tsMs: clock.now(),
        mac: '70:3e:ac:00:00:02',
        ip: '192.168.1.30',
        names: [{ name: 'anna-phone', source: 'dhcp-assigned' }],
      },
    ]);
    const id = s1.inventory.byMac('70:3e:ac:00:00:02')!.id;
    s1.inventory.setOverride(id, { deviceType: 'tablet', name: 'Anna' });
    s1.observe([iphone(clock.now() + 1, '70:3e:ac:00:00:02')]);
    assert.equal(s1.inventory.classification(id)?.deviceType.value, 'tablet');
    assert.equal(s1.inventory.classification(id)?.deviceType.decidedBy, 'manual');
    clock.advance(DEFAULT_DEVICES_CONFIG.offlineAfter + DEFAULT_DEVICES_CONFIG.saveInterval);
    assert.equal(s1.inventory.get(id)?.online, false);
    await s1.stop();
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).format, 1);

    const s2 = service(file, clock);
    await s2.start();
    const d = s2.inventory.get(id)!;
    assert.ok(d);
    assert.equal(d.override.deviceType, 'tablet');
    assert.deepEqual(d.names.map((n) => `${n.name}/${n.source}`).sort(), [
      'Annas-iPhone/dhcp-client',
      'anna-phone/dhcp-assigned',
    ]);
    assert.deepEqual(
      d.presence.map((p) => p.online),
      [true, false],
    );
    s2.observe([iphone(clock.now(), '70:3e:ac:00:00:02', { ip: '192.168.1.31' })]);
    assert.equal(s2.inventory.get(id)?.online, true);
    assert.deepEqual(
      s2.inventory.get(id)?.presence.map((p) => p.online),
      [true, false, true],
    );
    assert.equal(s2.inventory.byIp('192.168.1.31')?.id, id);
    assert.equal(s2.inventory.classification(id)?.deviceType.value, 'tablet');
    s2.inventory.setOverride(id, { deviceType: null });
    assert.equal(s2.inventory.classification(id)?.deviceType.value, 'phone');
    await s2.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the inventory is bounded: the least recently seen device without edits goes', () => {
  const clock = createFakeClock();
  const s = createDeviceService(
    { ...DEFAULT_DEVICES_CONFIG, maxDevices: 10 },
    {
      clock,
      log: createSilentLogger(),
      registry: new Registry(),
      vendorOf: () => undefined,
      file: '/x',
      methods: [],
    },
  );
  for (let i = 0; i < 25; i++)
    s.observe([
      {
        source: 'arp',
        tsMs: clock.now() + i,
        ip: `10.0.0.${i}`,
        mac: `00:00:00:00:01:${i.toString(16).padStart(2, '0')}`,
      },
    ]);
  assert.equal(s.inventory.size, 10);
  assert.ok(s.inventory.byIp('10.0.0.24'));
  assert.equal(s.inventory.byIp('10.0.0.0'), undefined);
});
