/**
 * The device model: one record per physical device, with every address,
 * name, discovery source and piece of classification evidence seen for it.
 * Plain JSON-friendly objects, so the inventory file is these records as
 * they are (docs/adr/0005-device-inventory.md).
 */

/** Where an observation came from (the `source` label of device_discovery_source). */
export type DiscoverySource =
  | 'dhcp'
  | 'lease'
  | 'arp'
  | 'ndp'
  | 'arp-scan'
  | 'mdns'
  | 'ssdp'
  | 'rdns'
  | 'static'
  | 'nft'
  | 'flow'
  | 'manual';

/** Every discovery source, in a stable order. */
export const DISCOVERY_SOURCES: readonly DiscoverySource[] = [
  'dhcp',
  'lease',
  'arp',
  'ndp',
  'arp-scan',
  'mdns',
  'ssdp',
  'rdns',
  'static',
  'nft',
  'flow',
  'manual',
];

/** Device classes (the `device_type` label). */
export type DeviceType =
  | 'phone'
  | 'tablet'
  | 'computer'
  | 'server'
  | 'printer'
  | 'tv'
  | 'media'
  | 'speaker'
  | 'game-console'
  | 'voip-phone'
  | 'camera'
  | 'iot'
  | 'appliance'
  | 'network'
  | 'nas'
  | 'unknown';

/** Every device class, in a stable order (manual edits must name one). */
export const DEVICE_TYPES: readonly DeviceType[] = [
  'phone',
  'tablet',
  'computer',
  'server',
  'printer',
  'tv',
  'media',
  'speaker',
  'game-console',
  'voip-phone',
  'camera',
  'iot',
  'appliance',
  'network',
  'nas',
  'unknown',
];

/** Attributes the classifier decides, each from its own evidence. */
export type Attribute = 'deviceType' | 'manufacturer' | 'model' | 'os' | 'osVersion' | 'capability';

/** What kind of fact an evidence is. */
export type EvidenceKind =
  | 'oui'
  | 'dhcp-fingerprint'
  | 'dhcp-vendor-class'
  | 'mdns-service'
  | 'mdns-txt'
  | 'ssdp-description'
  | 'hostname-pattern'
  | 'traffic'
  | 'static'
  | 'fingerbank';

/** One fact supporting one value of one attribute. */
export interface Evidence {
  attribute: Attribute;
  value: string;
  /** How strongly this fact alone supports the value, 0..1. */
  weight: number;
  kind: EvidenceKind;
  /** Human-readable: the rule and what matched ("option 55 1,121,3,6,15,119,252"). */
  detail: string;
  seenMs: number;
}

/** Where a name came from. The client's own DHCP host name is kept apart from the server's. */
export type NameSource =
  'dhcp-client' | 'dhcp-fqdn' | 'dhcp-assigned' | 'lease' | 'mdns' | 'ssdp' | 'rdns' | 'static';

/** A name seen for a device. */
export interface DeviceName {
  name: string;
  source: NameSource;
  firstSeenMs: number;
  lastSeenMs: number;
}

/** An address the device held. */
export interface AddressRecord {
  ip: string;
  source: DiscoverySource;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Cumulative counters of this address (nftables), when counted. */
  traffic?: TrafficCounters;
}

/** When a source last saw the device. */
export interface SourceRecord {
  firstSeenMs: number;
  lastSeenMs: number;
  count: number;
}

/** An online/offline transition (sleep/wake history). */
export interface PresenceChange {
  online: boolean;
  atMs: number;
}

/** What the client's DHCP messages say about it (RFC 2132 option numbers). */
export interface DhcpFingerprint {
  /** Option 55, in the client's order. */
  prl: number[];
  /** Option codes of the message, in order. */
  options: number[];
  /** Option 60. */
  vendorClass?: string;
  /** Option 57. */
  maxMessageSize?: number;
  /** Option 77 (RFC 3004). */
  userClass?: string;
}

/** What the client's DHCPv6 messages say about it (RFC 8415 option codes). */
export interface Dhcpv6Fingerprint {
  /** Option Request Option (6), in the client's order. */
  oro: number[];
  /** Option codes of the message, in order. */
  options: number[];
  /** DUID type (1 LLT, 2 EN, 3 LL, 4 UUID; RFC 8415 §11). */
  duidType?: number;
  /** Vendor class (16): IANA enterprise number and its first data item. */
  enterprise?: number;
  vendorClass?: string;
  /** User class (15), its items joined with ",". */
  userClass?: string;
}

/** Fields an operator set by hand; they always win over discovery. */
export interface DeviceOverride {
  name?: string;
  deviceType?: string;
  manufacturer?: string;
  model?: string;
  os?: string;
  osVersion?: string;
}

/** Per-client traffic counters (nftables or flows), cumulative. */
export interface TrafficCounters {
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  source: 'nft' | 'flow';
  atMs: number;
}

/** One physical device. */
export interface Device {
  id: string;
  /** MACs linked to this device, the most recent first. */
  macs: string[];
  /** DHCP client identifiers (option 61, hex), the most recent first. */
  clientIds: string[];
  addresses: AddressRecord[];
  names: DeviceName[];
  sources: Partial<Record<DiscoverySource, SourceRecord>>;
  evidence: Evidence[];
  dhcp?: DhcpFingerprint;
  dhcpv6?: Dhcpv6Fingerprint;
  /** DNS-SD service types announced. */
  services: string[];
  override: DeviceOverride;
  firstSeenMs: number;
  lastSeenMs: number;
  online: boolean;
  presence: PresenceChange[];
  /** The sum of the addresses' counters. */
  traffic?: TrafficCounters;
  /** Traffic seen in flows since the device was first seen (cumulative). */
  flowTraffic?: TrafficCounters;
}

/** One value of an attribute with its confidence and the evidence behind it. */
export interface AttributeAnswer {
  value: string;
  confidence: number;
  /** `manual` when an override decided it. */
  decidedBy: 'evidence' | 'manual';
  evidence: Evidence[];
}

/** The classifier's answer for one device. */
export interface Classification {
  deviceType: AttributeAnswer;
  manufacturer?: AttributeAnswer;
  model?: AttributeAnswer;
  os?: AttributeAnswer;
  osVersion?: AttributeAnswer;
  capabilities: AttributeAnswer[];
}

/** Something a discovery method saw. Every field but source and time is optional. */
export interface Observation {
  source: DiscoverySource;
  tsMs: number;
  mac?: string;
  ip?: string;
  /** Option 61, hex. */
  clientId?: string;
  names?: { name: string; source: NameSource }[];
  dhcp?: DhcpFingerprint;
  dhcpv6?: Dhcpv6Fingerprint;
  services?: string[];
  evidence?: Omit<Evidence, 'seenMs'>[];
  traffic?: Omit<TrafficCounters, 'atMs'>;
}
