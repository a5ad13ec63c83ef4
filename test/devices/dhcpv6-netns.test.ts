/**
 * A real DHCPv6 client in a namespace LAN built here: dnsmasq serves
 * DHCPv6 on br0 in the router namespace, ISC dhclient -6 gets an address;
 * tcpdump records br0, the recording goes through the real meter (which
 * snoops UDP 546/547) into the device service. The client becomes a device
 * with its DUID, its option request order exactly as tshark reads it, the
 * address the server assigned, and dhclient's fingerprint as evidence.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, devicesConfigSchema } from '../../src/devices/index.ts';
import { createFlowMeter, meterCaptureFile } from '../../src/meter/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { requireTool } from '../support/system-tool.ts';
import { readTsharkFields } from '../support/tshark-fields.ts';
import { createLan, requireNetnsTools, type Lan } from './netns-lan.ts';

async function startDnsmasq6(lan: Lan, dir: string): Promise<string> {
  const leases = join(dir, 'dnsmasq.leases');
  const d = lan.spawn(lan.router, 'dnsmasq', [
    '--no-daemon',
    '--conf-file=/dev/null',
    '--port=0',
    '--interface=br0',
    '--bind-interfaces',
    '--user=root',
    '--dhcp-authoritative',
    '--dhcp-range=fd77::100,fd77::1ff,64,1h',
    `--dhcp-leasefile=${leases}`,
    '--log-facility=-',
  ]);
  await pollUntil(() => /DHCPv6, IP range|failed|FAILED/.test(d.stderr()), {
    timeoutMs: 10_000,
    what: 'dnsmasq started',
  });
  assert.match(d.stderr(), /DHCPv6, IP range/, d.stderr());
  return leases;
}

test('ISC dhclient -6: DUID, ORO as tshark reads it, the assigned address, its fingerprint', async (t) => {
  if (!requireNetnsTools(t, ['ip', 'dnsmasq', 'dhclient', 'tcpdump'])) return;
  const tshark = requireTool(t, 'tshark');
  if (!tshark) return;
  const dir = mkdtempSync(join(tmpdir(), 'fld-dhcp6-'));
  const lan = await createLan(1, false);
  try {
    const [client] = lan.clients;
    const leases = await startDnsmasq6(lan, dir);
    // dhclient -6 binds to the link-local address: wait until duplicate address detection is over.
    await pollUntil(
      async () => {
        const out = await lan.run(client!.ns, 'ip', ['-6', 'addr', 'show', 'dev', 'eth0']);
        return /inet6 fe80::/.test(out) && !/tentative/.test(out);
      },
      { timeoutMs: 20_000, what: 'the client link-local address' },
    );
    const pcap = join(dir, 'dhcpv6.pcap');
    const tcpdump = lan.spawn(lan.router, 'tcpdump', [
      '-i',
      'br0',
      '-U',
      '-n',
      '-w',
      pcap,
      'udp port 546 or udp port 547',
    ]);
    await pollUntil(() => tcpdump.stderr().includes('listening on'), {
      timeoutMs: 10_000,
      what: 'tcpdump listening',
    });
    try {
      lan.spawn(client!.ns, 'dhclient', [
        '-6',
        '-d',
        '-1',
        '-sf',
        '/bin/true',
        '-lf',
        join(dir, 'dhclient6.leases'),
        '-pf',
        join(dir, 'dhclient6.pid'),
        'eth0',
      ]);
      await pollUntil(() => /fd77::1[0-9a-f]{2}/.test(readFileSync(leases, 'utf8')), {
        timeoutMs: 30_000,
        what: 'the DHCPv6 lease',
      });
    } finally {
      await sleep(1000); // let tcpdump drain its socket before SIGINT
      await tcpdump.stop('SIGINT', 5000);
    }

    // Ground truth from tshark: the Solicit's ORO and DUID, the Reply's address.
    const rows = await readTsharkFields(
      tshark,
      pcap,
      ['dhcpv6.msgtype', 'dhcpv6.requested_option_code', 'dhcpv6.duid.bytes', 'dhcpv6.iaaddr.ip'],
      { filter: 'dhcpv6' },
    );
    const solicit = rows.find(([type]) => type?.[0] === '1');
    assert.ok(solicit, 'a Solicit was recorded');
    const oro = (solicit[1] ?? []).map(Number);
    const duid = solicit[2]?.[0]?.replace(/:/g, '');
    const reply = rows.find(([type]) => type?.[0] === '7');
    const assigned = reply?.[3]?.[0];
    assert.ok(oro.length > 0 && duid && assigned, JSON.stringify(rows));

    const cfg = devicesConfigSchema.parse({ discovery: { neighbours: { enabled: false } } });
    const s = createDeviceService(cfg, {
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
    meter.flushAll();

    const d = s.inventory.byMac(client!.mac);
    assert.ok(d, `the client ${client!.mac} is a device: ${JSON.stringify(s.inventory.list())}`);
    assert.ok(d.clientIds.includes(`duid:${duid}`), JSON.stringify(d.clientIds));
    assert.deepEqual(d.dhcpv6?.oro, oro);
    assert.ok(d.dhcpv6?.options.includes(6), 'the ORO is among the options, in order');
    assert.ok(
      d.addresses.some((a) => a.ip === assigned),
      `${assigned} in ${JSON.stringify(d.addresses)}`,
    );
    assert.equal(s.inventory.byIp(assigned)?.id, d.id);
    const c = s.inventory.classification(d.id)!;
    assert.equal(c.os?.value, 'Linux', JSON.stringify({ fingerprint: d.dhcpv6, evidence: d.evidence }));
    assert.ok(c.os!.evidence.some((e) => e.kind === 'dhcp-fingerprint' && /ISC dhclient/.test(e.detail)));
    assert.equal(s.inventory.size, 1, 'dnsmasq, the server, is not a client');
  } finally {
    await lan.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
