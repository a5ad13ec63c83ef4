/**
 * MAC vendor (IEEE registry organisation, src/enrich/oui) -> manufacturer,
 * and for makers that build one kind of device, a weak device-type hint.
 * The registry names the maker of the network interface, which is usually,
 * not always, the maker of the device: the weights stay modest.
 */
import { evidenceOf, type Conclusion, type EvidenceDraft } from './conclusion.ts';

const OUI_WEIGHT = 0.6;

/** Legal suffixes dropped from registry names ("Apple, Inc." -> "Apple"). */
const SUFFIX =
  /[,.]?\s+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|gmbh|ag|sa|s\.a|bv|b\.v|plc|oy|ab|kg|srl|technologies|technology|electronics|international|industries)\.?$/i;

/** Short names for registry names that are long or vary between entries. */
const CANONICAL: readonly [RegExp, string][] = [
  [/^apple/i, 'Apple'],
  [/^samsung/i, 'Samsung'],
  [/^huawei/i, 'Huawei'],
  [/^(?:hewlett|hp inc)/i, 'HP'],
  [/^intel/i, 'Intel'],
  [/^raspberry pi/i, 'Raspberry Pi'],
  [/^google/i, 'Google'],
  [/^amazon/i, 'Amazon'],
  [/^sony/i, 'Sony'],
  [/^lg /i, 'LG'],
  [/^seiko epson/i, 'Epson'],
  [/^brother/i, 'Brother'],
  [/^cisco/i, 'Cisco'],
  [/^espressif/i, 'Espressif'],
  [/^netatmo/i, 'Netatmo'],
  [/^freebox/i, 'Free'],
  [/^dell/i, 'Dell'],
  [/^vmware/i, 'VMware'],
  [/^lg innotek/i, 'LG'],
  [/^xiaomi|^beijing xiaomi/i, 'Xiaomi'],
];

/** Makers whose devices are nearly all of one type (weak hint). */
const TYPE_HINTS: readonly [RegExp, Conclusion][] = [
  [
    /^espressif|^tuya|^shelly|^allterco|^signify|^philips lighting|^netatmo|^ring\b|^nest labs/i,
    { deviceType: 'iot' },
  ],
  [
    /^brother|^seiko epson|^kyocera|^lexmark|^xerox|^ricoh|^konica|^fujifilm business|^fuji xerox/i,
    { deviceType: 'printer' },
  ],
  // UPS network cards (APC, Eaton), building controllers: managed appliances on the LAN.
  [/^american power conversion|^schneider electric|^eaton/i, { deviceType: 'iot' }],
  [/^sonos/i, { deviceType: 'speaker' }],
  [/^roku/i, { deviceType: 'media' }],
  [/^synology|^qnap/i, { deviceType: 'nas' }],
  [/^nintendo|^sony interactive/i, { deviceType: 'game-console' }],
  [
    /^ubiquiti|^arista|^d-link|^netgear|^zyxel|^avm\b|^sagemcom|^technicolor|^arcadyan|^juniper|^mikrotik|^routerboard|^aruba|^ruckus|^tp-link/i,
    { deviceType: 'network' },
  ],
  [/^raspberry pi/i, { deviceType: 'computer', os: 'Linux' }],
  [/^hikvision|^dahua|^axis comm/i, { deviceType: 'camera' }],
  [/^lg electronics|^bsh|^miele|^whirlpool/i, { deviceType: 'appliance' }],
  [/^grandstream|^polycom|^yealink|^snom|^avaya|^mitel/i, { deviceType: 'voip-phone' }],
  [/^freebox/i, { deviceType: 'media' }],
  // Virtual machines' NICs (VMware, VirtualBox = PCS Systemtechnik, QEMU, Xen, Parallels) and PC makers.
  [/^vmware|^pcs systemtechnik|^qemu|^xensource|^parallels|^microsoft corp/i, { deviceType: 'computer' }],
  [
    /^dell|^lenovo|^clevo|^micro-star|^giga-byte|^asustek|^liteon|^askey|^intel corp|^hon hai/i,
    { deviceType: 'computer' },
  ],
];
const TYPE_HINT_WEIGHT = 0.35;

/** Makers whose chips are radios: an Espressif (ESP8266/ESP32) or Murata Wi-Fi module's MAC is a Wi-Fi interface's. */
const WIFI_MAKERS = /^espressif|^murata manufacturing|^azurewave|^universal global scientific/i;
const WIFI_MAKER_WEIGHT = 0.7;

/** "Apple, Inc." -> "Apple"; unknown names lose their legal suffixes only. */
export function manufacturerName(registryName: string): string {
  for (const [re, name] of CANONICAL) if (re.test(registryName)) return name;
  let s = registryName.trim();
  for (let i = 0; i < 3; i++) s = s.replace(SUFFIX, '').trim();
  return s;
}

/** Evidence from a MAC's registry entry. */
export function ouiEvidence(mac: string, registryName: string): EvidenceDraft[] {
  const detail = `OUI ${mac.slice(0, 8)} "${registryName}"`;
  const out = evidenceOf({ manufacturer: manufacturerName(registryName) }, OUI_WEIGHT, 'oui', detail);
  for (const [re, c] of TYPE_HINTS)
    if (re.test(registryName)) out.push(...evidenceOf(c, TYPE_HINT_WEIGHT, 'oui', detail));
  if (WIFI_MAKERS.test(registryName))
    out.push(
      ...evidenceOf({ capabilities: ['wifi'] }, WIFI_MAKER_WEIGHT, 'oui', `${detail}: a Wi-Fi module maker`),
    );
  return out;
}
