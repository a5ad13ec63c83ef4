/**
 * DHCP fingerprints: the order of the parameter request list (option 55)
 * is fixed by each client implementation, and the vendor class (option 60)
 * often names it. Written for FlowLens from public knowledge:
 * - Windows: "MSFT 5.0" is the vendor class every Windows since 2000 sends
 *   (Microsoft, "DHCP options in Windows", learn.microsoft.com); the lists
 *   below are those of Windows 7/8 and 10/11 seen in the shared captures
 *   (1kxun.pcap, gnutella.pcap, dhcp-eve-extended-option-60).
 * - Apple: option 252 (WPAD), 119 (domain search) and, since iOS 15 /
 *   macOS 12, option 108 (RFC 8925 IPv6-only preferred) and 114 (RFC 8910
 *   captive portal); macOS adds 95 (LDAP), 44 and 46 (NetBIOS), which iOS
 *   does not request (dhcp-option-108.pcapng, 1kxun.pcap).
 * - Android: "android-dhcp-<release>" since Android 7 (AOSP
 *   packages/modules/NetworkStack DhcpPacket.java), earlier dhcpcd
 *   ("dhcpcd-5.x"); AOSP's list 1,3,6,15,26,28,51,58,59,43 (+114, +108).
 * - Linux: ISC dhclient's default request list (debian/dhclient.conf)
 *   starts 1,28,2,3,15,6; dhcpcd sends "dhcpcd-<ver>:<os>-<kernel>:<arch>:<hw>"
 *   (dhcpcd.conf(5), vendorclassid); BusyBox udhcpc sends "udhcp <ver>".
 * - Printers: HP JetDirect's vendor class "Hewlett-Packard JetDirect" and
 *   the list ending 144 (HP's option for its print server, HP JetDirect admin guide).
 */
import type { DhcpFingerprint } from '../model.ts';
import { evidenceOf, fillGroups, type Conclusion, type EvidenceDraft } from './conclusion.ts';

interface PrlRule {
  /** Option 55 exactly, comma-separated. */
  prl?: string;
  /** Option 55 starts with this. */
  prlPrefix?: string;
  /** Option 55 contains these codes (any order). */
  prlHas?: number[];
  /** Option 55 lacks these codes. */
  prlLacks?: number[];
  weight: number;
  /** Weight of the device type when it differs from the OS's. */
  typeWeight?: number;
  then: Conclusion;
  name: string;
}

interface VendorRule {
  re: RegExp;
  weight: number;
  typeWeight?: number;
  then: Conclusion;
}

const WINDOWS: Conclusion = { os: 'Windows', deviceType: 'computer' };
const MACOS: Conclusion = { os: 'macOS', manufacturer: 'Apple', deviceType: 'computer' };
// iPhones, iPads and Android phones and tablets all have Wi-Fi and Bluetooth radios.
const MOBILE_RADIOS = ['wifi', 'bluetooth'];
const IOS: Conclusion = {
  os: 'iOS',
  manufacturer: 'Apple',
  deviceType: 'phone',
  capabilities: MOBILE_RADIOS,
};
const ANDROID: Conclusion = { os: 'Android', deviceType: 'phone', capabilities: MOBILE_RADIOS };
const LINUX: Conclusion = { os: 'Linux' };
const LINUX_PC: Conclusion = { os: 'Linux', deviceType: 'computer' };

