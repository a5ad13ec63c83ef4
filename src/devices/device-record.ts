/**
 * Updating one device record: applying an observation and absorbing
 * another record (a merge). Every list is bounded, the oldest entries go
 * first, so a device that lives for years stays small.
 */
import type { EvidenceDraft } from './fingerprints/conclusion.ts';
import type { Device, Observation } from './model.ts';

/** Bounds of each list in a record. */
export interface RecordLimits {
  addresses: number;
  names: number;
  evidence: number;
  presence: number;
  macs: number;
  clientIds: number;
  services: number;
}

/** The defaults (docs/adr/0005-device-inventory.md). */
export const DEFAULT_RECORD_LIMITS: RecordLimits = {
  addresses: 32,
  names: 16,
  evidence: 64,
  presence: 64,
  macs: 16,
  clientIds: 8,
  services: 32,
};

/** A new, empty record. */
export function newDevice(id: string, tsMs: number): Device {
  return {
    id,
    macs: [],
    clientIds: [],
    addresses: [],
    names: [],
    sources: {},
    evidence: [],
    services: [],
    override: {},
    firstSeenMs: tsMs,
    lastSeenMs: tsMs,
    online: true,
    presence: [{ online: true, atMs: tsMs }],
  };
}

/** Moves `v` to the front of `list` (most recent first), bounded. */
function touchFront(list: string[], v: string, max: number): void {
  const i = list.indexOf(v);
  if (i === 0) return;
  if (i > 0) list.splice(i, 1);
  list.unshift(v);
  if (list.length > max) list.length = max;
}

/** Keeps the `max` most recently seen entries. */
function boundByLastSeen<T extends { lastSeenMs: number }>(list: T[], max: number): void {
  if (list.length <= max) return;
  list.sort((a, b) => b.lastSeenMs - a.lastSeenMs);
  list.length = max;
}

const evidenceKey = (e: { attribute: string; value: string; kind: string; detail: string }): string =>
  `${e.attribute}\u0000${e.value}\u0000${e.kind}\u0000${e.detail}`;

/** Adds evidence (an existing fact is refreshed, not repeated). */
export function addEvidence(d: Device, drafts: readonly EvidenceDraft[], tsMs: number, max: number): boolean {
  if (drafts.length === 0) return false;
  const index = new Map(d.evidence.map((e, i) => [evidenceKey(e), i]));
  let changed = false;
  for (const e of drafts) {
    const i = index.get(evidenceKey(e));
    const old = i === undefined ? undefined : d.evidence[i];
    if (old) {
      if (old.weight !== e.weight) changed = true;
      old.weight = e.weight;
      old.seenMs = Math.max(old.seenMs, tsMs);
    } else {
      index.set(evidenceKey(e), d.evidence.length);
      d.evidence.push({ ...e, seenMs: tsMs });
      changed = true;
    }
  }
  if (d.evidence.length > max) {
    d.evidence.sort((a, b) => b.seenMs - a.seenMs || b.weight - a.weight);
    d.evidence.length = max;
  }
  return changed;
}

/** Applies everything an observation says to `d` (not its evidence: see addEvidence). */
export function applyObservation(
  d: Device,
  o: Observation,
  mac: string | undefined,
  lim: RecordLimits,
): void {
  const t = o.tsMs;
  d.firstSeenMs = Math.min(d.firstSeenMs, t);
  d.lastSeenMs = Math.max(d.lastSeenMs, t);
  if (mac) touchFront(d.macs, mac, lim.macs);
  if (o.clientId) touchFront(d.clientIds, o.clientId, lim.clientIds);
  if (o.ip) {
    const a = d.addresses.find((x) => x.ip === o.ip);
    if (a) {
      a.lastSeenMs = Math.max(a.lastSeenMs, t);
      a.source = o.source;
    } else d.addresses.push({ ip: o.ip, source: o.source, firstSeenMs: t, lastSeenMs: t });
    boundByLastSeen(d.addresses, lim.addresses);
  }
  for (const n of o.names ?? []) {
    if (!n.name) continue;
    const x = d.names.find((y) => y.name === n.name && y.source === n.source);
    if (x) x.lastSeenMs = Math.max(x.lastSeenMs, t);
    else d.names.push({ name: n.name, source: n.source, firstSeenMs: t, lastSeenMs: t });
    boundByLastSeen(d.names, lim.names);
  }
  const s = d.sources[o.source];
  if (s) {
    s.lastSeenMs = Math.max(s.lastSeenMs, t);
    s.count++;
  } else d.sources[o.source] = { firstSeenMs: t, lastSeenMs: t, count: 1 };
  if (o.dhcp && (o.dhcp.prl.length > 0 || o.dhcp.vendorClass)) d.dhcp = o.dhcp;
  if (o.dhcpv6 && (o.dhcpv6.oro.length > 0 || o.dhcpv6.enterprise !== undefined)) d.dhcpv6 = o.dhcpv6;
  for (const svc of o.services ?? [])
    if (!d.services.includes(svc) && d.services.length < lim.services) d.services.push(svc);
  if (o.traffic) addTraffic(d, o, t);
  if (!d.online) setPresence(d, true, t, lim.presence);
}

