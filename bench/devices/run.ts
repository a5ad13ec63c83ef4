/**
 * Devices benchmark: N simulated devices (default 1,000; `--devices N`) go
 * through one full discovery cycle (ARP table, NDP, arp-scan, dnsmasq and
 * Kea leases, static file, nftables counters, each through its real parser
 * with the system tools' output simulated, plus one snooped DHCP request per
 * device through the DHCP parser and classifier), then the inventory is
 * saved, and /metrics is scraped. Prints the time of each step; exits 1 when
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
  type CommandRunner,
} from '../../src/devices/index.ts';
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
    const ts = performance.now();
    await s.save();
    step['save'] = performance.now() - ts;
    const cycle = performance.now() - t0;
    const t1 = performance.now();
    const text = await registry.metrics();
    const scrape = performance.now() - t1;
    worstCycle = Math.max(worstCycle, cycle);
    worstScrape = Math.max(worstScrape, scrape);
    const steps = Object.entries(step)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
    console.log(
      `round ${r}: devices ${s.inventory.size}, cycle ${cycle.toFixed(1)} ms (${steps}), scrape ${scrape.toFixed(1)} ms (${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').filter((l) => l.startsWith('device_info{')).length} device_info series)`,
    );
  }
  await s.stop();
  const ok = worstCycle < LIMIT_MS && worstScrape < LIMIT_MS;
  console.log(
    `${n} devices: worst cycle ${worstCycle.toFixed(1)} ms, worst scrape ${worstScrape.toFixed(1)} ms: ${ok ? 'OK' : 'TOO SLOW'} (limit ${LIMIT_MS} ms)`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
