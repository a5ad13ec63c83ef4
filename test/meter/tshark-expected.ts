/**
 * What tshark says the meter should count in a capture: per directional inner
 * 5-tuple, packets and IP bytes (IPv4 total length, IPv6 payload length + 40
 * of the innermost IP header before the innermost TCP/UDP header), the frames
 * tshark flags `tcp.analysis.retransmission`, and its `-z conv` tables.
 */
import { runToExit } from '../support/child-process.ts';

/** Counts for one direction of a 5-tuple ("src|sport|dst|dport|proto"). */
export interface DirectionCounts {
  packets: number;
  bytes: number;
  retransmissions: number;
}

export interface TsharkExpectation {
  /** Innermost TCP/UDP header of each frame, counted per direction. */
  inner: Map<string, DirectionCounts>;
  /** Directional keys that appear as a carrier (a TCP/UDP header with another IP packet inside). */
  carriers: Set<string>;
  /** `-z conv,tcp` and `-z conv,udp` rows summed per directional key: frames. */
  conv: Map<string, number>;
}

const FIELDS = ['frame.protocols', 'ip.src', 'ip.dst', 'ip.len', 'ipv6.src', 'ipv6.dst', 'ipv6.plen'];
const PORT_FIELDS = ['tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'];

async function tshark(bin: string, args: string[]): Promise<string> {
  const r = await runToExit(bin, ['-n', ...args], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`tshark exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Directional key of a 5-tuple. */
export function dirKey(src: string, sport: number, dst: string, dport: number, proto: number): string {
  return `${src}|${sport}|${dst}|${dport}|${proto}`;
}

/** Reads `pcap` with tshark (with extra `-d` decode-as rules). */
export async function readTsharkExpectation(
  bin: string,
  pcap: string,
  decodeAs: string[],
): Promise<TsharkExpectation> {
  const d = decodeAs.flatMap((x) => ['-d', x]);
  const fieldArgs = [...FIELDS, ...PORT_FIELDS].flatMap((f) => ['-e', f]);
  const common = [
    '-r',
    pcap,
    ...d,
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=,',
  ];
  const rows = (await tshark(bin, [...common, '-e', 'frame.number', ...fieldArgs]))
    .split('\n')
    .filter(Boolean);
  const retrans = new Set(
    (
      await tshark(bin, [
        '-r',
        pcap,
        ...d,
        '-Y',
        'tcp.analysis.retransmission',
        '-T',
        'fields',
        '-e',
        'frame.number',
      ])
    )
      .split('\n')
      .filter(Boolean),
  );
  const inner = new Map<string, DirectionCounts>();
  const carriers = new Set<string>();
  for (const row of rows) {
    const [frame = '', ...cols] = row.split('\t');
    const get = (i: number): string[] => (cols[i] ?? '').split(',').filter((x) => x !== '');
    const layers = transportLayers(cols[0] ?? '');
    layers.forEach((l, n) => {
      const v6 = l.family === 6;
      const src = get(v6 ? 4 : 1)[l.ipIndex] ?? '';
      const dst = get(v6 ? 5 : 2)[l.ipIndex] ?? '';
      const sport = Number(get(l.proto === 6 ? 7 : 9)[l.portIndex]);
      const dport = Number(get(l.proto === 6 ? 8 : 10)[l.portIndex]);
      const k = dirKey(src, sport, dst, dport, l.proto);
      // A carrier (another IP packet inside, e.g. ICMP in VXLAN) is the tunnel, not the flow.
      if (n < layers.length - 1 || l.carrier) {
        carriers.add(k);
        return;
      }
      const bytes = v6 ? Number(get(6)[l.ipIndex]) + 40 : Number(get(3)[l.ipIndex]);
      const c = inner.get(k) ?? { packets: 0, bytes: 0, retransmissions: 0 };
      c.packets++;
      c.bytes += bytes;
      if (retrans.has(frame)) c.retransmissions++;
      inner.set(k, c);
    });
  }
  const conv = parseConversations(
    await tshark(bin, ['-r', pcap, ...d, '-q', '-z', 'conv,tcp', '-z', 'conv,udp']),
  );
  return { inner, carriers, conv };
}

interface TransportLayer {
  proto: number;
  family: number;
  /** Occurrence index of the IP header (of its family) and of the port fields (of its protocol). */
  ipIndex: number;
  portIndex: number;
  /** True when another IP packet follows inside (a tunnel's outer UDP). */
  carrier: boolean;
}

/**
 * TCP/UDP layers of a frame from `frame.protocols`, each with the IP header
 * before it. Stops at ICMP/ICMPv6: the headers quoted in an error message are
 * the ICMP flow's payload, not a packet.
 */
function transportLayers(protocols: string): TransportLayer[] {
  const out: TransportLayer[] = [];
  let ip4 = -1;
  let ip6 = -1;
  let family = 0;
  let tcp = -1;
  let udp = -1;
  for (const p of protocols.split(':')) {
    if (p === 'icmp' || p === 'icmpv6') break;
    if (p === 'ip' || p === 'ipv6') {
      if (p === 'ip') ip4++;
      else ip6++;
      family = p === 'ip' ? 4 : 6;
      const last = out.at(-1);
      if (last) last.carrier = true;
    } else if (p === 'tcp' || p === 'udp') {
      if (p === 'tcp') tcp++;
      else udp++;
      const proto = p === 'tcp' ? 6 : 17;
      out.push({
        proto,
        family,
        ipIndex: family === 4 ? ip4 : ip6,
        portIndex: p === 'tcp' ? tcp : udp,
        carrier: false,
      });
    }
  }
  return out;
}

/** Rows of `-z conv,tcp|udp`: "A:pa <-> B:pb  framesB->A bytes  framesA->B bytes ...". */
function parseConversations(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let proto = 0;
  const row = /^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(\d+)\s+[\d.]+\s+\S+\s+(\d+)\s/;
  for (const line of text.split('\n')) {
    if (line.startsWith('TCP Conversations')) proto = 6;
    if (line.startsWith('UDP Conversations')) proto = 17;
    const m = row.exec(line);
    if (!m) continue;
    const [, a = '', pa = '', b = '', pb = '', fromB = '', fromA = ''] = m;
    const add = (k: string, n: number): void => void out.set(k, (out.get(k) ?? 0) + n);
    add(dirKey(a, Number(pa), b, Number(pb), proto), Number(fromA));
    add(dirKey(b, Number(pb), a, Number(pa), proto), Number(fromB));
  }
  return out;
}
