/**
 * DHCPv6 (RFC 8415) as device discovery needs it: the client's DUID (§11;
 * DUID-LLT and DUID-LL carry its MAC), option request order (ORO, option 6),
 * vendor class (16: enterprise number + data; 311 is Microsoft), FQDN (39,
 * RFC 4704), a prefix delegation request (IA_PD, 25: a router) and a MUD URL
 * (112, RFC 8520: an IoT device), and the addresses a reply assigns
 * (IA_NA 3 / IAADDR 5). Relay messages (12, 13) are unwrapped through their
 * Relay Message option (9). Bounded, never throws. Clients send from UDP 546
 * to 547; the meter does not snoop those ports yet (the caller feeds them).
 */
import type { EvidenceDraft } from '../fingerprints/conclusion.ts';
import type { Observation } from '../model.ts';

const RELAY_FORW = 12;
const RELAY_REPL = 13;
const REPLY = 7;
const ADVERTISE = 2;
const OPT = {
  clientId: 1,
  iaNa: 3,
  iaAddr: 5,
  oro: 6,
  relayMsg: 9,
  vendorClass: 16,
  iaPd: 25,
  fqdn: 39,
  mudUrl: 112,
} as const;
const MAX_DEPTH = 8;
const MAX_OPTIONS = 64;
const ENTERPRISE_MICROSOFT = 311;
const HW_ETHERNET = 1;

/** A DHCPv6 message's client facts. */
export interface Dhcpv6Message {
  msgType: number;
  duid?: string;
  mac?: string;
  oro: number[];
  vendorEnterprise?: number;
  vendorClass?: string;
  fqdn?: string;
  requestsPrefix: boolean;
  mudUrl?: string;
  addresses: string[];
}

const u16 = (p: Uint8Array, o: number): number => ((p[o] ?? 0) << 8) | (p[o + 1] ?? 0);
const hex = (p: Uint8Array, sep = ''): string =>
  Array.from(p, (x) => x.toString(16).padStart(2, '0')).join(sep);
const text = (p: Uint8Array): string => new TextDecoder().decode(p).replace(/[^\x20-\x7e]/g, '?');

function ipv6(p: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(u16(p, 2 * i).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function* options(p: Uint8Array, start: number): Generator<[number, Uint8Array]> {
  let n = 0;
  for (let o = start; o + 4 <= p.length && n++ < MAX_OPTIONS;) {
    const len = u16(p, o + 2);
    yield [u16(p, o), p.subarray(o + 4, Math.min(p.length, o + 4 + len))];
    o += 4 + len;
  }
}

function applyDuid(m: Dhcpv6Message, v: Uint8Array): void {
  m.duid = hex(v);
  const type = u16(v, 0);
  // DUID-LLT: type 1, hardware type, time, address; DUID-LL: type 3, hardware type, address.
  const at = type === 1 ? 8 : type === 3 ? 4 : -1;
  if (at > 0 && u16(v, 2) === HW_ETHERNET && v.length >= at + 6) m.mac = hex(v.subarray(at, at + 6), ':');
}

function applyOption(m: Dhcpv6Message, code: number, v: Uint8Array): void {
  switch (code) {
    case OPT.clientId:
      applyDuid(m, v);
      break;
    case OPT.oro:
      for (let i = 0; i + 1 < v.length; i += 2) m.oro.push(u16(v, i));
      break;
    case OPT.vendorClass:
      m.vendorEnterprise = (v[0] ?? 0) * 2 ** 24 + ((v[1] ?? 0) << 16) + u16(v, 2);
      if (v.length > 6) m.vendorClass = text(v.subarray(6, 6 + u16(v, 4)));
      break;
    case OPT.fqdn: {
      const labels: string[] = [];
      for (let o = 1; o < v.length && v[o]! > 0 && labels.length < 32; o += 1 + v[o]!)
        labels.push(text(v.subarray(o + 1, o + 1 + v[o]!)));
      if (labels.length) m.fqdn = labels.join('.');
      break;
    }
    case OPT.iaPd:
      m.requestsPrefix = true;
      break;
    case OPT.mudUrl:
      m.mudUrl = text(v);
      break;
    case OPT.iaNa:
      for (const [c, a] of options(v, 12))
        if (c === OPT.iaAddr && a.length >= 16) m.addresses.push(ipv6(a.subarray(0, 16)));
      break;
    default:
      break;
  }
}

/** The innermost client or server message of a DHCPv6 payload; undefined when it is not one. */
export function parseDhcpv6(p: Uint8Array, depth = 0): Dhcpv6Message | undefined {
  const type = p[0];
  if (type === undefined || type === 0 || type > 35 || depth > MAX_DEPTH) return undefined;
  if (type === RELAY_FORW || type === RELAY_REPL) {
    for (const [code, v] of options(p, 34)) if (code === OPT.relayMsg) return parseDhcpv6(v, depth + 1);
    return undefined;
  }
  const m: Dhcpv6Message = { msgType: type, oro: [], requestsPrefix: false, addresses: [] };
  for (const [code, v] of options(p, 4)) applyOption(m, code, v);
  return m;
}

function evidence(m: Dhcpv6Message): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  const vc = `DHCPv6 vendor class ${m.vendorEnterprise} "${m.vendorClass ?? ''}"`;
  if (m.vendorEnterprise === ENTERPRISE_MICROSOFT) {
    out.push({ attribute: 'os', value: 'Windows', weight: 0.8, kind: 'dhcp-vendor-class', detail: vc });
    out.push({
      attribute: 'deviceType',
      value: 'computer',
      weight: 0.6,
      kind: 'dhcp-vendor-class',
      detail: vc,
    });
  }
  if (m.requestsPrefix)
    out.push({
      attribute: 'deviceType',
      value: 'network',
      weight: 0.5,
      kind: 'dhcp-fingerprint',
      detail: 'DHCPv6 prefix delegation requested (IA_PD): a router',
    });
  if (m.mudUrl)
    out.push({
      attribute: 'deviceType',
      value: 'iot',
      weight: 0.45,
      kind: 'dhcp-fingerprint',
      detail: `MUD URL ${m.mudUrl} (RFC 8520)`,
    });
  return out;
}

/** The observation in a DHCPv6 payload sent from `srcAddr`. */
export function observeDhcpv6(
  payload: Uint8Array,
  ctx: { tsMs: number; srcAddr: string; srcMac?: string },
): Observation | undefined {
  const m = parseDhcpv6(payload);
  if (!m || !m.duid) return undefined;
  const fromServer = m.msgType === REPLY || m.msgType === ADVERTISE;
  const o: Observation = { source: 'dhcp', tsMs: ctx.tsMs, clientId: `duid:${m.duid}` };
  const mac = m.mac ?? (fromServer || payload[0] === RELAY_FORW ? undefined : ctx.srcMac);
  if (mac) o.mac = mac;
  const ip = fromServer ? m.addresses[0] : payload[0] === RELAY_FORW ? undefined : ctx.srcAddr;
  if (ip) o.ip = ip;
  if (m.fqdn && !fromServer) o.names = [{ name: m.fqdn, source: 'dhcp-fqdn' }];
  if (!fromServer) {
    const ev = evidence(m);
    if (ev.length) o.evidence = ev;
  }
  return o;
}
