/**
 * Devices benchmark: N simulated devices (default 1,000; `--devices N`) go
 * through one full discovery cycle (ARP table, NDP, arp-scan, dnsmasq and
 * Kea leases, static file, nftables counters, each through its real parser
 * with the system tools' output simulated, plus one snooped DHCP request per
 * device through the DHCP parser and classifier, and one DHCPv6 Solicit per
 * device through the DHCPv6 parser), then the inventory is saved, and
 * /metrics is scraped: the device metrics and the per-client metrics of
 * traffic from every device (device_type from the inventory, at most
 * live.maxClientSeries clients with their own series, as the service runs
 * them). Prints the time of each step; exits 1 when
 * the cycle or the scrape takes 1 s or more (issue 8's bound).
 *
 *   node bench/devices/run.ts [--devices 1000] [--rounds 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createDeviceService,
  createDiscoveryMethods,
  devicesConfigSchema,
  observeDhcp,
  observeDhcpv6,
  type CommandRunner,
} from '../../src/devices/index.ts';
import {
  createClientMetrics,
  createLiveAggregator,
  createLiveState,
  DEFAULT_LIVE_CONFIG,
} from '../../src/live/index.ts';
import { loadMacVendors } from '../../src/enrich/oui/mac-vendors.ts';
import { simulatedLan, type SimulatedLan } from './simulated-lan.ts';

const LIMIT_MS = 1000;
const { values } = parseArgs({
  options: { devices: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' } },
});
const n = Number(values.devices);
const rounds = Number(values.rounds);

function fakeSystem(lan: SimulatedLan): { run: CommandRunner; readText(p: string): Promise<string> } {
  return {
    run: async (file, args) => {
      const out =
        file === 'ip'
          ? lan.ipNeighJson
          : file === 'arp-scan'
            ? lan.arpScanText
            : file === 'nft' && args[0] === '-j'
              ? lan.nftJson
              : '';
      return { stdout: out, stderr: '', code: 0 };
    },
    readText: async (p) =>
      p === '/proc/net/arp'
        ? lan.procArp
        : p.endsWith('.csv')
          ? lan.keaCsv
          : p.endsWith('.json')
            ? lan.staticJson
            : lan.dnsmasqLeases,
  };
}

/** Lines of a Prometheus text starting with `prefix` (and containing `has`). */
const count = (text: string, prefix: string, has = ''): number =>
  text.split('\n').filter((l) => l.startsWith(prefix) && l.includes(has)).length;

const dir = mkdtempSync(join(tmpdir(), 'fld-bench-devices-'));
try {
  const vendors = loadMacVendors();
  const lan = simulatedLan(n);
  const cfg = devicesConfigSchema.parse({
    maxSeries: n * 2,
    discovery: {
      neighbours: { enabled: true },
      arpScan: { enabled: true, interfaces: ['eth0'] },
      leases: { enabled: true, kea: ['/kea/leases4.csv'], dnsmasq: ['/dnsmasq.leases'] },
      static: { enabled: true, file: '/clients.json' },
      nftables: { enabled: true, mode: 'read' },
    },
  });
  const clock = createSystemClock();
  const methods = createDiscoveryMethods(cfg, { clock, ...fakeSystem(lan) });
  const registry = new Registry();
  const s = createDeviceService(cfg, {
    clock,
    log: createSilentLogger(),
    registry,
    vendorOf: (m) => vendors.lookup(m).vendor,
    file: join(dir, 'devices.json'),
    methods,
  });
  await s.start();
  const live = createLiveState({ clock, config: DEFAULT_LIVE_CONFIG });
  const clients = createClientMetrics({
    registry,
    live,
    maxSeries: DEFAULT_LIVE_CONFIG.maxClientSeries,
    deviceTypeOf: (ip) => s.deviceTypeOf(ip),
  });
  const agg = createLiveAggregator({ source: 'bench', startMs: clock.now() });
  let worstCycle = 0;
  let worstScrape = 0;
  for (let r = 1; r <= rounds; r++) {
    const t0 = performance.now();
    const step: Record<string, number> = {};
    for (const m of methods) {
      const t = performance.now();
      const res = await s.runDiscovery(m.name);
      if (!res.ok) throw new Error(`${m.name}: ${res.error?.message}`);
      step[m.name] = performance.now() - t;
    }
    const td = performance.now();
    for (const p of lan.dhcpRequests) {
      const o = observeDhcp(p.payload, { tsMs: clock.now(), srcAddr: '0.0.0.0', srcMac: p.mac });
      if (o) s.observe([o]);
    }
    step['dhcp-snoop'] = performance.now() - td;
    const t6 = performance.now();
    for (const p of lan.dhcpv6Solicits) {
      const o = observeDhcpv6(p.payload, { tsMs: clock.now(), srcAddr: p.srcAddr, srcMac: p.mac });
      if (o) s.observe([o]);
    }
    step['dhcpv6-snoop'] = performance.now() - t6;
    const ts = performance.now();
    await s.save();
    step['save'] = performance.now() - ts;
    const cycle = performance.now() - t0;
    // Traffic from every device, then a re-ranking: the busiest get series labelled with their type.
    for (const [i, ip] of lan.ip4s.entries())
      agg.add(
        {
          type: 'netflow9',
          exporter: '192.0.2.1',
          srcAddr: ip,
          dstAddr: '198.51.100.7',
          proto: 6,
          srcPort: 40000,
          dstPort: 443,
          bytes: 1000 + i,
          packets: 1,
        },
        clock.now(),
      );
    live.apply(agg.drain(clock.now()));
    clients.rerank();
    const t1 = performance.now();
    const text = await registry.metrics();
    const scrape = performance.now() - t1;
    worstCycle = Math.max(worstCycle, cycle);
    worstScrape = Math.max(worstScrape, scrape);
    const steps = Object.entries(step)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
    console.log(
      `round ${r}: devices ${s.inventory.size}, cycle ${cycle.toFixed(1)} ms (${steps}), scrape ${scrape.toFixed(1)} ms (${(text.length / 1024).toFixed(0)} KiB, ${count(text, 'device_info{')} device_info series, ${count(text, 'client_traffic_bytes{')} client_traffic_bytes series, ${count(text, 'client_traffic_bytes{', 'device_type="unknown"')} of them "unknown")`,
    );
  }
  clients.close();
  await s.stop();
  const ok = worstCycle < LIMIT_MS && worstScrape < LIMIT_MS;
  console.log(
    `${n} devices: worst cycle ${worstCycle.toFixed(1)} ms, worst scrape ${worstScrape.toFixed(1)} ms: ${ok ? 'OK' : 'TOO SLOW'} (limit ${LIMIT_MS} ms)`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
