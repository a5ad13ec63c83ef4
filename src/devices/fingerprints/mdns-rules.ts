/**
 * DNS-SD service types and TXT keys -> evidence. Service types from the
 * IANA service-name registry and the vendors' own documentation: IPP
 * (RFC 8010, PWG 5100.14 IPP Everywhere, TXT `ty`, `usb_MFG`, `usb_MDL`),
 * AirPlay/RAOP and `_device-info._tcp` `model=` (Apple's published model
 * identifiers: MacBookPro18,3, iPhone14,2, iPad13,1, AppleTV6,2,
 * AudioAccessory5,1 = HomePod), Google Cast (`md=` model, `fn=` name),
 * HomeKit `_hap._tcp` (HAP specification, `md=` model), `osxvers=` (the
 * Darwin major version: 20 = macOS 11), avahi's `_workstation._tcp` and
 * HINFO (its publish-hinfo and publish-workstation settings).
 */
import { appleModelCapabilities, capabilityEvidence, textCapabilities } from './capability-rules.ts';
import { evidenceOf, type Conclusion, type EvidenceDraft } from './conclusion.ts';

const SERVICES: Record<string, [number, Conclusion]> = {
  '_ipp._tcp': [0.85, { deviceType: 'printer' }],
  '_ipps._tcp': [0.85, { deviceType: 'printer' }],
  '_printer._tcp': [0.85, { deviceType: 'printer' }],
  '_pdl-datastream._tcp': [0.85, { deviceType: 'printer' }],
  '_scanner._tcp': [0.6, { deviceType: 'printer' }],
  '_uscan._tcp': [0.6, { deviceType: 'printer' }],
  '_airplay._tcp': [0.4, { deviceType: 'tv' }],
  '_raop._tcp': [0.35, { deviceType: 'speaker' }],
  '_googlecast._tcp': [0.7, { deviceType: 'media' }],
  '_androidtvremote2._tcp': [0.8, { deviceType: 'tv', os: 'Android' }],
  '_amzn-wplay._tcp': [0.7, { deviceType: 'media', manufacturer: 'Amazon' }],
  '_spotify-connect._tcp': [0.5, { deviceType: 'speaker' }],
  '_sonos._tcp': [0.85, { deviceType: 'speaker', manufacturer: 'Sonos' }],
  '_hap._tcp': [0.7, { deviceType: 'iot' }],
  '_hue._tcp': [0.8, { deviceType: 'iot', manufacturer: 'Philips Hue' }],
  '_matter._tcp': [0.7, { deviceType: 'iot' }],
  '_esphomelib._tcp': [0.8, { deviceType: 'iot' }],
  '_home-assistant._tcp': [0.7, { deviceType: 'server' }],
  '_companion-link._tcp': [0.6, { manufacturer: 'Apple' }],
  '_apple-mobdev2._tcp': [0.7, { deviceType: 'phone', os: 'iOS', manufacturer: 'Apple' }],
  '_adisk._tcp': [0.6, { deviceType: 'nas' }],
  '_afpovertcp._tcp': [0.4, { deviceType: 'computer' }],
  '_smb._tcp': [0.35, { deviceType: 'computer' }],
  '_ssh._tcp': [0.35, { deviceType: 'computer' }],
  '_sftp-ssh._tcp': [0.35, { deviceType: 'computer' }],
  '_rfb._tcp': [0.4, { deviceType: 'computer' }],
  '_workstation._tcp': [0.5, { deviceType: 'computer', os: 'Linux' }],
  '_axis-video._tcp': [0.9, { deviceType: 'camera', manufacturer: 'Axis' }],
  '_rtsp._tcp': [0.4, { deviceType: 'camera' }],
  '_meshcop._udp': [0.6, { deviceType: 'network' }],
};

