/**
 * What the demo network looks like: a few hundred local hosts, the services
 * they use (with the address blocks those services really answer from, so
 * geo and AS enrichment have something to say), and the three exporters.
 * The traffic only ever goes to the loopback listeners of the FlowLens that
 * `npm run demo` starts.
 */

/** A remote service the local hosts talk to. */
export interface DemoService {
  app: string;
  port: number;
  /** IANA protocol number. */
  proto: number;
  /** Relative popularity (flows). */
  weight: number;
  /** Typical bytes downloaded per flow-second, and the share uploaded. */
  downBytes: number;
  upShare: number;
  /** Address blocks (`a.b.c.0/len` as [base, prefix length]). */
  blocks: [string, number][];
}

const TCP = 6;
const UDP = 17;

/** Services with their real address blocks (public routing data, loopback use only). */
export const SERVICES: DemoService[] = [
  {
    app: 'Netflix',
    port: 443,
    proto: TCP,
    weight: 6,
    downBytes: 900_000,
    upShare: 0.02,
    blocks: [
      ['45.57.0.0', 17],
      ['198.38.96.0', 19],
    ],
  },
  {
    app: 'YouTube',
    port: 443,
    proto: TCP,
    weight: 9,
    downBytes: 600_000,
    upShare: 0.03,
    blocks: [
      ['142.250.0.0', 15],
      ['172.217.0.0', 16],
    ],
  },
  {
    app: 'Zoom',
    port: 8801,
    proto: UDP,
    weight: 4,
    downBytes: 180_000,
    upShare: 0.8,
    blocks: [['170.114.0.0', 16]],
  },
  {
    app: 'Microsoft 365',
    port: 443,
    proto: TCP,
    weight: 8,
    downBytes: 90_000,
    upShare: 0.25,
    blocks: [
      ['52.96.0.0', 12],
      ['13.107.0.0', 16],
    ],
  },
  {
    app: 'Cloudflare',
    port: 443,
    proto: TCP,
    weight: 10,
    downBytes: 60_000,
    upShare: 0.1,
    blocks: [['104.16.0.0', 13]],
  },
  {
    app: 'Amazon AWS',
    port: 443,
    proto: TCP,
    weight: 7,
    downBytes: 120_000,
    upShare: 0.2,
    blocks: [
      ['3.120.0.0', 14],
      ['18.130.0.0', 16],
      ['54.250.0.0', 16],
    ],
  },
  {
    app: 'Spotify',
    port: 443,
    proto: TCP,
    weight: 4,
    downBytes: 40_000,
    upShare: 0.03,
    blocks: [['35.186.224.0', 20]],
  },
  {
    app: 'WhatsApp',
    port: 5222,
    proto: TCP,
    weight: 5,
    downBytes: 15_000,
    upShare: 0.5,
    blocks: [['157.240.0.0', 16]],
  },
  {
    app: 'iCloud',
    port: 443,
    proto: TCP,
    weight: 5,
    downBytes: 70_000,
    upShare: 0.6,
    blocks: [['17.248.128.0', 18]],
  },
  {
    app: 'Steam',
    port: 27015,
    proto: UDP,
    weight: 2,
    downBytes: 500_000,
    upShare: 0.05,
    blocks: [['155.133.224.0', 19]],
  },
  {
    app: 'Yandex',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 30_000,
    upShare: 0.1,
    blocks: [['77.88.0.0', 18]],
  },
  {
    app: 'Baidu',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 25_000,
    upShare: 0.1,
    blocks: [['220.181.0.0', 16]],
  },
  {
    app: 'Naver',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 25_000,
    upShare: 0.1,
    blocks: [['125.209.192.0', 18]],
  },
  {
    app: 'UOL',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 25_000,
    upShare: 0.1,
    blocks: [['200.147.0.0', 16]],
  },
  {
    app: 'Telstra',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 20_000,
    upShare: 0.1,
    blocks: [['1.128.0.0', 11]],
  },
  {
    app: 'Jio',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 20_000,
    upShare: 0.1,
    blocks: [['49.32.0.0', 11]],
  },
  {
    app: 'OVHcloud',
    port: 443,
    proto: TCP,
    weight: 2,
    downBytes: 50_000,
    upShare: 0.3,
    blocks: [['51.38.0.0', 16]],
  },
  {
    app: 'Hetzner',
    port: 22,
    proto: TCP,
    weight: 2,
    downBytes: 8_000,
    upShare: 0.6,
    blocks: [['88.198.0.0', 16]],
  },
  {
    app: 'BT',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 20_000,
    upShare: 0.1,
    blocks: [['81.128.0.0', 11]],
  },
  {
    app: 'Telefonica',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 20_000,
    upShare: 0.1,
    blocks: [['80.58.0.0', 16]],
  },
  {
    app: 'Safaricom',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 15_000,
    upShare: 0.1,
    blocks: [['196.201.208.0', 20]],
  },
  {
    app: 'NTT',
    port: 443,
    proto: TCP,
    weight: 1,
    downBytes: 20_000,
    upShare: 0.1,
    blocks: [['210.130.0.0', 16]],
  },
  {
    app: 'DNS',
    port: 53,
    proto: UDP,
    weight: 12,
    downBytes: 300,
    upShare: 0.5,
    blocks: [
      ['8.8.8.0', 24],
      ['1.1.1.0', 24],
      ['9.9.9.0', 24],
    ],
  },
  {
    app: 'NTP',
    port: 123,
    proto: UDP,
    weight: 2,
    downBytes: 90,
    upShare: 1,
    blocks: [['162.159.200.0', 24]],
  },
  {
    app: 'IMAPS',
    port: 993,
    proto: TCP,
    weight: 2,
    downBytes: 12_000,
    upShare: 0.2,
    blocks: [['74.125.0.0', 16]],
  },
  {
    app: 'BitTorrent',
    port: 6881,
    proto: UDP,
    weight: 1,
    downBytes: 250_000,
    upShare: 0.7,
    blocks: [
      ['95.24.0.0', 13],
      ['86.0.0.0', 11],
      ['179.0.0.0', 10],
      ['114.0.0.0', 10],
    ],
  },
];

