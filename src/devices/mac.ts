/** MAC address text helpers (IEEE 802 §8.2.2 for the address bits). */

const LOCALLY_ADMINISTERED = 0x02;
const MULTICAST = 0x01;

/** "AA-BB-CC-DD-EE-FF" / "aabb.ccdd.eeff" -> "aa:bb:cc:dd:ee:ff"; undefined when not a MAC. */
export function normaliseMac(text: string): string | undefined {
  const hex = text.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  if (hex.length !== 12 || text.length > 17) return undefined;
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** A unicast MAC with the locally administered bit: randomised (phones, Windows, Linux NetworkManager). */
export function isRandomisedMac(mac: string): boolean {
  const first = parseInt(mac.slice(0, 2), 16);
  return (first & LOCALLY_ADMINISTERED) !== 0 && (first & MULTICAST) === 0;
}

/** A MAC that names no single device: all zeros, broadcast or multicast. */
export function isUsableMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return false;
  return (parseInt(mac.slice(0, 2), 16) & MULTICAST) === 0;
}
