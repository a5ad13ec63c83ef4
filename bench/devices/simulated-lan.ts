/**
 * A simulated LAN of N devices as the system tools would show it: the ARP
 * table, `ip -j neigh`, arp-scan output, dnsmasq and Kea leases, a static
 * clients file, `nft -j` counters, and one DHCP request per device with a
 * fingerprint of one of six client kinds.
 */

/** The tools' outputs. */
export interface SimulatedLan {
  procArp: string;
  ipNeighJson: string;
  arpScanText: string;
  dnsmasqLeases: string;
  keaCsv: string;
  staticJson: string;
  nftJson: string;
  dhcpRequests: { mac: string; payload: Uint8Array }[];
  /** One DHCPv6 Solicit per device (RFC 8415), from its link-local address. */
  dhcpv6Solicits: { mac: string; srcAddr: string; payload: Uint8Array }[];
  /** Every device's IPv4 address. */
  ip4s: string[];
}

const KINDS = [
  {
    prl: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252],
    vendor: 'MSFT 5.0',
    host: 'DESKTOP-AB12CD',
  },
  { prl: [1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46], vendor: '', host: 'MacBook-Pro' },
  { prl: [1, 121, 3, 6, 15, 108, 114, 119, 252], vendor: '', host: 'iPhone' },
  { prl: [1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108], vendor: 'android-dhcp-13', host: 'Pixel' },
  { prl: [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42], vendor: '', host: 'ubuntu' },
  {
    prl: [1, 3, 44, 6, 7, 12, 15, 22, 54, 58, 59, 69, 18, 144],
    vendor: 'Hewlett-Packard JetDirect',
    host: 'NPI',
  },
];

const hex2 = (x: number): string => (x & 255).toString(16).padStart(2, '0');

/** A DHCPREQUEST (RFC 2131 layout) from `mac` with the given options. */
function dhcpRequest(mac: string, kind: (typeof KINDS)[number], i: number): Uint8Array {
  const p = new Uint8Array(236 + 4 + 128);
  p[0] = 1;
  p[1] = 1;
  p[2] = 6;
  mac.split(':').forEach((b, k) => (p[28 + k] = parseInt(b, 16)));
  p.set([0x63, 0x82, 0x53, 0x63], 236);
  let o = 240;
  const opt = (code: number, data: number[]): void => {
    p[o++] = code;
    p[o++] = data.length;
    p.set(data, o);
    o += data.length;
  };
  opt(53, [3]);
  opt(61, [1, ...mac.split(':').map((b) => parseInt(b, 16))]);
  opt(12, [...new TextEncoder().encode(`${kind.host}-${i}`)]);
  if (kind.vendor) opt(60, [...new TextEncoder().encode(kind.vendor)]);
  opt(55, kind.prl);
  p[o] = 255;
  return p.subarray(0, o + 1);
}

/** The LAN: device i has MAC 00:1b:21:xx:xx:xx (Intel), 10.x.y.z and fd00::i. */
export function simulatedLan(n: number): SimulatedLan {
  const arp = ['IP address       HW type     Flags       HW address            Mask     Device'];
  const neigh: unknown[] = [];
  const scan: string[] = [];
  const leases: string[] = [];
  const kea = [
    'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context',
  ];
  const clients: unknown[] = [];
  const elems = { out4: [] as unknown[], in4: [] as unknown[], out6: [] as unknown[], in6: [] as unknown[] };
  const dhcpRequests: SimulatedLan['dhcpRequests'] = [];
  const dhcpv6Solicits: SimulatedLan['dhcpv6Solicits'] = [];
  const ip4s: string[] = [];
  const expiry = Math.floor(Date.now() / 1000) + 86_400;
  for (let i = 0; i < n; i++) {
    const mac = `00:1b:21:${hex2(i >> 16)}:${hex2(i >> 8)}:${hex2(i)}`;
    const ip4 = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const ip6 = `fd00::${i.toString(16)}`;
    const kind = KINDS[i % KINDS.length]!;
    arp.push(`${ip4}  0x1  0x2  ${mac}  *  eth0`);
    neigh.push({ dst: ip6, dev: 'eth0', lladdr: mac, state: ['REACHABLE'] });
    scan.push(`${ip4}\t${mac}`);
    leases.push(`${expiry} ${mac} ${ip4} ${kind.host}-${i} 01:${mac}`);
    kea.push(`${ip4},${mac},01:${mac},3600,${expiry},1,0,0,${kind.host}-${i}.lan.,0,`);
    if (i % 10 === 0) clients.push({ ip: ip4, mac, name: `static-${i}`, type: 'computer' });
    const counter = (b: number) => ({ elem: { val: '', counter: { packets: b, bytes: b * 100 } } });
    elems.out4.push({ elem: { ...counter(i).elem, val: ip4 } });
    elems.in4.push({ elem: { ...counter(i * 2).elem, val: ip4 } });
    elems.out6.push({ elem: { ...counter(i).elem, val: ip6 } });
    elems.in6.push({ elem: { ...counter(i * 3).elem, val: ip6 } });
    dhcpRequests.push({ mac, payload: dhcpRequest(mac, kind, i) });
    dhcpv6Solicits.push({
      mac,
      srcAddr: `fe80::${i.toString(16)}`,
      payload: dhcpv6Solicit(mac, kind.vendor),
    });
    ip4s.push(ip4);
  }
  const sets = Object.entries(elems).map(([name, elem]) => ({
    set: { family: 'inet', name, table: 'flowlens', elem },
  }));
  return {
    procArp: arp.join('\n'),
    ipNeighJson: JSON.stringify(neigh),
    arpScanText: scan.join('\n'),
    dnsmasqLeases: leases.join('\n'),
    keaCsv: kea.join('\n'),
    staticJson: JSON.stringify({ clients }),
    nftJson: JSON.stringify({ nftables: [{ metainfo: { version: '1.0.6' } }, ...sets] }),
    dhcpRequests,
    dhcpv6Solicits,
    ip4s,
  };
}

/** A Solicit: client id (DUID-LL), ORO 24,23,17,39, and vendor class 311 with the kind's text when it has one. */
function dhcpv6Solicit(mac: string, vendor: string): Uint8Array {
  const b: number[] = [1, 0x12, 0x34, 0x56];
  const opt = (code: number, data: number[]): void => {
    b.push(code >> 8, code & 255, data.length >> 8, data.length & 255, ...data);
  };
  opt(1, [0, 3, 0, 1, ...mac.split(':').map((x) => parseInt(x, 16))]);
  opt(6, [0, 24, 0, 23, 0, 17, 0, 39]);
  if (vendor) {
    const text = [...Buffer.from(vendor)];
    opt(16, [0, 0, 1, 55, text.length >> 8, text.length & 255, ...text]);
  }
  return Uint8Array.from(b);
}
