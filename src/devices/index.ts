/**
 * Devices: discovery (snooped DHCP/mDNS/SSDP, neighbour tables, arp-scan,
 * leases, static files), classification with evidence, and the persisted
 * inventory of physical devices (docs/adr/0005-device-inventory.md).
 */
/** The component: inventory + file + discovery + metrics behind start/stop. */
export {
  createDeviceService,
  type DeviceService,
  type DeviceServiceDeps,
  type FlowTrafficDelta,
} from './service.ts';
/** The ends of a flow, whose traffic behaviour (a served service port) is device evidence. */
export { trafficEvidence, type FlowEnds } from './fingerprints/traffic-rules.ts';
/** The `devices` configuration section and its defaults. */
export {
  devicesConfigSchema,
  DEFAULT_DEVICES_CONFIG,
  DEFAULT_MDNS_SERVICES,
  type DevicesConfig,
} from './config.ts';
/** The inventory (one record per physical device) on its own, for tests and tools. */
export { createInventory, type Inventory, type InventoryOptions } from './inventory.ts';
/** Reading and writing the inventory file. */
export { readInventoryFile, writeInventoryFile, InventoryFileError } from './inventory-file.ts';
/** Evidence from observations and its combination into a classification. */
export { classify, evidenceFor, type VendorLookup } from './classify.ts';
/** A DHCP payload -> an observation (fingerprint, names, identity). */
export { observeDhcp, type DhcpPacketContext } from './dhcp/dhcp-observation.ts';
/** DHCP message parsing (RFC 2131/2132). */
export { parseDhcpMessage, type DhcpMessage } from './dhcp/dhcp-message.ts';
/** The discovery scheduler and its method interface. */
export {
  createDiscoveryScheduler,
  type DiscoveryMethod,
  type DiscoveryScheduler,
  type RunResult,
} from './discovery/scheduler.ts';
/** Discovery failures with stable codes. */
export { DiscoveryError, type DiscoveryErrorCode } from './discovery/errors.ts';
/** The device model. */
export type {
  Attribute,
  AttributeAnswer,
  Classification,
  Device,
  DeviceName,
  DeviceOverride,
  DeviceType,
  DiscoverySource,
  Evidence,
  EvidenceKind,
  NameSource,
  Observation,
} from './model.ts';
/** Every device class (the values of `device_type`). */
export { DEVICE_TYPES } from './model.ts';
/** Devices as the API shows them: summaries, details with evidence, list filters. */
export {
  deviceSummary,
  deviceDetail,
  listDevices,
  displayName,
  type DeviceSummary,
  type DeviceDetail,
  type DeviceFilter,
} from './view.ts';
/** The discovery methods from the configuration, and the command runner they use. */
export { createDiscoveryMethods, type MethodDeps } from './discovery/methods.ts';
export { runCommand, type CommandRunner, type CommandResult } from './discovery/command.ts';
/** Parsers of the neighbour tables and of arp-scan's output. */
export { parseProcArp, parseIpNeigh } from './discovery/neighbours.ts';
export { parseArpScan } from './discovery/arp-scan.ts';
/** Lease files (Kea CSV, dnsmasq) and static client files (JSON, YAML). */
export { parseKeaLeases, parseDnsmasqLeases } from './discovery/leases.ts';
export { parseStaticClients } from './discovery/static-clients.ts';
/** mDNS/DNS-SD: records, observations, the browse method. */
export { parseDnsRecords, type DnsRecord } from './mdns/dns-records.ts';
export { mdnsObservations, observeSnoopedMdns } from './mdns/mdns-observation.ts';
/** SSDP/UPnP: messages, descriptions (fetched from the announcing host only), observations. */
export { parseSsdp, type SsdpMessage } from './ssdp/ssdp-message.ts';
export { parseDescription, isOnHost, createDescriptionFetcher, type FetchLike } from './ssdp/description.ts';
export { ssdpSighting, descriptionObservation, observeSnoopedSsdp } from './ssdp/ssdp-observation.ts';
/** nftables per-client counters: the ruleset FlowLens installs and the `nft -j` reader. */
export { nftRuleset, parseNftCounters } from './discovery/nftables.ts';
/** Optional Fingerbank lookups (rate-limited, cached, failures tolerated). */
export {
  createFingerbank,
  fingerbankEvidence,
  type Fingerbank,
  type FingerbankOptions,
} from './fingerbank.ts';
/** DHCPv6 (RFC 8415): client DUID, ORO, vendor class, FQDN, IA_PD, assigned addresses. */
export { parseDhcpv6, observeDhcpv6, type Dhcpv6Message } from './dhcp/dhcpv6.ts';
