/**
 * DHCPv6 as a fingerprint source, from real packets: scapy writes the
 * Solicits of a Windows PC, a Raspberry Pi running dhcpcd and a router, and
 * a server's Reply (tools/dhcpv6-clients.py); the real meter reads the
 * capture and snoops UDP 546/547, and the device component's snoop input
 * turns the events into devices with the DUID, the ORO in its order, the
 * vendor and user classes, the FQDN and the assigned address. Skips without
 * python3-scapy unless FLOWLENS_REQUIRE_SYSTEM_TESTS=1.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, DEFAULT_DEVICES_CONFIG } from '../../src/devices/index.ts';
import { createFlowMeter, meterCaptureFile, type SnoopEvent } from '../../src/meter/index.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./tools/dhcpv6-clients.py', import.meta.url));

function scapyMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import scapy.layers.dhcp6'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'python3-scapy not installed (apt-get install -y python3-scapy)';
}

test('DHCPv6 Solicits and Replies snooped by the meter become fingerprinted devices', async (t) => {
  const missing = scapyMissing();
  if (missing) {
    if (process.env.FLOWLENS_REQUIRE_SYSTEM_TESTS === '1') throw new Error(missing);
    return t.skip(missing);
  }
  const dir = mkdtempSync(join(tmpdir(), 'fld-v6-'));
  try {
    const pcap = join(dir, 'dhcpv6.pcap');
    const made = spawnSync(PYTHON, [SCRIPT, pcap], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const devices = createDeviceService(DEFAULT_DEVICES_CONFIG, {
      clock: createFakeClock(1_700_000_000_000),
      log: createSilentLogger(),
      registry: new Registry(),
      vendorOf: () => undefined,
      file: join(dir, 'devices.json'),
      methods: [],
    });
    const meter = createFlowMeter({ exporter: pcap });
    const events: SnoopEvent[] = [];
    meter.onSnoop((e) => {
      events.push(e);
      devices.onSnoop(e);
    });
    await meterCaptureFile(pcap, meter);
    meter.flushAll();
    assert.deepEqual(
      events.map((e) => `${e.kind} ${e.srcPort}->${e.dstPort}`),
      ['dhcp 546->547', 'dhcp 546->547', 'dhcp 546->547', 'dhcp 547->546'],
    );
    const inv = devices.inventory;

    const win = inv.byMac('28:cf:e9:11:22:33');
    assert.ok(win, 'the Windows PC is a device');
    assert.deepEqual(win.dhcpv6?.oro, [24, 23, 17, 39]);
    assert.deepEqual(win.dhcpv6?.options, [8, 1, 3, 39, 16, 6]);
    assert.equal(win.dhcpv6?.enterprise, 311);
    assert.equal(win.dhcpv6?.vendorClass, 'MSFT 5.0');
    assert.equal(win.dhcpv6?.duidType, 1);
    assert.ok(win.clientIds[0]?.startsWith('duid:00010001'));
    assert.ok(win.names.some((n) => n.name === 'DESKTOP-V6W' && n.source === 'dhcp-fqdn'));
    // The server's Reply carries no MAC: its DUID links the assigned address to the PC.
    assert.ok(win.addresses.some((a) => a.ip === '2001:db8::10'));
    assert.equal(inv.byIp('2001:db8::10')?.id, win.id);
    const wc = inv.classification(win.id)!;
    assert.equal(wc.os?.value, 'Windows');
    assert.equal(wc.deviceType.value, 'computer');
    assert.ok(
      wc.os!.evidence.some(
        (e) => e.kind === 'dhcp-fingerprint' && e.detail === 'DHCPv6 ORO 24,23,17,39: Windows',
      ),
      JSON.stringify(wc.os!.evidence),
    );
    assert.ok(
      wc.os!.evidence.some((e) => e.kind === 'dhcp-vendor-class' && /311 "MSFT 5\.0"/.test(e.detail)),
    );

    const pi = inv.byMac('b8:27:eb:44:55:66');
    assert.ok(pi, 'the Raspberry Pi is a device');
    assert.equal(pi.dhcpv6?.enterprise, 40712);
    assert.equal(pi.dhcpv6?.userClass, 'lab-pi');
    assert.deepEqual(pi.dhcpv6?.oro, [23, 24, 31, 39, 82, 83]);
    assert.equal(pi.dhcpv6?.duidType, 3);
    const pc = inv.classification(pi.id)!;
    assert.equal(pc.manufacturer?.value, 'Raspberry Pi');
    assert.equal(pc.os?.value, 'Linux');
    assert.equal(pc.osVersion?.value, '4.1.18');
    assert.equal(pc.deviceType.value, 'computer');

    const router = inv.byMac('00:0d:b9:77:88:99');
    assert.ok(router, 'the router is a device');
    const rc = inv.classification(router.id)!;
    assert.equal(rc.deviceType.value, 'network');
    assert.match(rc.deviceType.evidence[0]!.detail, /IA_PD/);
    assert.equal(inv.size, 3, 'the server is not a client');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
