/**
 * DHCPv6 fingerprints (RFC 8415): the Option Request Option's order is
 * fixed by each client implementation like DHCPv4's option 55, and the
 * vendor class (option 16) names the implementation by its IANA enterprise
 * number. Written for FlowLens from public knowledge and the shared captures:
 * - Windows (Vista and later) sends vendor class 311 (Microsoft) "MSFT 5.0"
 *   and the ORO 24,23,17,39 (dhcpv6cap.pcapng: 6,398 Solicits/Requests of
 *   many hosts) or 17,23,24,39 (same capture).
 * - dhcpcd sends vendor class 40712 (its author's enterprise number, dhcpcd
 *   source dhcp6.c DHCPCD_IANA_PEN) with its "dhcpcd-<ver>:<os>-<kernel>:
 *   <arch>:<hw>" string, and the ORO 23,24,31,39,82,83 (dhcpv6-mud.pcap).
 * - ISC dhclient -6 asks for 23,24,39,31 (name servers, domain search,
 *   FQDN, SNTP: the dhcp6.* request line of Debian's dhclient.conf; seen
 *   from isc-dhclient 4.4.3 in test/devices/dhcpv6-netns.test.ts).
 * - A prefix delegation request (IA_PD, 25) comes from a router; a MUD URL
 *   (112, RFC 8520) from an IoT device declaring its behaviour.
 * The vendor class text also goes through the DHCPv4 option-60 rules, so a
 * Raspberry Pi's dhcpcd string says the same over either protocol.
 */
import type { Dhcpv6Fingerprint } from '../model.ts';
import { evidenceOf, type Conclusion, type EvidenceDraft } from './conclusion.ts';
import { vendorClassEvidence } from './dhcp-rules.ts';

/** IANA Private Enterprise Numbers seen in DHCPv6 vendor classes. */
export const ENTERPRISE = { microsoft: 311, dhcpcd: 40712 } as const;

interface OroRule {
  oro: string;
  /** Only with this vendor class enterprise number. */
  enterprise?: number;
  weight: number;
  typeWeight?: number;
  then: Conclusion;
  name: string;
}

const WINDOWS: Conclusion = { os: 'Windows', deviceType: 'computer' };

const ORO_RULES: readonly OroRule[] = [
  { name: 'Windows', oro: '24,23,17,39', weight: 0.8, then: WINDOWS },
  { name: 'Windows', oro: '17,23,24,39', weight: 0.75, then: WINDOWS },
  { name: 'dhcpcd', oro: '23,24,31,39,82,83', weight: 0.5, typeWeight: 0.2, then: { os: 'Linux' } },
  {
    name: 'ISC dhclient',
    oro: '23,24,39,31',
    weight: 0.6,
    typeWeight: 0.4,
    then: { os: 'Linux', deviceType: 'computer' },
  },
];

const ENTERPRISE_RULES: Record<number, [number, Conclusion, string]> = {
  [ENTERPRISE.microsoft]: [0.8, WINDOWS, 'Microsoft'],
  [ENTERPRISE.dhcpcd]: [0.5, { os: 'Linux' }, 'dhcpcd'],
};

/** Evidence from a client's DHCPv6 fingerprint (ORO order, vendor class, IA_PD, MUD URL). */
export function dhcpv6Evidence(f: Dhcpv6Fingerprint, extra: { mudUrl?: string }): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  const oro = f.oro.join(',');
  const rule = ORO_RULES.find(
    (r) => r.oro === oro && (r.enterprise === undefined || r.enterprise === f.enterprise),
  );
  if (rule)
    out.push(
      ...evidenceOf(
        rule.then,
        rule.weight,
        'dhcp-fingerprint',
        `DHCPv6 ORO ${oro}: ${rule.name}`,
        rule.typeWeight,
      ),
    );
  const ent = f.enterprise === undefined ? undefined : ENTERPRISE_RULES[f.enterprise];
  const vc = `DHCPv6 vendor class ${f.enterprise} "${f.vendorClass ?? ''}"`;
  if (ent) out.push(...evidenceOf(ent[1], ent[0], 'dhcp-vendor-class', `${vc} (${ent[2]})`, 0.6));
  out.push(...vendorClassEvidence(f.vendorClass, `DHCPv6 vendor class ${f.enterprise}`));
  if (f.options.includes(25))
    out.push({
      attribute: 'deviceType',
      value: 'network',
      weight: 0.5,
      kind: 'dhcp-fingerprint',
      detail: 'DHCPv6 prefix delegation requested (IA_PD): a router',
    });
  if (extra.mudUrl)
    out.push({
      attribute: 'deviceType',
      value: 'iot',
      weight: 0.45,
      kind: 'dhcp-fingerprint',
      detail: `MUD URL ${extra.mudUrl} (RFC 8520)`,
    });
  return out;
}
