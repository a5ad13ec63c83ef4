/**
 * Every DHCP client in ../shared/captures/dhcp becomes a device with a class
 * and its evidence: each capture goes through the real meter (file feed),
 * its snooped DHCP events (DHCPv4 on UDP 67/68, DHCPv6 on 546/547) into the
 * inventory. The client list comes from
 * tshark (every chaddr), the classes from the table below (what the
 * captures' MANIFEST says each client is).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { createInventory, observeDhcp, observeDhcpv6, type Inventory } from '../../src/devices/index.ts';
import { loadMacVendors } from '../../src/enrich/oui/mac-vendors.ts';
import { createFlowMeter, meterCaptureFile } from '../../src/meter/index.ts';
import { sharedCapture, requireTool } from '../support/system-tool.ts';
import { readTsharkFields } from '../support/tshark-fields.ts';

const DIR = sharedCapture('dhcp');
const vendors = loadMacVendors();

/** What each client is (MANIFEST.md descriptions, host names, vendor classes). */
const EXPECTED: Record<string, { type: string; os?: string; manufacturer?: string }> = {
  '48:d2:24:63:0a:de': { type: 'computer', os: 'Windows' },
  '70:f1:a1:f8:2a:fd': { type: 'computer', os: 'Windows' },
  '60:c5:47:05:bc:8c': { type: 'computer', os: 'macOS', manufacturer: 'Apple' },
  '70:3e:ac:f0:f0:07': { type: 'phone', os: 'iOS', manufacturer: 'Apple' },
  'bc:ee:7b:0c:b3:de': { type: 'phone', os: 'Android' },
  'e0:ca:94:6b:96:44': { type: 'computer', os: 'Linux' },
  '28:cf:da:dc:8d:76': { type: 'computer', os: 'Windows', manufacturer: 'Apple' },
  'b8:27:eb:b8:53:c8': { type: 'computer', os: 'Linux', manufacturer: 'Raspberry Pi' },
  '42:b4:44:b4:f0:ee': { type: 'computer', os: 'macOS', manufacturer: 'Apple' },
  '92:dd:a4:8d:5f:de': { type: 'iot', os: 'Linux' },
  '00:0c:29:1f:74:06': { type: 'computer', os: 'Linux', manufacturer: 'VMware' },
  '90:b1:1c:99:49:29': { type: 'computer', manufacturer: 'Dell' },
  '00:90:f5:91:cd:1f': { type: 'computer', os: 'Linux' },
  '00:00:44:01:00:00': { type: 'network', manufacturer: 'Arista' },
  '08:00:27:e6:e5:59': { type: 'computer', os: 'Windows' },
  '32:7a:80:aa:a7:c7': { type: 'phone', os: 'Android' },
  'a0:a4:c5:93:ac:60': { type: 'computer' },
  'a4:7c:c9:aa:20:20': { type: 'network', manufacturer: 'Huawei' },
  '70:ee:50:03:70:8e': { type: 'iot', manufacturer: 'Netatmo' },
  '68:a3:78:20:b0:d6': { type: 'media', os: 'Android', manufacturer: 'Free' },
  '14:7f:67:8a:7b:4a': { type: 'appliance', manufacturer: 'LG' },
  '00:0b:82:01:fc:42': { type: 'voip-phone', manufacturer: 'Grandstream Networks' },
  '4c:5e:0c:ea:03:65': { type: 'network', manufacturer: 'Routerboard.com' },
  '20:66:cf:03:88:34': { type: 'media', manufacturer: 'Free' },
  // 1kxun.pcap's clients seen only in the server's replies: the OUI is the evidence.
  '00:26:5a:c2:63:55': { type: 'network', manufacturer: 'D-Link' },
  'c8:d3:a3:93:a3:70': { type: 'network', manufacturer: 'D-Link' },
  'e8:b1:fc:ab:fb:b2': { type: 'computer', manufacturer: 'Intel' },
  'cc:3d:82:1e:ee:e3': { type: 'computer', manufacturer: 'Intel' },
  '48:d2:24:63:31:00': { type: 'computer' },
};

/** Clients whose only DHCP messages in the capture say nothing of their kind (the address alone). */
const NO_CLASS_EVIDENCE = new Set([
  '72:c1:55:6f:76:83', // pyroute2's test client, server replies only, randomised MAC
  'e0:ac:cb:71:e1:d0', // 1kxun.pcap: server replies only; the Apple OUI names the maker, not the kind
]);

async function inventoryOf(path: string): Promise<Inventory> {
  const inv = createInventory({
    vendorOf: (m) => vendors.lookup(m).vendor,
    maxDevices: 10_000,
    offlineAfterMs: 600_000,
  });
  const meter = createFlowMeter({ exporter: path });
  meter.onSnoop((e) => {
    if (e.kind !== 'dhcp') return;
    const v6 = [e.srcPort, e.dstPort].some((p) => p === 546 || p === 547);
    const o = v6 ? observeDhcpv6(e.payload, e) : observeDhcp(e.payload, e);
    if (o) inv.observe(o);
  });
  await meterCaptureFile(path, meter);
  meter.flushAll();
  return inv;
}

const files = readdirSync(DIR).filter((f) => /\.pcap(ng)?$/.test(f));

