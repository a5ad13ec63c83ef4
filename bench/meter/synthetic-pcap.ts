/**
 * A deterministic synthetic capture for the meter benchmark: `flows` flows
 * over `packets` packets, interleaved as real traffic is. Mix: 60 % TCP with
 * a handshake, 30 % UDP, 10 % IPv6 TCP; every 8th flow VLAN-tagged, every
 * 50th in VXLAN and every 50th in GRE (or every flow in one of them, in
 * GTP-U, in IP or under MPLS labels: `tunnel`, a capture of mirrored
 * overlay, mobile or provider traffic).
 */
import { open } from 'node:fs/promises';

const ETH = 14;

function ipv4(b: Uint8Array, o: number, len: number, proto: number, src: number, dst: number): number {
  b.set([0x45, 0, len >> 8, len & 255, 0, 0, 0x40, 0, 64, proto, 0, 0], o);
  for (let i = 0; i < 4; i++) {
    b[o + 12 + i] = (src >>> (24 - 8 * i)) & 255;
    b[o + 16 + i] = (dst >>> (24 - 8 * i)) & 255;
  }
  return o + 20;
}

/** Every flow in this tunnel, rather than one in 50 in each of VXLAN and GRE. */
export type SyntheticTunnel = 'vxlan' | 'gre' | 'gtp' | 'mpls' | 'ipip';

/** One frame of flow `f`, packet number `k` within it (direction alternates). */
function frame(f: number, k: number, out: Uint8Array, allIn?: SyntheticTunnel): number {
  const reverse = k % 2 === 1;
  const kind = f % 10 < 6 ? 'tcp' : f % 10 < 9 ? 'udp' : 'tcp6';
  const client = (0x0a000000 | (f & 0xffffff)) >>> 0;
  const server = (0xc0000200 | (f % 200)) >>> 0;
  const sport = 1024 + (f % 60000);
  const dport = kind === 'udp' ? 53 : 443;
  const payload = k < 3 && kind !== 'udp' ? 0 : 100 + (f % 400);
  out.set([0, 0x11, 0x22, 0x33, 0x44, reverse ? 1 : 2, 0, 0x11, 0x22, 0x33, 0x44, reverse ? 2 : 1], 0);
  let o = 12;
  if (f % 8 === 0) {
    out.set([0x81, 0x00, 0, 10 + (f % 100)], o);
    o += 4;
  }
  const tunnel = allIn ?? (f % 50 === 1 ? 'vxlan' : f % 50 === 2 ? 'gre' : '');
  const l4 = kind === 'udp' ? 8 : 20;
  const innerLen = (kind === 'tcp6' ? 40 : 20) + l4 + payload;
  if (tunnel === 'vxlan') {
    out.set([0x08, 0x00], o);
    o = ipv4(out, o + 2, 20 + 8 + 8 + ETH + innerLen, 17, 0xac100001, 0xac100002);
    out.set([0x30, 0x39, 0x12, 0xb5, (8 + 8 + ETH + innerLen) >> 8, (8 + 8 + ETH + innerLen) & 255, 0, 0], o);
    out.set([0x08, 0, 0, 0, 0, 0, 42, 0], o + 8);
    o += 16;
    out.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6], o);
    o += 12;
  } else if (tunnel === 'gre') {
    out.set([0x08, 0x00], o);
    o = ipv4(out, o + 2, 20 + 4 + innerLen, 47, 0xac100003, 0xac100004);
    out.set([0, 0, kind === 'tcp6' ? 0x86 : 0x08, kind === 'tcp6' ? 0xdd : 0x00], o);
    o += 4;
    o -= 2; // the EtherType written below is GRE's protocol type already
  } else if (tunnel === 'gtp') {
    // GTP-U as on 5G's N3: a G-PDU with the E flag and a PDU session container (TS 38.415), the
    // flow's own TEID, IP inside without Ethernet.
    const gtp = 16;
    out.set([0x08, 0x00], o);
    o = ipv4(out, o + 2, 20 + 8 + gtp + innerLen, 17, 0xac100005, 0xac100006);
    out.set([0x08, 0x68, 0x08, 0x68, (8 + gtp + innerLen) >> 8, (8 + gtp + innerLen) & 255, 0, 0], o);
    const teid = f + 1;
    const length = gtp - 8 + innerLen;
    const header = [
      0x34,
      0xff,
      length >> 8,
      length & 255,
      teid >>> 24,
      (teid >>> 16) & 255,
      (teid >>> 8) & 255,
    ];
    out.set([...header, teid & 255, 0, 0, 0, 0x85, 1, 0x10, 0x09, 0], o + 8);
    o += 8 + gtp;
  } else if (tunnel === 'mpls') {
    // Two labels, as on a provider's core links (a transport label, then a VPN label, bottom of stack).
    const vpn = 16 + (f % 1000);
    out.set([0x88, 0x47, 0x00, 0x3e, 0x80, 64, vpn >> 12, (vpn >> 4) & 255, ((vpn & 15) << 4) | 1, 64], o);
    o += 10;
  } else if (tunnel === 'ipip') {
    // IP in IPv4 between two sites: protocol 4, or 41 (6in4) for the IPv6 flows.
    out.set([0x08, 0x00], o);
    o = ipv4(out, o + 2, 20 + innerLen, kind === 'tcp6' ? 41 : 4, 0xac100007, 0xac100008);
  }
  if (tunnel === 'gre') o += 2;
  else if (tunnel !== 'gtp' && tunnel !== 'mpls' && tunnel !== 'ipip') {
    out.set(kind === 'tcp6' ? [0x86, 0xdd] : [0x08, 0x00], o);
    o += 2;
  }
  const [s, d, sp, dp] = reverse ? [server, client, dport, sport] : [client, server, sport, dport];
  if (kind === 'tcp6') {
    out.set([0x60, 0, 0, 0, (l4 + payload) >> 8, (l4 + payload) & 255, 6, 64], o);
    out.fill(0, o + 8, o + 40);
    out.set([0x20, 0x01, 0x0d, 0xb8], o + 8);
    out.set([0x20, 0x01, 0x0d, 0xb8], o + 24);
    for (let i = 0; i < 4; i++) {
      out[o + 20 + i] = (s >>> (24 - 8 * i)) & 255;
      out[o + 36 + i] = (d >>> (24 - 8 * i)) & 255;
    }
    o += 40;
  } else o = ipv4(out, o, innerLen, kind === 'udp' ? 17 : 6, s, d);
  out.set([sp >> 8, sp & 255, dp >> 8, dp & 255], o);
  if (kind === 'udp') out.set([(8 + payload) >> 8, (8 + payload) & 255, 0, 0], o + 4);
  else {
    const flags = k === 0 ? 0x02 : k === 1 ? 0x12 : 0x10;
    const seq = reverse ? 5000 + k * 500 : 1000 + k * 500;
    out.set(
      [
        seq >>> 24,
        (seq >>> 16) & 255,
        (seq >>> 8) & 255,
        seq & 255,
        0,
        0,
        0,
        1,
        0x50,
        flags,
        0xff,
        0xff,
        0,
        0,
        0,
        0,
      ],
      o + 4,
    );
  }
  o += l4;
  out.fill(0x61, o, o + payload);
  return o + payload;
}

