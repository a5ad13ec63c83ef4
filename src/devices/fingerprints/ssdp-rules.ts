/**
 * SSDP/UPnP -> evidence: the device type URN (UPnP Device Architecture 2.0
 * §2.3 and the UPnP Forum's standardised device types: InternetGatewayDevice,
 * MediaRenderer, MediaServer, Printer, DigitalSecurityCamera, BinaryLight;
 * DIAL's urn:dial-multiscreen-org:device:dial; Sonos ZonePlayer; Belkin
 * WeMo), the SERVER header ("OS/version UPnP/1.0 product/version", UDA §1.1.3)
 * and the description document's manufacturer and model.
 */
import { capabilityEvidence, textCapabilities } from './capability-rules.ts';
import { evidenceOf, type Conclusion, type EvidenceDraft } from './conclusion.ts';

const DEVICE_TYPES: readonly [RegExp, number, Conclusion][] = [
  // An access point has Wi-Fi; a gateway's WAN side is wired.
  [/:device:WLANAccessPointDevice:/i, 0.8, { deviceType: 'network', capabilities: ['wifi'] }],
  [/:device:InternetGatewayDevice:/i, 0.8, { deviceType: 'network', capabilities: ['ethernet'] }],
  [/:device:(?:WANDevice|WANConnectionDevice):/i, 0.8, { deviceType: 'network' }],
  [/:device:(?:Printer|PrintBasic):/i, 0.85, { deviceType: 'printer' }],
  [/:device:Scanner:/i, 0.5, { deviceType: 'printer' }],
  [/:device:DigitalSecurityCamera:/i, 0.85, { deviceType: 'camera' }],
  [/:device:MediaRenderer:/i, 0.45, { deviceType: 'tv' }],
  [/:device:MediaServer:/i, 0.4, { deviceType: 'nas' }],
  [/^urn:dial-multiscreen-org:device:dial:/i, 0.6, { deviceType: 'tv' }],
  [/:device:ZonePlayer:/i, 0.85, { deviceType: 'speaker', manufacturer: 'Sonos' }],
  [/^urn:Belkin:device:/i, 0.85, { deviceType: 'iot', manufacturer: 'Belkin' }],
  [/:device:(?:BinaryLight|DimmableLight|HVAC_System|SensorManagement):/i, 0.7, { deviceType: 'iot' }],
  [/^urn:schemas-wifialliance-org:device:WFADevice:/i, 0.6, { deviceType: 'network' }],
];

const SERVER_OS: readonly [RegExp, number, Conclusion][] = [
  [/Windows(?:[ /]NT)?[ /]?(\d+(?:\.\d+)?)?/i, 0.6, { os: 'Windows', deviceType: 'computer' }],
  [/Android/i, 0.6, { os: 'Android' }],
  [/Darwin|Mac OS X|macOS/i, 0.6, { os: 'macOS' }],
  [/Linux/i, 0.45, { os: 'Linux' }],
  [/FreeRTOS|ThreadX|RTOS|lwIP/i, 0.45, { deviceType: 'iot' }],
];

/** Evidence from a device type URN (NT/ST header or the description). */
export function ssdpTypeEvidence(urn: string, weight = 1): EvidenceDraft[] {
  for (const [re, w, c] of DEVICE_TYPES)
    if (re.test(urn)) return evidenceOf(c, w * weight, 'ssdp-description', `UPnP device type ${urn}`);
  return [];
}

/** Evidence from a SERVER header. */
export function ssdpServerEvidence(server: string): EvidenceDraft[] {
  for (const [re, w, c] of SERVER_OS)
    if (re.test(server)) return evidenceOf(c, w, 'ssdp-description', `SERVER "${server}"`);
  return [];
}

/** Evidence from the description document's manufacturer and model. */
export function ssdpDescriptionEvidence(d: {
  manufacturer?: string;
  model?: string;
  modelDescription?: string;
  friendlyName?: string;
  url: string;
}): EvidenceDraft[] {
  const c: Conclusion = {};
  if (d.manufacturer) c.manufacturer = d.manufacturer;
  if (d.model) c.model = d.model;
  const detail = `UPnP description ${d.url}`;
  // The Wi-Fi standard, when the model name or description names one ("RT-AX88U", "802.11ac router").
  const text = [d.model, d.modelDescription, d.friendlyName].filter(Boolean).join(' ');
  return [
    ...evidenceOf(c, 0.85, 'ssdp-description', detail),
    ...capabilityEvidence(textCapabilities(text, 0.75), 'ssdp-description', detail),
  ];
}
