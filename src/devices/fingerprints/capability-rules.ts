/**
 * Capabilities: Wi-Fi (and its standard), Bluetooth and Ethernet, each
 * from what a device says of itself. Written for FlowLens from public
 * knowledge:
 * - Wi-Fi generations (Wi-Fi Alliance naming): Wi-Fi 4 = 802.11n, 5 =
 *   802.11ac, 6 = 802.11ax, 6E = 802.11ax in 6 GHz, 7 = 802.11be; router
 *   model names carry the class ("RT-AX88U", "AX3000", "BE9300").
 * - Apple model identifiers (Apple's technical specifications): every
 *   iPhone, iPad, MacBook and HomePod has Wi-Fi and Bluetooth; iMac, Mac
 *   mini and Mac Pro add Ethernet; the iPhone's Wi-Fi by generation:
 *   iPhone6,x (5s) 802.11n, iPhone7,x..11,x (6 to XS/XR) 802.11ac,
 *   iPhone12,x..15,x (11 to 15) Wi-Fi 6, iPhone16,x (15 Pro) Wi-Fi 6E,
 *   iPhone17,x (16) Wi-Fi 7.
 * - Brother names its network interface "BRN" + MAC when wired and "BRW"
 *   when wireless (Brother network user's guide); ESP8266/ESP32 firmware
 *   ("ESP_XXXXXX") and Espressif MACs are Wi-Fi SoCs.
 * - UPnP: a WLANAccessPointDevice is a Wi-Fi access point; an
 *   InternetGatewayDevice has a wired WAN side.
 */
import type { EvidenceKind } from '../model.ts';
import type { EvidenceDraft } from './conclusion.ts';

/** The capability values (the `capability` label of device_capabilities). */
export const CAPABILITY = { wifi: 'wifi', bluetooth: 'bluetooth', ethernet: 'ethernet' } as const;

/** A capability with the weight of the fact behind it. */
export type CapabilityClaim = readonly [capability: string, weight: number];

/** Evidence for each claim, with one kind and detail. */
export function capabilityEvidence(
  claims: readonly CapabilityClaim[],
  kind: EvidenceKind,
  detail: string,
): EvidenceDraft[] {
  return claims.map(([value, weight]) => ({ attribute: 'capability', value, weight, kind, detail }));
}

const STANDARDS: readonly [RegExp, string][] = [
  [/802\.11\s?be\b|wi-?fi\s?7\b|\bBE\d{4,5}\b/i, 'wifi-7'],
  [/wi-?fi\s?6e\b|\bAXE\d{4,5}\b/i, 'wifi-6e'],
  [/802\.11\s?ax\b|wi-?fi\s?6\b|\bRT-AX|\bAX\d{4,5}\b/i, 'wifi-6'],
  [/802\.11\s?ac\b|wi-?fi\s?5\b|\bRT-AC|\bAC\d{3,4}\b/i, 'wifi-5'],
  [/802\.11\s?n\b|wi-?fi\s?4\b/i, 'wifi-4'],
];

/** The Wi-Fi standard a text names ("802.11ax", "Wi-Fi 6E", "RT-AX88U"), if any. */
export function wifiStandardIn(text: string): string | undefined {
  for (const [re, std] of STANDARDS) if (re.test(text)) return std;
  return undefined;
}

/** Wi-Fi and its standard when a text (model name, description) names one. */
export function textCapabilities(text: string, weight: number): CapabilityClaim[] {
  const std = wifiStandardIn(text);
  return std
    ? [
        [CAPABILITY.wifi, weight],
        [std, weight],
      ]
    : [];
}

function iphoneStandard(major: number): string {
  if (major >= 17) return 'wifi-7';
  if (major === 16) return 'wifi-6e';
  if (major >= 12) return 'wifi-6';
  if (major >= 7) return 'wifi-5';
  return 'wifi-4';
}

/** What an Apple model identifier ("iPhone14,2", "Macmini9,1") says about the radios and ports. */
export function appleModelCapabilities(model: string): CapabilityClaim[] {
  const radios: CapabilityClaim[] = [
    [CAPABILITY.wifi, 0.9],
    [CAPABILITY.bluetooth, 0.9],
  ];
  const phone = /^iPhone(\d+),/.exec(model);
  if (phone) return [...radios, [iphoneStandard(Number(phone[1])), 0.8]];
  if (/^(?:iPad|MacBook(?:Pro|Air)?|AudioAccessory)\d/.test(model)) return radios;
  if (/^(?:iMac(?:Pro)?|Macmini|MacPro)\d/.test(model)) return [...radios, [CAPABILITY.ethernet, 0.85]];
  // Apple TV 4K has Ethernet but for one Wi-Fi-only model (AppleTV14,1 64 GB).
  if (/^AppleTV\d/.test(model)) return [...radios, [CAPABILITY.ethernet, 0.6]];
  return [];
}

const NAME_RULES: readonly [RegExp, CapabilityClaim[], string][] = [
  [/^brw[0-9a-f]{12}$/i, [[CAPABILITY.wifi, 0.8]], 'Brother wireless interface name'],
  [/^brn[0-9a-f]{12}$/i, [[CAPABILITY.ethernet, 0.8]], 'Brother wired interface name'],
  [/^esp[_-]?[0-9a-f]{6}|^esp32/i, [[CAPABILITY.wifi, 0.85]], 'Espressif Wi-Fi SoC firmware name'],
  [
    /iphone|ipad/i,
    [
      [CAPABILITY.wifi, 0.6],
      [CAPABILITY.bluetooth, 0.6],
    ],
    'Apple mobile device name',
  ],
];

/** Capability evidence from a host name. */
export function hostNameCapabilities(name: string): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  for (const [re, claims, why] of NAME_RULES)
    if (re.test(name))
      out.push(...capabilityEvidence(claims, 'hostname-pattern', `host name "${name}": ${why}`));
  return out;
}