/** Counters are per address (IPv4 and IPv6 of one device are counted apart); the device's are their sum. */
function addTraffic(d: Device, o: Observation, t: number): void {
  const a = o.ip === undefined ? undefined : d.addresses.find((x) => x.ip === o.ip);
  if (!a || !o.traffic) return;
  a.traffic = { ...o.traffic, atMs: t };
  const sum = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, source: o.traffic.source, atMs: t };
  for (const x of d.addresses) {
    if (!x.traffic) continue;
    sum.bytesIn += x.traffic.bytesIn;
    sum.bytesOut += x.traffic.bytesOut;
    sum.packetsIn += x.traffic.packetsIn;
    sum.packetsOut += x.traffic.packetsOut;
  }
  d.traffic = sum;
}

/** Records an online/offline change. */
export function setPresence(d: Device, online: boolean, atMs: number, max: number): void {
  if (d.online === online) return;
  d.online = online;
  d.presence.push({ online, atMs });
  if (d.presence.length > max) d.presence.splice(0, d.presence.length - max);
}

/** `into` absorbs `from` (both describe one physical device). */
export function absorb(into: Device, from: Device, lim: RecordLimits): void {
  for (const m of [...from.macs].reverse()) if (!into.macs.includes(m)) into.macs.push(m);
  into.macs.length = Math.min(into.macs.length, lim.macs);
  for (const c of from.clientIds) if (!into.clientIds.includes(c)) into.clientIds.push(c);
  into.clientIds.length = Math.min(into.clientIds.length, lim.clientIds);
  for (const a of from.addresses) {
    const x = into.addresses.find((y) => y.ip === a.ip);
    if (!x) into.addresses.push({ ...a });
    else {
      x.firstSeenMs = Math.min(x.firstSeenMs, a.firstSeenMs);
      x.lastSeenMs = Math.max(x.lastSeenMs, a.lastSeenMs);
    }
  }
  boundByLastSeen(into.addresses, lim.addresses);
  for (const n of from.names) {
    const x = into.names.find((y) => y.name === n.name && y.source === n.source);
    if (!x) into.names.push({ ...n });
    else x.lastSeenMs = Math.max(x.lastSeenMs, n.lastSeenMs);
  }
  boundByLastSeen(into.names, lim.names);
  for (const [k, s] of Object.entries(from.sources)) {
    const key = k as keyof Device['sources'];
    const x = into.sources[key];
    if (!x) into.sources[key] = { ...s };
    else {
      x.firstSeenMs = Math.min(x.firstSeenMs, s.firstSeenMs);
      x.lastSeenMs = Math.max(x.lastSeenMs, s.lastSeenMs);
      x.count += s.count;
    }
  }
  for (const e of from.evidence) addEvidence(into, [e], e.seenMs, lim.evidence);
  for (const svc of from.services)
    if (!into.services.includes(svc) && into.services.length < lim.services) into.services.push(svc);
  into.override = { ...from.override, ...into.override };
  if (!into.dhcp && from.dhcp) into.dhcp = from.dhcp;
  if (!into.dhcpv6 && from.dhcpv6) into.dhcpv6 = from.dhcpv6;
  if (from.traffic && (!into.traffic || from.traffic.atMs > into.traffic.atMs)) into.traffic = from.traffic;
  into.firstSeenMs = Math.min(into.firstSeenMs, from.firstSeenMs);
  into.lastSeenMs = Math.max(into.lastSeenMs, from.lastSeenMs);
  into.presence = [...into.presence, ...from.presence].sort((a, b) => a.atMs - b.atMs).slice(-lim.presence);
}