/** The local network: `10.20.<subnet>.<host>`, a few hundred hosts over four VLANs. */
export const LOCAL_SUBNETS = [10, 20, 30, 40];
export const HOSTS_PER_SUBNET = 80;

/** One exporter of the demo: where its datagrams come from and what it speaks. */
export interface DemoExporterSpec {
  name: string;
  /** Loopback source address, so each exporter is its own device in FlowLens. */
  address: string;
  protocol: 'netflow9' | 'ipfix' | 'sflow';
  /** Share of the generated flows this exporter reports. */
  share: number;
  samplingRate: number;
}

export const EXPORTERS: DemoExporterSpec[] = [
  { name: 'edge-router', address: '127.0.0.2', protocol: 'netflow9', share: 0.5, samplingRate: 1 },
  { name: 'branch-firewall', address: '127.0.0.3', protocol: 'ipfix', share: 0.35, samplingRate: 1 },
  { name: 'core-switch', address: '127.0.0.4', protocol: 'sflow', share: 0.15, samplingRate: 256 },
];

/** Interfaces of every exporter: 1 faces the internet, 2 the LAN. */
export const IF_WAN = 1;
export const IF_LAN = 2;

/** Enterprise field carrying the application name (RFC 5612 documentation PEN). */
export const APP_NAME_PEN = 32473;
export const APP_NAME_IE = 1;
/** The same for NetFlow v9 (a vendor-range field id). */
export const APP_NAME_V9_IE = 45001;
/** Bytes of the application-name field (NUL padded). */
export const APP_NAME_BYTES = 24;