const APPLE_MODELS: readonly [RegExp, Conclusion][] = [
  [/^(?:MacBook(?:Pro|Air)?|iMac(?:Pro)?|Macmini|MacPro|Mac)\d/, { deviceType: 'computer', os: 'macOS' }],
  [/^iPhone\d/, { deviceType: 'phone', os: 'iOS' }],
  [/^iPad\d/, { deviceType: 'tablet', os: 'iPadOS' }],
  [/^AppleTV\d/, { deviceType: 'tv', os: 'tvOS' }],
  [/^AudioAccessory\d/, { deviceType: 'speaker', os: 'audioOS' }],
];

/** Evidence from an announced service type ("_ipp._tcp"). */
export function serviceEvidence(type: string): EvidenceDraft[] {
  const rule = SERVICES[type.toLowerCase()];
  return rule ? evidenceOf(rule[1], rule[0], 'mdns-service', `DNS-SD service ${type}`) : [];
}

function modelEvidence(model: string, detail: string): EvidenceDraft[] {
  for (const [re, c] of APPLE_MODELS)
    if (re.test(model))
      return [
        ...evidenceOf({ ...c, manufacturer: 'Apple', model }, 0.9, 'mdns-txt', detail),
        ...capabilityEvidence(appleModelCapabilities(model), 'mdns-txt', detail),
      ];
  return [
    ...evidenceOf({ model }, 0.6, 'mdns-txt', detail),
    ...capabilityEvidence(textCapabilities(model, 0.6), 'mdns-txt', detail),
  ];
}

/** Darwin major version (osxvers) -> macOS version (Darwin 20 = macOS 11; before, 10.(n-4)). */
function macosVersion(darwin: number): string {
  return darwin >= 20 ? String(darwin - 9) : `10.${darwin - 4}`;
}

/** Evidence from a service's TXT record. */
export function txtEvidence(txt: Record<string, string>, service: string): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  const at = (k: string): string => `TXT ${k}="${txt[k]}" of ${service}`;
  for (const k of ['model', 'am', 'rpmd']) if (txt[k]) out.push(...modelEvidence(txt[k], at(k)));
  if (txt['md']) {
    out.push(...evidenceOf({ model: txt['md'] }, 0.7, 'mdns-txt', at('md')));
    out.push(...capabilityEvidence(textCapabilities(txt['md'], 0.7), 'mdns-txt', at('md')));
    if (/chromecast|google/i.test(txt['md']))
      out.push(...evidenceOf({ manufacturer: 'Google' }, 0.7, 'mdns-txt', at('md')));
  }
  if (txt['ty'])
    out.push(...evidenceOf({ model: txt['ty'], deviceType: 'printer' }, 0.8, 'mdns-txt', at('ty')));
  if (txt['usb_mfg'])
    out.push(...evidenceOf({ manufacturer: txt['usb_mfg'] }, 0.8, 'mdns-txt', at('usb_mfg')));
  if (txt['usb_mdl']) out.push(...evidenceOf({ model: txt['usb_mdl'] }, 0.7, 'mdns-txt', at('usb_mdl')));
  for (const k of ['manufacturer', 'mfg', 'vendor'])
    if (txt[k]) out.push(...evidenceOf({ manufacturer: txt[k] }, 0.7, 'mdns-txt', at(k)));
  const darwin = Number(txt['osxvers']);
  if (Number.isInteger(darwin) && darwin > 8)
    out.push(...evidenceOf({ os: 'macOS', osVersion: macosVersion(darwin) }, 0.8, 'mdns-txt', at('osxvers')));
  return out;
}

/** Evidence from an HINFO record (avahi: CPU and OS, "X86_64" "LINUX"). */
export function hinfoEvidence(cpu: string, os: string): EvidenceDraft[] {
  const name = /linux/i.test(os)
    ? 'Linux'
    : /freebsd/i.test(os)
      ? 'FreeBSD'
      : /darwin|mac/i.test(os)
        ? 'macOS'
        : undefined;
  return name ? evidenceOf({ os: name }, 0.7, 'mdns-txt', `HINFO "${cpu}" "${os}"`) : [];
}