const PRL_RULES: readonly PrlRule[] = [
  {
    name: 'Windows 10/11',
    prl: '1,3,6,15,31,33,43,44,46,47,119,121,249,252',
    weight: 0.85,
    then: { ...WINDOWS, osVersion: '10' },
  },
  {
    name: 'Windows 7',
    prl: '1,15,3,6,44,46,47,31,33,121,249,43,252',
    weight: 0.8,
    then: { ...WINDOWS, osVersion: '7' },
  },
  {
    name: 'Windows 8',
    prl: '1,15,3,6,44,46,47,31,33,121,249,43',
    weight: 0.8,
    then: { ...WINDOWS, osVersion: '8' },
  },
  { name: 'Windows Vista/7 family', prlPrefix: '1,15,3,6,44,46,47,31,33', weight: 0.6, then: WINDOWS },
  { name: 'macOS 12+', prl: '1,121,3,6,15,108,114,119,252,95,44,46', weight: 0.85, then: MACOS },
  { name: 'macOS 10.x', prl: '1,121,3,6,15,119,252,95,44,46', weight: 0.8, then: MACOS },
  { name: 'macOS (older)', prl: '1,3,6,15,119,95,252,44,46', weight: 0.75, then: MACOS },
  { name: 'macOS (older, 101)', prl: '1,3,6,15,119,95,252,44,46,101', weight: 0.75, then: MACOS },
  { name: 'iOS 15+', prl: '1,121,3,6,15,108,114,119,252', weight: 0.8, typeWeight: 0.6, then: IOS },
  { name: 'iOS 14+', prl: '1,121,3,6,15,114,119,252', weight: 0.8, typeWeight: 0.6, then: IOS },
  { name: 'iOS 10+', prl: '1,121,3,6,15,119,252', weight: 0.8, typeWeight: 0.6, then: IOS },
  { name: 'iOS (older)', prl: '1,3,6,15,119,252', weight: 0.7, typeWeight: 0.6, then: IOS },
  {
    name: 'Android (AOSP)',
    prlPrefix: '1,3,6,15,26,28,51,58,59,43',
    weight: 0.8,
    typeWeight: 0.45,
    then: ANDROID,
  },
  {
    name: 'Android 4 (dhcpcd)',
    prl: '1,33,3,6,15,28,51,58,59',
    weight: 0.75,
    typeWeight: 0.45,
    then: ANDROID,
  },
  { name: 'ISC dhclient', prlPrefix: '1,28,2,3,15,6', weight: 0.6, typeWeight: 0.4, then: LINUX_PC },
  {
    name: 'dhcpcd',
    prlPrefix: '1,121,33,3,6,12,15,28,42,51,54,58,59',
    weight: 0.6,
    typeWeight: 0.3,
    then: LINUX_PC,
  },
  {
    // NetworkManager's internal client (n-dhcp4), seen in test_android_tethering_renew.pcap.
    name: 'NetworkManager',
    prlPrefix: '1,2,6,12,15,26,28,121,3,33,40,41,42,119,249,252',
    weight: 0.65,
    typeWeight: 0.45,
    then: LINUX_PC,
  },
  { name: 'systemd-networkd', prlPrefix: '1,3,6,12,15,28,42,100,101', weight: 0.55, then: LINUX },
  {
    name: 'BusyBox udhcpc',
    prlPrefix: '1,3,6,12,15,28,42',
    weight: 0.45,
    then: { os: 'Linux', deviceType: 'iot' },
  },
  {
    name: 'HP JetDirect',
    prlPrefix: '1,3,44,6,7,12,15,22,54,58,59,69,18,144',
    weight: 0.85,
    then: { deviceType: 'printer', manufacturer: 'HP' },
  },
  { name: 'print server (option 144)', prlHas: [144], weight: 0.5, then: { deviceType: 'printer' } },
  { name: 'minimal embedded client', prl: '1,3,28,6', weight: 0.4, then: { deviceType: 'iot' } },
  { name: 'NetBIOS-less Windows-like', prlHas: [249, 43, 31], prlLacks: [108], weight: 0.4, then: WINDOWS },
];

