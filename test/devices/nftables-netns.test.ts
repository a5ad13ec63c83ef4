/**
 * nftables per-client counters in a namespace LAN built here: FlowLens
 * installs its sets and rules in the router namespace (hooks input and
 * output), clients ping the router over IPv4 and IPv6, and the counters
 * read back with `nft -j` must equal the IP bytes each client sent and
 * received in a tcpdump recording of br0 (read by tshark).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, createDiscoveryMethods, devicesConfigSchema } from '../../src/devices/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { readTsharkFields } from '../support/tshark-fields.ts';
import { createLan, LAN, requireNetnsTools } from './netns-lan.ts';

/** IP bytes (IPv4 total length, IPv6 payload + 40) per (source, destination) in a recording. */
async function ipBytes(tshark: string, pcap: string): Promise<{ src: string; dst: string; bytes: number }[]> {
  const rows = await readTsharkFields(tshark, pcap, [
    'ip.src',
    'ip.dst',
    'ip.len',
    'ipv6.src',
    'ipv6.dst',
    'ipv6.plen',
  ]);
  return rows.map(([s4, d4, l4, s6, d6, l6]) =>
    s4?.[0]
      ? { src: s4[0], dst: d4![0]!, bytes: Number(l4![0]) }
      : { src: s6![0]!, dst: d6![0]!, bytes: Number(l6![0]) + 40 },
  );
}

test('nftables counters equal the bytes each client sent and received, IPv4 and IPv6', async (t) => {
  const tools = requireNetnsTools(t, ['ip', 'nft', 'tcpdump', 'tshark', 'ping']);
  if (!tools) return;
  const dir = mkdtempSync(join(tmpdir(), 'fld-nft-'));
  const lan = await createLan(2);
  try {
    const pcap = join(dir, 'lan.pcap');
    const tcpdump = lan.spawn(lan.router, 'tcpdump', ['-i', 'br0', '-U', '-n', '-w', pcap, 'ip or ip6']);
    await pollUntil(() => tcpdump.stderr().includes('listening on'), { timeoutMs: 10_000, what: 'tcpdump' });
    const cfg = devicesConfigSchema.parse({
      discovery: {
        netns: lan.router,
        neighbours: { enabled: false },
        nftables: { enabled: true, mode: 'install', table: 'fldtest', hooks: ['input', 'output'] },
      },
    });
    const clock = createSystemClock();
    const s = createDeviceService(cfg, {
      clock,
      log: createSilentLogger(),
      registry: new Registry(),
      vendorOf: () => undefined,
      file: join(dir, 'devices.json'),
      methods: createDiscoveryMethods(cfg, { clock }),
    });
    const install = await s.runDiscovery('nft');
    assert.ok(install.ok, install.error?.message);
    const [c1, c2] = lan.clients;
    await lan.run(c1!.ns, 'ping', ['-c', '3', '-i', '0.2', '-s', '200', LAN.router4]);
    await lan.run(c1!.ns, 'ping', ['-6', '-c', '2', '-i', '0.2', '-s', '300', LAN.router6]);
    await lan.run(c2!.ns, 'ping', ['-c', '5', '-i', '0.2', '-s', '50', LAN.router4]);
    await lan.run(c2!.ns, 'ping', ['-6', '-c', '4', '-i', '0.2', '-s', '1000', LAN.router6]);
    await sleep(500);
    const read = await s.runDiscovery('nft');
    assert.ok(read.ok, read.error?.message);
    await sleep(1000);
    await tcpdump.stop('SIGINT', 5000);

    const packets = await ipBytes(tools['tshark']!, pcap);
    const router = new Set([LAN.router4, LAN.router6, 'ff02::1:ff00:1']);
    for (const c of lan.clients) {
      for (const ip of [c.ip4!, c.ip6!]) {
        const sent = packets
          .filter((p) => p.src === ip && router.has(p.dst))
          .reduce((a, p) => a + p.bytes, 0);
        const received = packets
          .filter((p) => p.dst === ip && router.has(p.src))
          .reduce((a, p) => a + p.bytes, 0);
        const d = s.inventory.byIp(ip);
        assert.ok(d, `a device for ${ip}`);
        const a = d.addresses.find((x) => x.ip === ip)!;
        assert.ok(sent > 0 && received > 0, `${ip}: traffic recorded`);
        assert.equal(a.traffic?.bytesOut, sent, `${ip}: bytes sent`);
        assert.equal(a.traffic?.bytesIn, received, `${ip}: bytes received`);
      }
    }
  } finally {
    await lan.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('read mode: a missing table is reported clearly', async (t) => {
  if (!requireNetnsTools(t, ['ip', 'nft'])) return;
  const lan = await createLan(1);
  try {
    const cfg = devicesConfigSchema.parse({
      discovery: {
        netns: lan.router,
        neighbours: { enabled: false },
        nftables: { enabled: true, mode: 'read', table: 'nosuch' },
      },
    });
    const clock = createSystemClock();
    const s = createDeviceService(cfg, {
      clock,
      log: createSilentLogger(),
      registry: new Registry(),
      vendorOf: () => undefined,
      file: '/nonexistent/devices.json',
      methods: createDiscoveryMethods(cfg, { clock }),
    });
    const r = await s.runDiscovery('nft');
    assert.equal(r.error?.code, 'FLOWLENS_ERR_DISCOVERY_SOURCE', r.error?.message);
    assert.match(r.error!.message, /inet nosuch.*mode/);
  } finally {
    await lan.close();
  }
});
