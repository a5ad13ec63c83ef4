/**
 * Port/protocol heuristics: the IANA service names registry
 * (iana.org/assignments/service-names-port-numbers) for well-known services,
 * used when nothing better is known. The lower of the two ports is tried
 * first (servers usually have the well-known one).
 */

const TCP = 6;
const UDP = 17;

/** IP protocols named by number (IANA protocol numbers registry). */
const IP_PROTOCOLS: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  89: 'OSPF',
  112: 'VRRP',
  132: 'SCTP',
};

const TCP_PORTS: Record<number, string> = {
  20: 'FTP',
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  25: 'SMTP',
  53: 'DNS',
  80: 'HTTP',
  110: 'POP3',
  139: 'NetBIOS',
  143: 'IMAP',
  179: 'BGP',
  389: 'LDAP',
  443: 'TLS',
  445: 'SMB',
  465: 'SMTPS',
  554: 'RTSP',
  587: 'SMTP',
  873: 'rsync',
  993: 'IMAPS',
  995: 'POP3S',
  1194: 'OpenVPN',
  1723: 'PPTP',
  1720: 'H.323',
  2000: 'Skinny',
  2049: 'NFS',
  3389: 'RDP',
  5060: 'SIP',
  5061: 'SIP',
  5222: 'XMPP',
  5900: 'VNC',
  6667: 'IRC',
  6881: 'BitTorrent',
  8080: 'HTTP',
  8443: 'TLS',
  88: 'Kerberos',
};

const UDP_PORTS: Record<number, string> = {
  53: 'DNS',
  67: 'DHCP',
  68: 'DHCP',
  69: 'TFTP',
  88: 'Kerberos',
  123: 'NTP',
  137: 'NetBIOS',
  138: 'NetBIOS',
  161: 'SNMP',
  162: 'SNMP',
  443: 'QUIC',
  500: 'IPsec',
  514: 'Syslog',
  546: 'DHCPv6',
  547: 'DHCPv6',
  1194: 'OpenVPN',
  1701: 'L2TP',
  1900: 'SSDP',
  2055: 'NetFlow',
  2427: 'MGCP',
  3478: 'STUN',
  3479: 'STUN',
  4500: 'IPsec',
  4569: 'IAX',
  4739: 'IPFIX',
  5060: 'SIP',
  5353: 'mDNS',
  5355: 'LLMNR',
  6343: 'sFlow',
  51820: 'WireGuard',
};

/** The service a 5-tuple's protocol and ports suggest, or undefined. */
export function appFromPorts(
  proto: number | undefined,
  srcPort: number | undefined,
  dstPort: number | undefined,
): string | undefined {
  if (proto === undefined) return undefined;
  const table = proto === TCP ? TCP_PORTS : proto === UDP ? UDP_PORTS : undefined;
  if (!table) return IP_PROTOCOLS[proto];
  const a = srcPort ?? 0;
  const b = dstPort ?? 0;
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return table[lo] ?? table[hi];
}

/** The name of an IP protocol number (IANA), for RFC 6759 engine 1 selectors. */
export function ipProtocolName(proto: number): string | undefined {
  return proto === TCP ? 'TCP' : proto === UDP ? 'UDP' : IP_PROTOCOLS[proto];
}

/** The service of a well-known port (any transport), for RFC 6759 engine 3 selectors. */
export function portServiceName(port: number): string | undefined {
  return TCP_PORTS[port] ?? UDP_PORTS[port];
}
