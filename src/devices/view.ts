/**
 * Devices as the API and the UI show them: a summary for lists (with the
 * filters the list route offers) and a detail with every answer's evidence.
 */
import type { Inventory } from './inventory.ts';
import type { AttributeAnswer, Device, DeviceOverride, NameSource } from './model.ts';

/** A device in a list. */
export interface DeviceSummary {
  id: string;
  ip?: string;
  mac?: string;
  name?: string;
  deviceType: string;
  deviceTypeConfidence: number;
  manufacturer?: string;
  model?: string;
  os?: string;
  osVersion?: string;
  online: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  sources: string[];
  randomisedMac: boolean;
}

/** A device with its history and the evidence behind each answer. */
export interface DeviceDetail extends DeviceSummary {
  macs: string[];
  clientIds: string[];
  addresses: Device['addresses'];
  names: Device['names'];
  sourceTimes: Device['sources'];
  presence: Device['presence'];
  services: string[];
  override: DeviceOverride;
  classification: Record<string, AttributeAnswer>;
  capabilities: AttributeAnswer[];
  dhcp?: Device['dhcp'];
  dhcpv6?: Device['dhcpv6'];
  traffic?: Device['traffic'];
  flowTraffic?: Device['flowTraffic'];
}

/** List filters (all optional; text matches are case-insensitive). */
export interface DeviceFilter {
  type?: string;
  manufacturer?: string;
  os?: string;
  source?: string;
  /** An address the device holds or held (exact). */
  ip?: string;
  online?: boolean;
  /** Substring of a name, an address or a MAC. */
  q?: string;
}

/** Which name a device is shown by, best first. */
const NAME_ORDER: readonly NameSource[] = [
  'static',
  'dhcp-client',
  'mdns',
  'dhcp-fqdn',
  'ssdp',
  'dhcp-assigned',
  'lease',
  'rdns',
];

/** The name to show: the manual one, else the best source's most recent. */
export function displayName(d: Device): string | undefined {
  if (d.override.name) return d.override.name;
  for (const s of NAME_ORDER) {
    const n = d.names.filter((x) => x.source === s).sort((a, b) => b.lastSeenMs - a.lastSeenMs)[0];
    if (n) return n.name;
  }
  return undefined;
}

/** The address the device was seen with last. */
export function latestAddress(d: Device): string {
  return latestIp(d) ?? '';
}

function latestIp(d: Device): string | undefined {
  let best: Device['addresses'][number] | undefined;
  for (const a of d.addresses) if (!best || a.lastSeenMs > best.lastSeenMs) best = a;
  return best?.ip;
}

/** The summary of device `id`. */
export function deviceSummary(inv: Pick<Inventory, 'classification'>, d: Device): DeviceSummary {
  const c = inv.classification(d.id);
  const s: DeviceSummary = {
    id: d.id,
    deviceType: c?.deviceType.value ?? 'unknown',
    deviceTypeConfidence: c?.deviceType.confidence ?? 0,
    online: d.online,
    firstSeenMs: d.firstSeenMs,
    lastSeenMs: d.lastSeenMs,
    sources: Object.keys(d.sources).sort(),
    randomisedMac: d.macs[0] !== undefined && (parseInt(d.macs[0].slice(0, 2), 16) & 0x02) !== 0,
  };
  const ip = latestIp(d);
  if (ip) s.ip = ip;
  if (d.macs[0]) s.mac = d.macs[0];
  const name = displayName(d);
  if (name) s.name = name;
  for (const a of ['manufacturer', 'model', 'os', 'osVersion'] as const) {
    const v = c?.[a]?.value;
    if (v) s[a] = v;
  }
  return s;
}

/** The detail of a device. */
export function deviceDetail(inv: Pick<Inventory, 'classification'>, d: Device): DeviceDetail {
  const c = inv.classification(d.id);
  const classification: Record<string, AttributeAnswer> = {};
  for (const a of ['deviceType', 'manufacturer', 'model', 'os', 'osVersion'] as const) {
    const ans = c?.[a];
    if (ans) classification[a] = ans;
  }
  const out: DeviceDetail = {
    ...deviceSummary(inv, d),
    macs: d.macs,
    clientIds: d.clientIds,
    addresses: d.addresses,
    names: d.names,
    sourceTimes: d.sources,
    presence: d.presence,
    services: d.services,
    override: d.override,
    classification,
    capabilities: c?.capabilities ?? [],
  };
  if (d.dhcp) out.dhcp = d.dhcp;
  if (d.dhcpv6) out.dhcpv6 = d.dhcpv6;
  if (d.traffic) out.traffic = d.traffic;
  if (d.flowTraffic) out.flowTraffic = d.flowTraffic;
  return out;
}

const has = (v: string | undefined, want: string | undefined): boolean =>
  want === undefined || (v ?? '').toLowerCase() === want.toLowerCase();

/** Summaries matching `f`, the most recently seen first. */
export function listDevices(
  inv: Pick<Inventory, 'list' | 'classification'>,
  f: DeviceFilter,
): DeviceSummary[] {
  const q = f.q?.toLowerCase();
  const out: DeviceSummary[] = [];
  for (const d of inv.list()) {
    if (f.online !== undefined && d.online !== f.online) continue;
    if (f.source !== undefined && !(f.source in d.sources)) continue;
    if (f.ip !== undefined && !d.addresses.some((a) => a.ip === f.ip)) continue;
    const s = deviceSummary(inv, d);
    if (!has(s.deviceType, f.type) || !has(s.manufacturer, f.manufacturer) || !has(s.os, f.os)) continue;
    if (
      q &&
      ![s.name, ...d.names.map((n) => n.name), ...d.addresses.map((a) => a.ip), ...d.macs].some((x) =>
        x?.toLowerCase().includes(q),
      )
    )
      continue;
    out.push(s);
  }
  return out.sort((a, b) => b.lastSeenMs - a.lastSeenMs || a.id.localeCompare(b.id));
}
