/**
 * mDNS responses (RFC 6762) -> observations. Records are grouped by host:
 * A/AAAA give a host's addresses, SRV ties a service instance to its host,
 * PTR names the service types, TXT and HINFO describe them. The responder
 * is the host holding the packet's source address; records about other
 * hosts (a Bleep/sleep proxy answering for sleeping devices) become
 * observations of those hosts by address only, never with the proxy's MAC.
 * Two hosts claiming one name stay two devices: names never link devices.
 */
import type { SnoopEvent } from '../../meter/index.ts';
import type { EvidenceDraft } from '../fingerprints/conclusion.ts';
import { hinfoEvidence, serviceEvidence, txtEvidence } from '../fingerprints/mdns-rules.ts';
import type { Observation } from '../model.ts';
import { parseDnsRecords, type DnsRecord } from './dns-records.ts';

interface HostFacts {
  addresses: Set<string>;
  names: Set<string>;
  services: Set<string>;
  evidence: EvidenceDraft[];
}

const LOCAL = /\.local\.?$/i;
const SERVICE_TYPE = /(_[^.]+\._(?:tcp|udp))\.local\.?$/i;
const META_QUERY = '_services._dns-sd._udp.local';

const newHost = (): HostFacts => ({
  addresses: new Set(),
  names: new Set(),
  services: new Set(),
  evidence: [],
});

/** The service type of an instance or type name ("Office._ipp._tcp.local" -> "_ipp._tcp"). */
function serviceType(name: string): string | undefined {
  return SERVICE_TYPE.exec(name)?.[1]?.toLowerCase();
}

/** Records grouped by host name ("" for what no SRV or address ties to a host). */
function groupByHost(records: DnsRecord[]): Map<string, HostFacts> {
  const hosts = new Map<string, HostFacts>();
  const host = (h: string): HostFacts => {
    let f = hosts.get(h);
    if (!f) hosts.set(h, (f = newHost()));
    return f;
  };
  const instanceHost = new Map<string, string>();
  for (const r of records)
    if (r.type === 'SRV') instanceHost.set(r.name.toLowerCase(), r.target.toLowerCase());
  const hostOf = (instance: string): HostFacts => host(instanceHost.get(instance.toLowerCase()) ?? '');
  for (const r of records) {
    switch (r.type) {
      case 'A':
      case 'AAAA':
        host(r.name.toLowerCase()).addresses.add(r.address);
        host(r.name.toLowerCase()).names.add(r.name.replace(LOCAL, ''));
        break;
      case 'PTR': {
        if (r.name.toLowerCase() === META_QUERY) break;
        const type = serviceType(r.name);
        if (!type || r.name.toLowerCase().endsWith('.arpa')) break;
        const h = hostOf(r.target);
        h.services.add(type);
        h.evidence.push(...serviceEvidence(type));
        const instance = r.target.slice(0, r.target.toLowerCase().lastIndexOf(`.${type}`));
        // Instance names are friendly names, except the "mac@address" ones of _apple-mobdev2.
        // avahi's _workstation._tcp instances are "host [mac]": the name is the host's.
        if (instance && !/^[0-9a-f:]{17}@/i.test(instance))
          h.names.add(instance.replace(/ \[[0-9a-f:]{17}\]$/i, ''));
        break;
      }
      case 'SRV': {
        const type = serviceType(r.name);
        if (type) host(r.target.toLowerCase()).services.add(type);
        break;
      }
      case 'TXT':
        hostOf(r.name).evidence.push(...txtEvidence(r.txt, serviceType(r.name) ?? r.name));
        break;
      case 'HINFO':
        host(r.name.toLowerCase()).evidence.push(...hinfoEvidence(r.cpu, r.os));
        break;
    }
  }
  return hosts;
}

function merge(into: HostFacts, from: HostFacts): void {
  for (const k of ['addresses', 'names', 'services'] as const) for (const v of from[k]) into[k].add(v);
  into.evidence.push(...from.evidence);
}

function observation(
  f: HostFacts,
  tsMs: number,
  ip: string | undefined,
  mac: string | undefined,
): Observation {
  const o: Observation = { source: 'mdns', tsMs };
  if (ip) o.ip = ip;
  if (mac) o.mac = mac;
  if (f.names.size) o.names = [...f.names].map((name) => ({ name, source: 'mdns' as const }));
  if (f.services.size) o.services = [...f.services];
  if (f.evidence.length) o.evidence = f.evidence;
  return o;
}

/** Observations of an mDNS response sent by `srcAddr` (and `srcMac` when captured). */
export function mdnsObservations(
  records: DnsRecord[],
  ctx: { tsMs: number; srcAddr: string; srcMac?: string | undefined },
): Observation[] {
  if (records.length === 0) return [];
  const hosts = groupByHost(records);
  const responder = newHost();
  const orphan = hosts.get('');
  if (orphan) merge(responder, orphan);
  hosts.delete('');
  const out: Observation[] = [];
  for (const [name, f] of hosts) {
    if (f.addresses.has(ctx.srcAddr) || (hosts.size === 1 && f.addresses.size === 0)) {
      merge(responder, f);
      continue;
    }
    if (f.addresses.size === 0) {
      merge(responder, { ...f, names: new Set([...f.names, name.replace(LOCAL, '')]) });
      continue;
    }
    for (const ip of f.addresses) out.push(observation(f, ctx.tsMs, ip, undefined));
  }
  out.push(observation(responder, ctx.tsMs, ctx.srcAddr, ctx.srcMac));
  for (const ip of responder.addresses)
    if (ip !== ctx.srcAddr)
      out.push({ source: 'mdns', tsMs: ctx.tsMs, ip, ...(ctx.srcMac ? { mac: ctx.srcMac } : {}) });
  return out;
}

/** The observations in a snooped mDNS packet ([] for queries). */
export function observeSnoopedMdns(e: SnoopEvent): Observation[] {
  if (e.srcPort !== 5353) return [];
  return mdnsObservations(parseDnsRecords(e.payload), e);
}