test('every DHCPv4 client of the shared captures becomes a classified device with evidence', async (t) => {
  const tshark = requireTool(t, 'tshark');
  if (!tshark) return;
  let clients = 0;
  for (const f of files) {
    const path = `${DIR}/${f}`;
    const rows = await readTsharkFields(tshark, path, ['dhcp.hw.mac_addr'], { filter: 'dhcp' });
    const macs = new Set(rows.flatMap(([m]) => m ?? []).filter((m) => m !== '00:00:00:00:00:00'));
    const inv = await inventoryOf(path);
    for (const mac of macs) {
      clients++;
      const d = inv.byMac(mac);
      assert.ok(d, `${f}: client ${mac} is a device`);
      assert.ok(d.sources.dhcp, `${f}: ${mac} has the dhcp source`);
      const c = inv.classification(d.id)!;
      assert.ok(d.evidence.length > 0, `${f}: ${mac} has evidence`);
      const want = EXPECTED[mac];
      if (NO_CLASS_EVIDENCE.has(mac)) continue;
      assert.ok(want, `${f}: ${mac} (${c.deviceType.value}) is in the expectation table`);
      assert.equal(c.deviceType.value, want.type, `${f}: ${mac} type ${JSON.stringify(c.deviceType)}`);
      assert.ok(c.deviceType.confidence > 0.3, `${f}: ${mac} type confidence ${c.deviceType.confidence}`);
      assert.ok(c.deviceType.evidence.length > 0);
      if (want.os) assert.equal(c.os?.value, want.os, `${f}: ${mac} os`);
      if (want.manufacturer)
        assert.equal(c.manufacturer?.value, want.manufacturer, `${f}: ${mac} manufacturer`);
    }
  }
  assert.ok(clients >= 25, `clients checked: ${clients}`);
});

test('client-supplied and assigned host names are kept apart; addresses come from the ACK', async () => {
  const inv = await inventoryOf(`${DIR}/dhcp.pcap`);
  const d = inv.byMac('90:b1:1c:99:49:29')!;
  assert.ok(d.names.some((n) => n.name === 'btest.is.cool' && n.source === 'dhcp-client'));
  assert.ok(d.addresses.length > 0);
});

test('a Windows 7 client: option 55 in its order and option 60 are the evidence', async () => {
  const inv = await inventoryOf(`${DIR}/1kxun.pcap`);
  const d = inv.byMac('48:d2:24:63:0a:de')!;
  assert.deepEqual(d.dhcp?.prl, [1, 15, 3, 6, 44, 46, 47, 31, 33, 121, 249, 43, 252]);
  assert.equal(d.dhcp?.vendorClass, 'MSFT 5.0');
  const c = inv.classification(d.id)!;
  assert.equal(c.osVersion?.value, '7');
  const kinds = new Set(c.os?.evidence.map((e) => e.kind));
  assert.deepEqual([...kinds].sort(), ['dhcp-fingerprint', 'dhcp-vendor-class', 'hostname-pattern']);
  assert.ok(d.names.some((n) => n.name === 'kevin-PC' && n.source === 'dhcp-client'));
});

const V6_FILES = [
  'dhcpv6-ia-pd.pcap',
  'dhcpv6-mud.pcap',
  'wireshark-dhcpv6.pcap',
  'dhcpv4v6-rfc5970-rfc8572.pcap',
  'dhcpv6cap.pcapng',
];
/** DHCPv6 client message types (RFC 8415 §7.3): Solicit, Request, Confirm, Renew, Rebind, Release, Decline, Information-request. */
const V6_CLIENT_TYPES = new Set(['1', '3', '4', '5', '6', '8', '9', '11']);

test('every DHCPv6 client (by DUID) becomes a device; those that say anything are classified', async (t) => {
  const tshark = requireTool(t, 'tshark');
  if (!tshark) return;
  let clients = 0;
  let classified = 0;
  for (const f of V6_FILES) {
    const path = `${DIR}/${f}`;
    const rows = await readTsharkFields(tshark, path, ['dhcpv6.msgtype', 'dhcpv6.duid.bytes'], {
      filter: 'dhcpv6',
    });
    const duids = new Set<string>();
    for (const [types, ids] of rows)
      if (V6_CLIENT_TYPES.has(types?.at(-1) ?? '') && ids?.[0]) duids.add(ids[0]);
    const inv = await inventoryOf(path);
    for (const duid of duids) {
      clients++;
      // A DUID-LLT/LL holds a MAC: clones sharing a MAC are one device, whose client id list is bounded.
      const mac = /^000(1|3)0001/.test(duid) ? duid.slice(-12).replace(/(..)(?!$)/g, '$1:') : undefined;
      const d =
        inv.list().find((x) => x.clientIds.includes(`duid:${duid}`)) ?? (mac ? inv.byMac(mac) : undefined);
      assert.ok(d, `${f}: DUID ${duid} is a device`);
      assert.ok(d.sources.dhcp);
      const c = inv.classification(d.id)!;
      // DUID-LLT/LL carry a MAC: the OUI (or the randomised bit) is evidence at least.
      if (/^000(1|3)0001/.test(duid)) assert.ok(d.evidence.length > 0, `${f}: ${duid} has evidence`);
      if (c.deviceType.value !== 'unknown') classified++;
    }
  }
  assert.ok(clients >= 130, `DHCPv6 clients: ${clients}`);
  assert.ok(classified / clients >= 0.85, `classified ${classified} of ${clients}`);
});