const VENDOR_RULES: readonly VendorRule[] = [
  { re: /^MSFT 5\.0/, weight: 0.8, then: WINDOWS },
  { re: /^MSFT 98/, weight: 0.8, then: { ...WINDOWS, osVersion: '98' } },
  {
    re: /^android-dhcp-(\d+(?:\.\d+)*)/,
    weight: 0.9,
    typeWeight: 0.45,
    then: { ...ANDROID, osVersion: '$1' },
  },
  { re: /^dhcpcd-5\.5\.\d/, weight: 0.6, typeWeight: 0.45, then: ANDROID },
  {
    // BCM2709 (Pi 2 B, and Pi 3 B on 4.x kernels) boards have an Ethernet port.
    re: /^dhcpcd-[\d.]+:Linux-([\d.]+)[^:]*:[^:]*:(BCM2709)/,
    weight: 0.8,
    then: {
      ...LINUX,
      osVersion: '$1',
      deviceType: 'computer',
      manufacturer: 'Raspberry Pi',
      model: 'Raspberry Pi ($2)',
      capabilities: ['ethernet'],
    },
  },
  {
    re: /^dhcpcd-[\d.]+:Linux-([\d.]+)[^:]*:[^:]*:(BCM2[0-9]{3})/,
    weight: 0.8,
    then: {
      ...LINUX,
      osVersion: '$1',
      deviceType: 'computer',
      manufacturer: 'Raspberry Pi',
      model: 'Raspberry Pi ($2)',
    },
  },
  { re: /^dhcpcd-[\d.]+:Linux-([\d.]+)/, weight: 0.7, then: { ...LINUX, osVersion: '$1' } },
  { re: /^dhcpcd-[\d.]+:NetBSD/, weight: 0.7, then: { os: 'NetBSD' } },
  { re: /^udhcpc? [\d.]+/, weight: 0.6, then: { os: 'Linux', deviceType: 'iot' } },
  { re: /^Hewlett-Packard JetDirect/, weight: 0.9, then: { deviceType: 'printer', manufacturer: 'HP' } },
  {
    re: /^(?:HP|Hewlett-Packard) ?(.*Jet.*)/i,
    weight: 0.8,
    then: { deviceType: 'printer', manufacturer: 'HP', model: '$1' },
  },
  {
    re: /^(?:Brother|EPSON|Canon|Xerox|Lexmark|KONICA|Kyocera|RICOH)\b/i,
    weight: 0.8,
    then: { deviceType: 'printer' },
  },
  { re: /^Arista\b/, weight: 0.8, then: { deviceType: 'network', manufacturer: 'Arista', os: 'EOS' } },
  { re: /^Cisco\b/i, weight: 0.7, then: { deviceType: 'network', manufacturer: 'Cisco' } },
  {
    re: /^huawei (AirEngine[\w-]*)/i,
    weight: 0.85,
    then: { deviceType: 'network', manufacturer: 'Huawei', model: '$1' },
  },
  { re: /^ubnt\b/i, weight: 0.8, then: { deviceType: 'network', manufacturer: 'Ubiquiti' } },
  {
    re: /^PS[345]\b|^PlayStation/i,
    weight: 0.85,
    then: { deviceType: 'game-console', manufacturer: 'Sony' },
  },
  { re: /^Xbox/i, weight: 0.85, then: { deviceType: 'game-console', manufacturer: 'Microsoft' } },
  { re: /^Roku/i, weight: 0.85, then: { deviceType: 'media', manufacturer: 'Roku' } },
];

function prlMatches(r: PrlRule, prl: number[], text: string): boolean {
  if (r.prl !== undefined && text !== r.prl) return false;
  if (r.prlPrefix !== undefined && !(text === r.prlPrefix || text.startsWith(`${r.prlPrefix},`)))
    return false;
  if (r.prlHas && !r.prlHas.every((c) => prl.includes(c))) return false;
  if (r.prlLacks?.some((c) => prl.includes(c))) return false;
  return true;
}

/** The most specific option-55 rule matching (rules are ordered most specific first). */
function prlEvidence(prl: number[]): EvidenceDraft[] {
  if (prl.length === 0) return [];
  const text = prl.join(',');
  const rule = PRL_RULES.find((r) => prlMatches(r, prl, text));
  if (!rule) return [];
  return evidenceOf(
    rule.then,
    rule.weight,
    'dhcp-fingerprint',
    `option 55 ${text}: ${rule.name}`,
    rule.typeWeight,
  );
}

/** Evidence from a vendor class text (DHCP option 60, or a DHCPv6 vendor class item); `where` names it in the detail. */
export function vendorClassEvidence(vendorClass: string | undefined, where = 'option 60'): EvidenceDraft[] {
  if (!vendorClass) return [];
  for (const r of VENDOR_RULES) {
    const m = r.re.exec(vendorClass);
    if (m)
      return evidenceOf(
        fillGroups(r.then, m),
        r.weight,
        'dhcp-vendor-class',
        `${where} "${vendorClass}"`,
        r.typeWeight,
      );
  }
  return [];
}

/** Evidence from a client's DHCP fingerprint (option 55 order and option 60). */
export function dhcpEvidence(f: DhcpFingerprint): EvidenceDraft[] {
  return [...prlEvidence(f.prl), ...vendorClassEvidence(f.vendorClass)];
}
