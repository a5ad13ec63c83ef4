/**
 * Active ARP scanning with arp-scan (one run per configured interface,
 * `--localnet --plain --quiet`: "ip<TAB>mac" lines). arp-scan needs raw
 * sockets (root or CAP_NET_RAW); its failures are reported by kind: the
 * binary missing, permission refused, the interface unknown.
 */
import type { Observation } from '../model.ts';
import { runTool, type CommandRunner } from './command.ts';
import { DiscoveryError } from './errors.ts';
import type { DiscoveryMethod } from './scheduler.ts';

/** Settings of the arp-scan method. */
export interface ArpScanOptions {
  binary: string;
  interfaces: string[];
  intervalMs: number;
  timeoutMs: number;
  netns?: string | undefined;
}

const LINE = /^(\d{1,3}(?:\.\d{1,3}){3})\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5})\b/i;

/** Answers in arp-scan's plain output (duplicates, "(DUP: n)", are kept once). */
export function parseArpScan(text: string, tsMs: number): Observation[] {
  const seen = new Set<string>();
  const out: Observation[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m || seen.has(`${m[1]}/${m[2]}`)) continue;
    seen.add(`${m[1]}/${m[2]}`);
    out.push({ source: 'arp-scan', tsMs, ip: m[1]!, mac: m[2]!.toLowerCase() });
  }
  return out;
}

/** A failed run's error, by what arp-scan said. */
export function arpScanError(iface: string, stderr: string): DiscoveryError {
  const msg = stderr.trim().split('\n')[0] ?? '';
  if (/permission|not permitted|must be root/i.test(stderr))
    return new DiscoveryError(
      'FLOWLENS_ERR_DISCOVERY_PERMISSION',
      `arp-scan on "${iface}": permission denied (run as root or give arp-scan CAP_NET_RAW): ${msg}`,
    );
  if (/No such device|doesn't exist|not found|Could not obtain|no suitable device/i.test(stderr))
    return new DiscoveryError(
      'FLOWLENS_ERR_DISCOVERY_BAD_INTERFACE',
      `arp-scan: interface "${iface}" does not exist: ${msg}`,
    );
  return new DiscoveryError('FLOWLENS_ERR_DISCOVERY_FAILED', `arp-scan on "${iface}": ${msg || 'failed'}`);
}

/** The `arp-scan` method. */
export function createArpScanMethod(
  o: ArpScanOptions,
  deps: { now(): number; run: CommandRunner },
): DiscoveryMethod {
  return {
    name: 'arp-scan',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run(signal) {
      const out: Observation[] = [];
      for (const iface of o.interfaces) {
        const args = ['--interface', iface, '--localnet', '--plain', '--quiet', '--retry', '2'];
        const r = await runTool(deps.run, 'arp-scan', o.netns, o.binary, args, signal);
        // arp-scan exits 0 even for some errors: an error text without any answer is a failure.
        const found = parseArpScan(r.stdout, deps.now());
        if (r.code !== 0 || (found.length === 0 && /error|denied|permitted|No such|exist/i.test(r.stderr)))
          throw arpScanError(iface, r.stderr);
        out.push(...found);
      }
      return out;
    },
  };
}
