/**
 * Host-name patterns: default names that operating systems and devices
 * give themselves. From public documentation and the shared captures:
 * Windows 10+ names a new install "DESKTOP-" or "LAPTOP-" and seven
 * characters (Microsoft setup); Apple devices default to "<Owner>s-iPhone",
 * "MacBook-Pro" (Apple support: "Change your computer's name"); Android
 * used "android-<16 hex>" before Android 8; HP printers "HP" + the last six
 * digits of the MAC or "NPI" + six hex (HP Embedded Web Server guide);
 * Brother "BRN"/"BRW" + MAC (Brother network guide); ESP8266/ESP32
 * firmware "ESP_XXXXXX" (Espressif SDK); Raspberry Pi OS "raspberrypi".
 */
import { hostNameCapabilities } from './capability-rules.ts';
import { evidenceOf, type Conclusion, type EvidenceDraft } from './conclusion.ts';

interface NameRule {
  re: RegExp;
  weight: number;
  then: Conclusion;
}

const APPLE = { manufacturer: 'Apple' } as const;

const NAME_RULES: readonly NameRule[] = [
  { re: /iphone/i, weight: 0.7, then: { ...APPLE, deviceType: 'phone', os: 'iOS' } },
  { re: /ipad/i, weight: 0.7, then: { ...APPLE, deviceType: 'tablet', os: 'iPadOS' } },
  { re: /apple-?tv/i, weight: 0.7, then: { ...APPLE, deviceType: 'tv', os: 'tvOS' } },
  {
    re: /macbook|imac|mac-?mini|mac-?pro|mac-?studio/i,
    weight: 0.65,
    then: { ...APPLE, deviceType: 'computer', os: 'macOS' },
  },
  { re: /^android[-_][0-9a-f]{8,}/i, weight: 0.7, then: { deviceType: 'phone', os: 'Android' } },
  {
    re: /galaxy|^sm-[a-z]\d{3}|pixel-?\d|oneplus|redmi|xiaomi|huawei-p\d/i,
    weight: 0.6,
    then: { deviceType: 'phone', os: 'Android' },
  },
  {
    re: /^(?:desktop|laptop)-[a-z0-9]{7}$/i,
    weight: 0.7,
    then: { deviceType: 'computer', os: 'Windows', osVersion: '10' },
  },
  { re: /-pc$|^win-[a-z0-9]{11}$|msedgewin/i, weight: 0.55, then: { deviceType: 'computer', os: 'Windows' } },
  {
    re: /^(?:npi[0-9a-f]{6}|hp[0-9a-f]{6})\b/i,
    weight: 0.75,
    then: { deviceType: 'printer', manufacturer: 'HP' },
  },
  { re: /^br[nw][0-9a-f]{12}$/i, weight: 0.8, then: { deviceType: 'printer', manufacturer: 'Brother' } },
  { re: /^epson/i, weight: 0.75, then: { deviceType: 'printer', manufacturer: 'Epson' } },
  { re: /^canon|printer|laserjet|officejet/i, weight: 0.6, then: { deviceType: 'printer' } },
  { re: /chromecast/i, weight: 0.75, then: { deviceType: 'media', manufacturer: 'Google' } },
  { re: /^roku/i, weight: 0.75, then: { deviceType: 'media', manufacturer: 'Roku' } },
  { re: /sonos/i, weight: 0.7, then: { deviceType: 'speaker', manufacturer: 'Sonos' } },
  { re: /echo|alexa|^amazon-/i, weight: 0.5, then: { deviceType: 'speaker', manufacturer: 'Amazon' } },
  { re: /xbox/i, weight: 0.75, then: { deviceType: 'game-console', manufacturer: 'Microsoft' } },
  { re: /playstation|^ps[345]-/i, weight: 0.75, then: { deviceType: 'game-console', manufacturer: 'Sony' } },
  { re: /nintendo|switch-/i, weight: 0.6, then: { deviceType: 'game-console', manufacturer: 'Nintendo' } },
  { re: /^esp[_-]?[0-9a-f]{6}|^esp32|tasmota|shelly|tuya|^wled/i, weight: 0.7, then: { deviceType: 'iot' } },
  { re: /netatmo/i, weight: 0.75, then: { deviceType: 'iot', manufacturer: 'Netatmo' } },
  { re: /nest|ring-|camera|^cam[-_]|ipcam/i, weight: 0.5, then: { deviceType: 'camera' } },
  {
    re: /laundry|washer|washing|dryer|fridge|dishwasher|oven/i,
    weight: 0.65,
    then: { deviceType: 'appliance' },
  },
  { re: /^lg[_-]smart/i, weight: 0.5, then: { manufacturer: 'LG' } },
  {
    re: /raspberrypi/i,
    weight: 0.7,
    then: { deviceType: 'computer', os: 'Linux', manufacturer: 'Raspberry Pi' },
  },
  { re: /freebox/i, weight: 0.8, then: { deviceType: 'media', manufacturer: 'Free' } },
  { re: /synology|diskstation|qnap|(?:^|[-_])nas(?:$|[-_\d])/i, weight: 0.7, then: { deviceType: 'nas' } },
  {
    re: /thinkpad|lifebook|latitude|elitebook|pop-os|ubuntu|fedora|debian/i,
    weight: 0.5,
    then: { deviceType: 'computer' },
  },
  { re: /pop-os|ubuntu|fedora|debian|arch|mint/i, weight: 0.5, then: { os: 'Linux' } },
  { re: /router|gateway|fritz|^ap[-_]|switch\d/i, weight: 0.5, then: { deviceType: 'network' } },
  { re: /tv$|^tv[-_]|bravia|smarttv|webos|tizen/i, weight: 0.6, then: { deviceType: 'tv' } },
];

/** Evidence from one name (every matching rule counts), capabilities included. */
export function hostNameEvidence(name: string): EvidenceDraft[] {
  const out: EvidenceDraft[] = hostNameCapabilities(name);
  for (const r of NAME_RULES) {
    if (r.re.test(name))
      out.push(...evidenceOf(r.then, r.weight, 'hostname-pattern', `host name "${name}" ~ ${r.re.source}`));
  }
  return out;
}
