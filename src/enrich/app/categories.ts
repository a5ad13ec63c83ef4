/**
 * The category taxonomy: every application or protocol name maps to one
 * category; names not listed are "Unknown". Users add categories and
 * mappings with `enrich.app.categories` (category -> application names).
 */

/** The built-in categories. */
export const CATEGORIES = [
  'Web',
  'Streaming',
  'Gaming',
  'Social',
  'Messaging',
  'Cloud',
  'Mail',
  'VoIP/Video',
  'Network services',
  'File transfer',
  'Remote access',
  'VPN',
  'Software updates',
  'Advertising',
  'Unknown',
] as const;

const DEFAULT_CATEGORY_APPS: Record<string, readonly string[]> = {
  Web: ['HTTP', 'TLS', 'QUIC', 'Google', 'Wikipedia', 'Yahoo', 'Amazon', 'Akamai', 'Cloudflare', '1kxun'],
  Streaming: ['YouTube', 'Netflix', 'Prime Video', 'Disney+', 'Spotify', 'Twitch', 'RTSP'],
  Gaming: ['Steam', 'Epic Games', 'Xbox', 'PlayStation'],
  Social: ['Facebook', 'Instagram', 'TikTok', 'Twitter', 'Snapchat', 'LinkedIn', 'Reddit'],
  Messaging: ['WhatsApp', 'Telegram', 'Signal', 'Viber', 'Discord', 'XMPP', 'IRC'],
  Cloud: ['Microsoft 365', 'Microsoft', 'Apple', 'Amazon Web Services', 'Dropbox', 'GitHub'],
  Mail: ['SMTP', 'IMAP', 'POP3', 'SMTPS', 'IMAPS', 'POP3S'],
  'VoIP/Video': ['SIP', 'RTP', 'RTCP', 'STUN', 'Teams', 'Zoom', 'Webex', 'H.323', 'MGCP', 'IAX', 'Skinny'],
  'Network services': [
    'DNS',
    'DHCP',
    'DHCPv6',
    'NTP',
    'SNMP',
    'mDNS',
    'SSDP',
    'NetBIOS',
    'LDAP',
    'Kerberos',
    'Syslog',
    'ICMP',
    'ICMPv6',
    'IGMP',
    'NetFlow',
    'IPFIX',
    'sFlow',
    'LLMNR',
    'BGP',
    'OSPF',
    'VRRP',
  ],
  'File transfer': ['FTP', 'TFTP', 'SMB', 'NFS', 'BitTorrent', 'rsync', 'Gnutella'],
  'Remote access': ['SSH', 'Telnet', 'RDP', 'VNC'],
  VPN: ['IPsec', 'OpenVPN', 'WireGuard', 'L2TP', 'PPTP', 'GRE', 'ESP', 'AH'],
  'Software updates': ['Windows Update', 'Ubuntu Updates', 'Debian Updates'],
};

/** Application -> category lookups. */
export interface CategoryMap {
  categoryOf(app: string): string;
  /** Every category name, built-in and added. */
  readonly categories: readonly string[];
}

/** The built-in mapping plus `extra` (category -> application names; extra wins). */
export function createCategoryMap(extra: Record<string, readonly string[]> = {}): CategoryMap {
  const byApp = new Map<string, string>();
  const names = new Set<string>(CATEGORIES);
  for (const table of [DEFAULT_CATEGORY_APPS, extra])
    for (const [category, apps] of Object.entries(table)) {
      names.add(category);
      for (const a of apps) byApp.set(a.toLowerCase(), category);
    }
  return { categoryOf: (app) => byApp.get(app.toLowerCase()) ?? 'Unknown', categories: [...names] };
}