/**
 * Writes the capture; resolves with its packet count. Flows run in
 * overlapping waves of `wave` (1,000) so that many are concurrent, as on a
 * real link.
 */
export async function writeSyntheticPcap(
  path: string,
  packets: number,
  flows: number,
  wave = 1000,
  tunnel?: SyntheticTunnel,
): Promise<number> {
  const fh = await open(path, 'w');
  const chunk = new Uint8Array(8 << 20);
  const dv = new DataView(chunk.buffer);
  const hdr = new DataView(new ArrayBuffer(24));
  hdr.setUint32(0, 0xa1b2c3d4, true);
  hdr.setUint16(4, 2, true);
  hdr.setUint16(6, 4, true);
  hdr.setUint32(16, 65535, true);
  hdr.setUint32(20, 1, true);
  await fh.write(new Uint8Array(hdr.buffer));
  const perFlow = Math.max(1, Math.floor(packets / flows));
  const scratch = new Uint8Array(2048);
  let used = 0;
  let n = 0;
  for (let base = 0; base < flows; base += wave) {
    for (let k = 0; k < perFlow; k++) {
      for (let f = base; f < Math.min(base + wave, flows); f++) {
        const len = frame(f, k, scratch, tunnel);
        if (used + 16 + len > chunk.length) {
          await fh.write(chunk.subarray(0, used));
          used = 0;
        }
        const us = n * 10; // 100k packets per second of capture time
        dv.setUint32(used, 1_700_000_000 + Math.floor(us / 1e6), true);
        dv.setUint32(used + 4, us % 1e6, true);
        dv.setUint32(used + 8, len, true);
        dv.setUint32(used + 12, len, true);
        chunk.set(scratch.subarray(0, len), used + 16);
        used += 16 + len;
        n++;
      }
    }
  }
  await fh.write(chunk.subarray(0, used));
  await fh.sync(); // written back before the tools read it: no write-back competing with the first one
  await fh.close();
  return n;
}
