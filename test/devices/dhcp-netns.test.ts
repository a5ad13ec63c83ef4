/**
 * DHCP in a namespace LAN built here: dnsmasq serves br0 in the router
 * namespace; scapy sends requests as Windows, macOS, iOS, Android, Linux and
 * an HP printer send them, and ISC dhclient asks for a real lease. tcpdump
 * records br0; the recording goes through the real meter into the device
 * service (onSnoop), dnsmasq's lease file through the lease method. Every
 * client must appear with the right type, vendor, confidence and sources,
 * and survive a restart of the service.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createDeviceService,
  createDiscoveryMethods,
  devicesConfigSchema,
  type DeviceService,
  type DevicesConfig,
} from '../../src/devices/index.ts';
import { loadMacVendors } from '../../src/enrich/oui/mac-vendors.ts';
import { createFlowMeter, meterCaptureFile } from '../../src/meter/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { createLan, requireNetnsTools, type Lan } from './netns-lan.ts';

const SCRIPT = new URL('./tools/dhcp-clients.py', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';
const vendors = loadMacVendors();

/** What each crafted client must become. */
const EXPECTED: Record<string, { mac: string; type: string; os: string; manufacturer?: string }> = {
  windows: { mac: '00:15:5d:01:02:03', type: 'computer', os: 'Windows', manufacturer: 'Microsoft' },
  macos: { mac: 'a4:83:e7:01:02:03', type: 'computer', os: 'macOS', manufacturer: 'Apple' },
  ios: { mac: '5a:11:22:33:44:55', type: 'phone', os: 'iOS', manufacturer: 'Apple' },
  android: { mac: '7e:11:22:33:44:66', type: 'phone', os: 'Android' },
  linux: { mac: 'd4:be:d9:01:02:03', type: 'computer', os: 'Linux', manufacturer: 'Dell' },
  printer: { mac: 'a0:d3:c1:11:22:33', type: 'printer', os: '', manufacturer: 'HP' },
};

function service(cfg: DevicesConfig, file: string): DeviceService {
  const clock = createSystemClock();
  return createDeviceService(cfg, {
    clock,
    log: createSilentLogger(),
    registry: new Registry(),
    vendorOf: (m) => vendors.lookup(m).vendor,
    file,
    methods: createDiscoveryMethods(cfg, { clock }),
  });
}

async function startDnsmasq(lan: Lan, dir: string): Promise<string> {
  const leases = join(dir, 'dnsmasq.leases');
  const d = lan.spawn(lan.router, 'dnsmasq', [
    '--no-daemon',
    '--conf-file=/dev/null',
    '--port=0',
    '--interface=br0',
    '--bind-interfaces',
    '--user=root',
    '--dhcp-authoritative',
    '--dhcp-range=192.168.77.100,192.168.77.199,12h',
    `--dhcp-leasefile=${leases}`,
    '--log-facility=-',
  ]);
  await pollUntil(() => /DHCP, IP range|failed|FAILED/.test(d.stderr()), {
    timeoutMs: 10_000,
    what: 'dnsmasq started',
  });
  assert.match(d.stderr(), /DHCP, IP range/, d.stderr());
  return leases;
}

async function record(lan: Lan, pcap: string, work: () => Promise<void>): Promise<void> {
  const tcpdump = lan.spawn(lan.router, 'tcpdump', [
    '-i',
    'br0',
    '-U',
    '-n',
    '-w',
    pcap,
    'udp port 67 or udp port 68',
  ]);
  await pollUntil(() => tcpdump.stderr().includes('listening on'), {
    timeoutMs: 10_000,
    what: 'tcpdump listening',
  });
  try {
    await work();
  } finally {
    await sleep(1000); // tcpdump stops reading at SIGINT: let it drain the socket first
    await tcpdump.stop('SIGINT', 5000);
  }
}

test('DHCP clients of every kind become classified devices that survive a restart', async (t) => {
  if (!requireNetnsTools(t, ['ip', 'dnsmasq', 'dhclient', 'tcpdump'])) return;
  if (!existsSync(PYTHON)) return t.skip('python3-scapy not installed');
  const dir = mkdtempSync(join(tmpdir(), 'fld-dhcp-'));
  const lan = await createLan(2, false);
  try {
    const leases = await startDnsmasq(lan, dir);
    const pcap = join(dir, 'dhcp.pcap');
    const [scapyClient, dhclientNs] = lan.clients;
    await record(lan, pcap, async () => {
      const out = await lan.run(scapyClient!.ns, PYTHON, [SCRIPT, 'eth0', ...Object.keys(EXPECTED)]);
      assert.equal(out.trim().split('\n').length, Object.keys(EXPECTED).length, out);
      lan.spawn(dhclientNs!.ns, 'dhclient', [
        '-d',
        '-1',
        '-sf',
        '/bin/true',
        '-lf',
        join(dir, 'dhclient.leases'),
        '-pf',
        join(dir, 'dhclient.pid'),
        'eth0',
      ]);
      await pollUntil(() => readFileSync(leases, 'utf8').includes(dhclientNs!.mac), {
        timeoutMs: 20_000,
        what: 'the dhclient lease',
      });
    });

    const cfg = devicesConfigSchema.parse({
      discovery: { neighbours: { enabled: false }, leases: { enabled: true, dnsmasq: [leases] } },
    });
    const file = join(dir, 'devices.json');
    const s1 = service(cfg, file);
    await s1.start();
    const meter = createFlowMeter({ exporter: pcap });
    meter.onSnoop((e) => s1.onSnoop(e));
    await meterCaptureFile(pcap, meter);
    const r = await s1.runDiscovery('lease');
    assert.ok(r.ok, r.error?.message);
    await s1.stop();

    const s2 = service(cfg, file);
    await s2.start();
    try {
      for (const s of [s1, s2]) {
        for (const [profile, want] of Object.entries(EXPECTED)) {
          const d = s.inventory.byMac(want.mac);
          assert.ok(d, `${profile} is a device`);
          const c = s.inventory.classification(d.id)!;
          assert.equal(c.deviceType.value, want.type, `${profile}: ${JSON.stringify(c.deviceType)}`);
          assert.ok(
            c.deviceType.confidence >= 0.5,
            `${profile}: confidence ${c.deviceType.confidence} ${JSON.stringify(d.evidence.filter((e) => e.attribute === 'deviceType'))}`,
          );
          if (want.os) assert.equal(c.os?.value, want.os, `${profile} os`);
          if (want.manufacturer)
            assert.equal(c.manufacturer?.value, want.manufacturer, `${profile} manufacturer`);
          assert.deepEqual(Object.keys(d.sources).sort(), ['dhcp', 'lease'], profile);
          assert.ok(
            d.addresses.some((a) => a.ip.startsWith('192.168.77.1')),
            `${profile} has its lease address`,
          );
        }
        const dh = s.inventory.byMac(dhclientNs!.mac)!;
        assert.ok(dh, 'the dhclient client is a device');
        const c = s.inventory.classification(dh.id)!;
        assert.equal(c.os?.value, 'Linux', JSON.stringify(dh));
        assert.equal(c.deviceType.value, 'computer');
        assert.ok(c.os!.evidence.some((e) => e.detail.includes('ISC dhclient')));
      }
    } finally {
      await s2.stop();
    }
  } finally {
    await lan.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
