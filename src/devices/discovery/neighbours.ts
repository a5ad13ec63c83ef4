/**
 * The kernel's neighbour tables: ARP (/proc/net/arp, proc(5)) and IPv6 NDP
 * (`ip -j neigh`, iproute2 JSON). Incomplete and failed entries are skipped:
 * they say a device did not answer.
 */
import type { Observation } from '../model.ts';
import { runTool, type CommandRunner } from './command.ts';
import { DiscoveryError } from './errors.ts';
import type { DiscoveryMethod } from './scheduler.ts';

/** ATF_COM (include/uapi/linux/if_arp.h): the entry is complete. */
const ATF_COM = 0x2;
const NO_MAC = '00:00:00:00:00:00';
const SKIPPED_STATES = new Set(['FAILED', 'INCOMPLETE', 'NOARP', 'PERMANENT']);

/** Entries of /proc/net/arp: "IP address  HW type  Flags  HW address  Mask  Device". */
export function parseProcArp(text: string, tsMs: number): Observation[] {
  const out: Observation[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [ip, , flags, mac] = line.trim().split(/\s+/);
    if (!ip || !mac || mac === NO_MAC || (parseInt(flags ?? '0', 16) & ATF_COM) === 0) continue;
    out.push({ source: 'arp', tsMs, ip, mac });
  }
  return out;
}

interface IpNeighEntry {
  dst?: string;
  lladdr?: string;
  state?: string[];
}

/** Entries of `ip -j neigh` (both families; IPv6 ones are NDP). */
export function parseIpNeigh(json: string, tsMs: number): Observation[] {
  let rows: unknown;
  try {
    rows = JSON.parse(json || '[]');
  } catch (err) {
    throw new DiscoveryError('FLOWLENS_ERR_DISCOVERY_SOURCE', 'ndp: "ip -j neigh" printed no JSON', {
      cause: err,
    });
  }
  if (!Array.isArray(rows)) return [];
  const out: Observation[] = [];
  for (const r of rows as IpNeighEntry[]) {
    if (!r.dst || !r.lladdr || r.state?.some((s) => SKIPPED_STATES.has(s))) continue;
    out.push({ source: r.dst.includes(':') ? 'ndp' : 'arp', tsMs, ip: r.dst, mac: r.lladdr });
  }
  return out;
}

/** How the neighbour methods reach the system. */
export interface NeighbourDeps {
  now(): number;
  run: CommandRunner;
  readText(path: string): Promise<string>;
  netns?: string | undefined;
}

/** The `arp` method: /proc/net/arp (through `cat` inside a namespace). */
export function createArpMethod(d: NeighbourDeps, intervalMs: number, timeoutMs: number): DiscoveryMethod {
  return {
    name: 'arp',
    intervalMs,
    timeoutMs,
    async run(signal) {
      const text = d.netns
        ? (await runTool(d.run, 'arp', d.netns, 'cat', ['/proc/net/arp'], signal)).stdout
        : await d.readText('/proc/net/arp');
      return parseProcArp(text, d.now());
    },
  };
}

/** The `ndp` method: IPv6 neighbours from `ip -j -6 neigh`. */
export function createNdpMethod(d: NeighbourDeps, intervalMs: number, timeoutMs: number): DiscoveryMethod {
  return {
    name: 'ndp',
    intervalMs,
    timeoutMs,
    async run(signal) {
      const r = await runTool(d.run, 'ndp', d.netns, 'ip', ['-j', '-6', 'neigh', 'show'], signal);
      if (r.code !== 0)
        throw new DiscoveryError('FLOWLENS_ERR_DISCOVERY_FAILED', `ndp: ip neigh: ${r.stderr.trim()}`);
      return parseIpNeigh(r.stdout, d.now());
    },
  };
}
