/**
 * mDNS/DNS-SD and SSDP in a namespace LAN built here: avahi-daemon
 * publishes an IPP printer (TXT ty/usb_MFG/usb_MDL) on one client and a
 * workstation with the same host name on another (avahi renames it: a name
 * conflict); a UPnP responder announces a TV with its description XML. The
 * device component runs inside the router namespace (browse + M-SEARCH +
 * description fetch) and, from a recording of the same traffic, through the
 * meter's snooping. Each device gets its type, vendor, model and names.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, DEFAULT_DEVICES_CONFIG, type DeviceDetail } from '../../src/devices/index.ts';
import { createFlowMeter, meterCaptureFile } from '../../src/meter/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { createLan, requireNetnsTools, type Lan } from './netns-lan.ts';

const TOOLS = new URL('./tools/', import.meta.url).pathname;

const AVAHI_CONF = `[server]
host-name=fld-host
use-ipv4=yes
use-ipv6=yes
allow-interfaces=eth0
enable-dbus=no
[publish]
publish-hinfo=yes
publish-workstation=yes
`;

const PRINTER_SERVICE = `<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<service-group><name>Office Printer</name>
<service><type>_ipp._tcp</type><port>631</port>
<txt-record>ty=HP LaserJet Pro M404dn</txt-record><txt-record>usb_MFG=HP</txt-record>
<txt-record>usb_MDL=LaserJet Pro M404dn</txt-record></service></service-group>
`;

/** avahi-daemon in a client namespace, with its own services folder and /run (private mounts). */
async function startAvahi(
  lan: Lan,
  ns: string,
  dir: string,
  services: Record<string, string>,
): Promise<void> {
  const own = join(dir, ns);
  mkdirSync(join(own, 'services'), { recursive: true });
  writeFileSync(join(own, 'avahi.conf'), AVAHI_CONF);
  for (const [f, text] of Object.entries(services)) writeFileSync(join(own, 'services', f), text);
  const script = `mount -t tmpfs tmpfs /run && mount --bind ${own}/services /etc/avahi/services && exec avahi-daemon -f ${own}/avahi.conf --no-drop-root --no-chroot --no-rlimits`;
  const a = lan.spawn(ns, 'unshare', ['-m', 'sh', '-c', script]);
  await pollUntil(() => /Server startup complete/.test(a.stderr()) || a.stderr().includes('rror'), {
    timeoutMs: 15_000,
    what: `avahi-daemon in ${ns}`,
  });
  assert.match(a.stderr(), /Server startup complete/, a.stderr());
}

const byIp = (devices: DeviceDetail[], ip: string): DeviceDetail | undefined =>
  devices.find((d) => d.addresses.some((a) => a.ip === ip));

test('mDNS services and SSDP devices are found, classified and named', async (t) => {
  if (!requireNetnsTools(t, ['ip', 'avahi-daemon', 'tcpdump', 'unshare'])) return;
  const dir = mkdtempSync(join(tmpdir(), 'fld-mdns-'));
  const lan = await createLan(2);
  try {
    const [printer, tv] = lan.clients;
    await startAvahi(lan, printer!.ns, dir, { 'printer.service': PRINTER_SERVICE });
    await startAvahi(lan, tv!.ns, dir, {});
    const ssdp = lan.spawn(tv!.ns, '/usr/bin/python3', [join(TOOLS, 'ssdp-responder.py'), tv!.ip4!, '8080']);
    await pollUntil(() => ssdp.stdout().includes('ready'), { timeoutMs: 10_000, what: 'the SSDP responder' });
    await sleep(3000); // avahi settles the host name conflict (the second becomes fld-host-2)

    const pcap = join(dir, 'mdns.pcap');
    const tcpdump = lan.spawn(lan.router, 'tcpdump', [
      '-i',
      'br0',
      '-U',
      '-n',
      '-w',
      pcap,
      'udp port 5353 or udp port 1900',
    ]);
    await pollUntil(() => tcpdump.stderr().includes('listening on'), { timeoutMs: 10_000, what: 'tcpdump' });
    const cfg = {
      discovery: { neighbours: { enabled: false }, mdns: { enabled: true }, ssdp: { enabled: true } },
    };
    const out = await lan.run(lan.router, process.execPath, [
      join(TOOLS, 'discover.ts'),
      JSON.stringify(cfg),
    ]);
    await sleep(1000);
    await tcpdump.stop('SIGINT', 5000);
    const { failures, devices } = JSON.parse(out) as { failures: string[]; devices: DeviceDetail[] };
    assert.deepEqual(failures, []);

    const p = byIp(devices, printer!.ip4!);
    assert.ok(p, `printer in ${JSON.stringify(devices.map((d) => d.addresses))}`);
    assert.equal(p.deviceType, 'printer');
    assert.equal(p.manufacturer, 'HP');
    assert.equal(p.model, 'HP LaserJet Pro M404dn'); // IPP's ty (make and model) outweighs usb_MDL
    assert.ok(p.services.includes('_ipp._tcp'));
    assert.ok(p.names.some((n) => n.name === 'Office Printer' && n.source === 'mdns'));
    assert.ok(p.classification['deviceType']!.evidence.some((e) => e.kind === 'mdns-service'));

    const v = byIp(devices, tv!.ip4!);
    assert.ok(v, 'the TV');
    assert.equal(v.deviceType, 'tv');
    assert.equal(v.manufacturer, 'Samsung Electronics');
    assert.equal(v.model, 'QE55Q80T AU8000');
    assert.ok(v.names.some((n) => n.name === 'Living Room TV' && n.source === 'ssdp'));
    assert.ok(v.sources.includes('ssdp') && v.sources.includes('mdns'));
    // The conflict: two hosts, two devices, each with its own name.
    const hostNames = [p, v].map((d) => d.names.filter((n) => /^fld-host/.test(n.name)).map((n) => n.name));
    assert.deepEqual(hostNames.flat().sort(), ['fld-host', 'fld-host-2']);

    // The same traffic snooped by the meter: now with the MACs.
    const s = createDeviceService(DEFAULT_DEVICES_CONFIG, {
      clock: createSystemClock(),
      log: createSilentLogger(),
      registry: new Registry(),
      vendorOf: () => undefined,
      file: join(dir, 'devices.json'),
      methods: [],
    });
    const meter = createFlowMeter({ exporter: pcap });
    meter.onSnoop((e) => s.onSnoop(e));
    await meterCaptureFile(pcap, meter);
    const sp = s.inventory.byMac(printer!.mac);
    assert.ok(sp, 'the printer by its MAC');
    assert.equal(s.inventory.classification(sp.id)?.deviceType.value, 'printer');
    const sv = s.inventory.byMac(tv!.mac);
    assert.ok(sv && sv.sources.ssdp, 'the TV by its MAC, from its NOTIFY');
  } finally {
    await lan.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
