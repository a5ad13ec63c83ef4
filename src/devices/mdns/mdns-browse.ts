/**
 * The `mdns` discovery method: one DNS-SD browse (PTR queries for the
 * configured service types, RFC 6763 §4.1) sent to the mDNS groups; the
 * answers are read as snooped responses are (mdns-observation.ts), by
 * source address (no MAC: the kernel does not give it to a UDP socket).
 */
import type { Clock } from '../../common/clock.ts';
import { gatherAnswers, type GatherTarget } from '../discovery/udp-gather.ts';
import type { DiscoveryMethod } from '../discovery/scheduler.ts';
import type { Observation } from '../model.ts';
import { parseDnsRecords } from './dns-records.ts';
import { mdnsObservations } from './mdns-observation.ts';

/** RFC 6762 §3 groups and port. */
const MDNS_PORT = 5353;
const MDNS_V4 = '224.0.0.251';
const MDNS_V6 = 'ff02::fb';
const TYPE_PTR = 12;
const CLASS_IN = 1;

/** A DNS query with one PTR question per service type ("_ipp._tcp" -> "_ipp._tcp.local"). */
export function browseQuery(services: string[]): Uint8Array {
  const parts: number[] = [
    0,
    0,
    0,
    0,
    (services.length >> 8) & 0xff,
    services.length & 0xff,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  for (const s of services) {
    for (const label of `${s}.local`.split('.')) {
      const b = new TextEncoder().encode(label);
      parts.push(b.length, ...b);
    }
    parts.push(0, 0, TYPE_PTR, 0, CLASS_IN);
  }
  return Uint8Array.from(parts);
}

/** Settings of the browse. */
export interface MdnsBrowseOptions {
  services: string[];
  windowMs: number;
  intervalMs: number;
  timeoutMs: number;
  interfaces: string[];
  ipv6: boolean;
}

/** The `mdns` method. */
export function createMdnsMethod(o: MdnsBrowseOptions, clock: Clock): DiscoveryMethod {
  const targets: GatherTarget[] = (o.interfaces.length ? o.interfaces : [undefined]).map((i) => ({
    family: 'udp4',
    address: MDNS_V4,
    port: MDNS_PORT,
    ...(i ? { multicastInterface: i } : {}),
  }));
  const v6: GatherTarget[] = o.ipv6 ? [{ family: 'udp6', address: MDNS_V6, port: MDNS_PORT }] : [];
  const query = browseQuery(o.services);
  return {
    name: 'mdns',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run(signal) {
      const [a4, a6] = await Promise.all([
        gatherAnswers(clock, targets, query, o.windowMs, signal),
        // IPv6 is best effort: a host without IPv6 multicast still gets its IPv4 answers.
        v6.length ? gatherAnswers(clock, v6, query, o.windowMs, signal).catch(() => []) : [],
      ]);
      const answers = [...a4, ...a6];
      const out: Observation[] = [];
      for (const a of answers)
        out.push(...mdnsObservations(parseDnsRecords(a.payload), { tsMs: a.atMs, srcAddr: a.from }));
      return out;
    },
  };
}
