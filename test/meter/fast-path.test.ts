/**
 * The decoder's fast path (decode/packet/fast-path.ts) agrees with the
 * general decoder, which is the definition: every frame of the shared
 * captures decodes to the same status and the same view through both, frame
 * after frame (a tunnelled frame's fields must not outlive it). Packets in
 * VXLAN, Geneve, GTP-U, GRE (ERSPAN included), IP, and under MPLS labels are taken by the fast path
 * (FAST_TUNNEL) and still agree, whatever the GRE options, GTP-U's optional
 * fields and extension headers, and the inner packet; the tunnels it leaves
 * to the general decoder (no VXLAN I flag, Geneve or GRE versions other than
 * 0, GTP signalling and broken extension chains, a tunnel in a tunnel, an
 * inner frame that is not IP or is cut short) are declined.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createPacketDecoder,
  TUNNEL_GRE,
  TUNNEL_ERSPAN,
  TUNNEL_GENEVE,
  TUNNEL_VXLAN,
  type PacketView,
} from '../../src/decode/packet/index.ts';
import { TUNNEL_GTP_U } from '../../src/decode/packet/packet-view.ts';
import { dataViewOf } from '../../src/decode/packet/bytes.ts';
import {
  decodeCommonFrame,
  FAST_MPLS,
  FAST_NONE,
  FAST_PLAIN,
  FAST_TUNNEL,
} from '../../src/decode/packet/fast-path.ts';
import { createPacketView, resetPacketView } from '../../src/decode/packet/packet-view.ts';
import { sharedCaptureFrames } from '../support/shared-frames.ts';

const DIRS = ['tunnels', 'mixed_voip_retrans', 'dhcp', 'mdns_ssdp'];
const LINKTYPE_ETHERNET = 1;

/** Every field of a view, the used MPLS labels only. */
function snapshot(v: PacketView): Record<string, unknown> {
  return { ...v, addr: [...v.addr], mplsLabels: [...v.mplsLabels.subarray(0, v.mplsCount)] };
}

test('the fast path and the general decoder agree on every frame of the shared captures', async () => {
  const fast = createPacketDecoder();
  const general = createPacketDecoder({ fastPath: false });
  let frames = 0;
  let tunnelled = 0;
  const mismatches: string[] = [];
  for await (const { where, packet: p } of sharedCaptureFrames(DIRS)) {
    frames++;
    const want = general.decode(p.linkType, p.data);
    const got = fast.decode(p.linkType, p.data);
    if (got !== want) mismatches.push(`${where}: ${got} != ${want}`);
    else
      try {
        assert.deepEqual(snapshot(fast.view), snapshot(general.view));
      } catch (e) {
        mismatches.push(`${where}: ${(e as Error).message.slice(0, 400)}`);
      }
    const tunnel = general.view.tunnelType;
    if (
      p.linkType === LINKTYPE_ETHERNET &&
      [TUNNEL_GRE, TUNNEL_ERSPAN, TUNNEL_VXLAN, TUNNEL_GENEVE, TUNNEL_GTP_U].includes(tunnel)
    )
      tunnelled++;
  }
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.ok(
    frames > 10_000 && tunnelled > 500,
    `${frames} frames, ${tunnelled} in VXLAN, Geneve, GTP-U, GRE or ERSPAN`,
  );
});

// Frames built byte by byte: Ethernet (optionally tagged), IPv4, and what the test puts on top.
const MAC_A = [0x00, 0x11, 0x22, 0x33, 0x44, 0x01];
const MAC_B = [0x00, 0x11, 0x22, 0x33, 0x44, 0x02];

function ethernet(type: number, vlan?: number): number[] {
  const tag = vlan === undefined ? [] : [0x81, 0x00, vlan >> 8, vlan & 0xff];
  return [...MAC_B, ...MAC_A, ...tag, type >> 8, type & 0xff];
}

function ipv4(proto: number, src: number, dst: number, payload: number[]): number[] {
  const total = 20 + payload.length;
  const be32 = (x: number): number[] => [x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff];
  return [
    0x45,
    0x10,
    total >> 8,
    total & 0xff,
    0,
    1,
    0,
    0,
    64,
    proto,
    0,
    0,
    ...be32(src),
    ...be32(dst),
    ...payload,
  ];
}

function ipv6(next: number, payload: number[]): number[] {
  const addr = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), last];
  const plen = payload.length;
  return [0x60, 0, 0, 0, plen >> 8, plen & 0xff, next, 64, ...addr(1), ...addr(2), ...payload];
}

function tcp(sport: number, dport: number, data: number[] = []): number[] {
  return [
    sport >> 8,
    sport & 0xff,
    dport >> 8,
    dport & 0xff,
    0,
    0,
    0,
    7,
    0,
    0,
    0,
    9,
    0x50,
    0x18,
    0x10,
    0,
    0,
    0,
    0,
    0,
    ...data,
  ];
}

function udp(sport: number, dport: number, data: number[]): number[] {
  const len = 8 + data.length;
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...data];
}

function vxlan(vni: number, inner: number[], flags = 0x08): number[] {
  return [flags, 0, 0, 0, vni >>> 16, (vni >>> 8) & 0xff, vni & 0xff, 0, ...inner];
}

function gre(
  type: number,
  inner: number[],
  opts: { key?: number; checksum?: boolean; seq?: boolean; version?: number } = {},
): number[] {
  const flags =
    (opts.checksum ? 0x8000 : 0) |
    (opts.key !== undefined ? 0x2000 : 0) |
    (opts.seq ? 0x1000 : 0) |
    (opts.version ?? 0);
  const k = opts.key ?? 0;
  return [
    flags >> 8,
    flags & 0xff,
    type >> 8,
    type & 0xff,
    ...(opts.checksum ? [0, 0, 0, 0] : []),
    ...(opts.key !== undefined ? [k >>> 24, (k >>> 16) & 0xff, (k >>> 8) & 0xff, k & 0xff] : []),
    ...(opts.seq ? [0, 0, 0, 1] : []),
    ...inner,
  ];
}

/** A Geneve header (version 0) with `optionWords` 4-byte words of options, then `inner` of protocol `type`. */
function geneve(type: number, vni: number, inner: number[], optionWords = 0, version = 0): number[] {
  const options = Array<number>(optionWords * 4).fill(0xaa);
  return [
    (version << 6) | optionWords,
    0,
    type >> 8,
    type & 0xff,
    vni >>> 16,
    (vni >>> 8) & 0xff,
    vni & 0xff,
    0,
    ...options,
    ...inner,
  ];
}

/**
 * A GTP-U header (version 1, protocol type GTP) of message `type` and TEID
 * `teid`; `extensions` (each a whole extension header, its length byte
 * first) set the E flag and the first one's type, `sequence` the S flag.
 */
function gtpU(
  teid: number,
  inner: number[],
  opts: { type?: number; sequence?: boolean; extensions?: number[][]; version?: number } = {},
): number[] {
  const ext = opts.extensions ?? [];
  const optional = opts.sequence || ext.length > 0;
  const rest = [...(optional ? [0, 7, 0, ext.length > 0 ? 0x85 : 0] : []), ...ext.flat(), ...inner];
  const flags = ((opts.version ?? 1) << 5) | 0x10 | (ext.length > 0 ? 0x04 : 0) | (opts.sequence ? 0x02 : 0);
  return [
    flags,
    opts.type ?? 0xff,
    rest.length >> 8,
    rest.length & 0xff,
    teid >>> 24,
    (teid >>> 16) & 0xff,
    (teid >>> 8) & 0xff,
    teid & 0xff,
    ...rest,
  ];
}
/** 5G's PDU session container (TS 38.415), 4 bytes, then extension type `next`. */
const pduSession = (next = 0): number[] => [1, 0x10, 0x09, next];

const OUTER_A = 0xac100001;
const OUTER_B = 0xac100002;
const innerTcp = (vlan?: number): number[] => [
  ...ethernet(0x0800, vlan),
  ...ipv4(6, 0x0a000001, 0x0a000002, tcp(40000, 443, [1, 2, 3])),
];
const innerUdp6 = (): number[] => [...ethernet(0x86dd), ...ipv6(17, udp(5353, 53, [9, 9, 9, 9]))];
const overVxlan = (inner: number[], flags?: number): number[] => [
  ...ethernet(0x0800, 10),
  ...ipv4(17, OUTER_A, OUTER_B, udp(51000, 4789, vxlan(0xabcdef, inner, flags))),
];
const overUdp = (sport: number, dport: number, payload: number[]): number[] => [
  ...ethernet(0x0800),
  ...ipv4(17, OUTER_A, OUTER_B, udp(sport, dport, payload)),
];
const overIp = (proto: number, inner: number[]): number[] => [
  ...ethernet(0x0800),
  ...ipv4(proto, OUTER_A, OUTER_B, inner),
];
const overGre = (type: number, inner: number[], opts?: Parameters<typeof gre>[2]): number[] => [
  ...ethernet(0x0800),
  ...ipv4(47, OUTER_A, OUTER_B, gre(type, inner, opts)),
];

const TAKEN: [string, number[]][] = [
  ['VXLAN, TCP inside', overVxlan(innerTcp())],
  ['VXLAN, tagged frame inside', overVxlan(innerTcp(42))],
  [
    'VXLAN on Linux port 8472, IPv6 UDP inside',
    [...ethernet(0x0800), ...ipv4(17, OUTER_A, OUTER_B, udp(8472, 40001, vxlan(7, innerUdp6())))],
  ],
  ['GRE, IPv4 inside', overGre(0x0800, ipv4(6, 0x0a000001, 0x0a000002, tcp(40000, 443)))],
  [
    'GRE with checksum, key and sequence, IPv6 inside',
    overGre(0x86dd, ipv6(6, tcp(40000, 443, [5])), { checksum: true, key: 0xfedcba98, seq: true }),
  ],
  ['GRE, Ethernet inside', overGre(0x6558, innerTcp(5), { key: 77 })],
  ['Geneve with options, Ethernet inside', overUdp(45000, 6081, geneve(0x6558, 0x123456, innerTcp(), 2))],
  ['Geneve, IPv6 inside', overUdp(6081, 6081, geneve(0x86dd, 9, ipv6(17, udp(1234, 53, [1, 2]))))],
  ['ERSPAN type I', overGre(0x88be, innerTcp())],
  [
    'ERSPAN type II, session 0x155',
    overGre(0x88be, [0x10, 0, 0x01, 0x55, 0, 0, 0, 0, ...innerTcp(3)], { seq: true }),
  ],
  [
    'ERSPAN type III with platform fields',
    overGre(
      0x22eb,
      [0x20, 0, 0x02, 0x07, 0, 0, 0, 0, 0, 0, 0, 1, ...Array<number>(8).fill(0), ...innerTcp()],
      { seq: true },
    ),
  ],
];

TAKEN.push(
  [
    'GTP-U, IPv4 TCP inside',
    overUdp(2152, 2152, gtpU(0xdeadbeef, ipv4(6, 0x0a000001, 0x0a000002, tcp(40000, 443)))),
  ],
  [
    'GTP-U with a sequence number, IPv6 UDP inside',
    overUdp(2152, 2152, gtpU(7, ipv6(17, udp(1234, 53, [1])), { sequence: true })),
  ],
  [
    'GTP-U with two extension headers (5G N3), IPv4 UDP inside',
    overUdp(
      40000,
      2152,
      gtpU(0x10, ipv4(17, 0x0a000001, 0x0a000002, udp(1, 2, [3])), {
        extensions: [pduSession(0xc0), [1, 0, 5, 0]],
      }),
    ),
  ],
);

TAKEN.push(
  ['IP in IP (4in4)', overIp(4, ipv4(6, 0x0a000001, 0x0a000002, tcp(40000, 22, [1])))],
  ['IPv6 in IPv4 (6in4)', overIp(41, ipv6(17, udp(1234, 53, [1, 2])))],
  ['IPv6 in IPv6 (6in6)', [...ethernet(0x86dd), ...ipv6(41, ipv6(6, tcp(1, 2)))]],
  ['IPv4 in IPv6 (4in6)', [...ethernet(0x86dd), ...ipv6(4, ipv4(17, 0x0a000001, 0x0a000002, udp(1, 2, [])))]],
  [
    'IP in IP, the version and not the protocol deciding (IPv6 under protocol 4)',
    overIp(4, ipv6(6, tcp(1, 2))),
  ],
);

/** An MPLS label stack of `labels` (the last one bottom of stack), then `inner`. */
function mpls(labels: number[], inner: number[], bottom = true): number[] {
  return [
    ...labels.flatMap((l, i) => [
      l >>> 12,
      (l >>> 4) & 0xff,
      ((l & 0xf) << 4) | (bottom && i === labels.length - 1 ? 1 : 0),
      64,
    ]),
    ...inner,
  ];
}
const overMpls = (labels: number[], inner: number[], vlan?: number, bottom = true): number[] => [
  ...ethernet(0x8847, vlan),
  ...mpls(labels, inner, bottom),
];

/** Taken under an MPLS label stack (FAST_MPLS). */
const LABELLED: [string, number[]][] = [
  ['MPLS, one label, IPv4 TCP', overMpls([16], ipv4(6, 0x0a000001, 0x0a000002, tcp(40000, 443, [1])))],
  [
    'MPLS, three labels behind a VLAN tag, IPv6 UDP',
    overMpls([1000, 0xfffff, 3], ipv6(17, udp(1, 2, [3])), 7),
  ],
  [
    'MPLS, six labels (four kept), IPv4 UDP',
    overMpls([1, 2, 3, 4, 5, 6], ipv4(17, 0x0a000001, 0x0a000002, udp(9, 10, []))),
  ],
  [
    'MPLS, VXLAN under the labels',
    overMpls([24], ipv4(17, OUTER_A, OUTER_B, udp(51000, 4789, vxlan(5, innerTcp())))),
  ],
];

const DECLINED: [string, number[]][] = [
  ['IP in IP, GRE inside', overIp(4, ipv4(47, 0x0a000001, 0x0a000002, gre(0x0800, innerTcp().slice(14))))],
  ['IP in IP, nothing inside', overIp(4, [])],
  ['IP in IP, not IP inside', overIp(4, Array<number>(40).fill(0x11))],
  [
    'MPLS, 17 labels and no bottom of stack',
    overMpls(
      Array.from({ length: 17 }, (_, i) => i + 16),
      innerTcp().slice(14),
      undefined,
      false,
    ),
  ],
  ['MPLS, an Ethernet pseudowire with a control word', overMpls([100], [0, 0, 0, 0, ...innerTcp()])],
  [
    'MPLS, the stack cut short',
    [...ethernet(0x8847), ...mpls([5, 6], [], false), ...Array<number>(20).fill(0)].slice(0, 20),
  ],
  [
    'MPLS inside VXLAN',
    overVxlan([...ethernet(0x8847), ...mpls([7], ipv4(6, 0x0a000001, 0x0a000002, tcp(1, 2)))]),
  ],
  ['GTP-U echo request', overUdp(2152, 2152, gtpU(0, [0, 0, 0, 0], { type: 1, sequence: true }))],
  ['GTPv2 on the GTP-U port', overUdp(2152, 2152, gtpU(1, innerTcp().slice(14), { version: 2 }))],
  [
    'GTP-U, an extension header of length 0',
    overUdp(2152, 2152, gtpU(1, innerTcp().slice(14), { extensions: [[0, 0, 0, 0]] })),
  ],
  [
    'GTP-U, the extension chain cut short',
    overUdp(2152, 2152, gtpU(1, [], { extensions: [pduSession(0x85)] })),
  ],
  [
    'GTP-U, ten extension headers',
    overUdp(
      2152,
      2152,
      gtpU(1, innerTcp().slice(14), {
        extensions: [...Array.from({ length: 9 }, () => pduSession(0x85)), pduSession()],
      }),
    ),
  ],
  ['GTP-U, not IP inside', overUdp(2152, 2152, gtpU(1, Array<number>(28).fill(0x11)))],
  [
    'GTP-U, VXLAN inside',
    overUdp(2152, 2152, gtpU(1, ipv4(17, 0x0a000009, 0x0a00000a, udp(1, 4789, vxlan(3, innerTcp()))))),
  ],
  ['VXLAN without the I flag', overVxlan(innerTcp(), 0)],
  ['Geneve version 1', overUdp(45000, 6081, geneve(0x6558, 1, innerTcp(), 0, 1))],
  ['Geneve from the GTP-U port (GTP first)', overUdp(2152, 6081, geneve(0x6558, 1, innerTcp()))],
  ['Geneve, ARP inside', overUdp(45000, 6081, geneve(0x0806, 1, Array<number>(28).fill(1)))],
  ['ERSPAN type II cut within its header', overGre(0x88be, [0x10, 0, 0x01], { seq: true })],
  ['VXLAN, ARP inside', overVxlan([...ethernet(0x0806), ...Array<number>(28).fill(1)])],
  [
    'VXLAN, ICMP inside',
    overVxlan([...ethernet(0x0800), ...ipv4(1, 0x0a000001, 0x0a000002, [8, 0, 0, 0, 0, 1, 0, 1])]),
  ],
  ['VXLAN in GRE', overGre(0x0800, ipv4(17, 0x0a000009, 0x0a00000a, udp(1, 4789, vxlan(3, innerTcp()))))],
  ['GRE version 1 (PPTP)', overGre(0x880b, [0xff, 3, 0, 0x21], { key: 0x00040001, seq: true, version: 1 })],
  ['GRE, Ethernet inside cut short', overGre(0x6558, innerTcp().slice(0, 40))],
  [
    'GRE, a GTP port inside',
    overGre(
      0x0800,
      ipv4(17, 0x0a000001, 0x0a000002, udp(2152, 2152, [0x30, 0xff, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0])),
    ),
  ],
];

test('packets in VXLAN, Geneve, GTP-U, GRE and IP, and under MPLS labels, are the fast path’s, decoded as the general decoder does', () => {
  const general = createPacketDecoder({ fastPath: false });
  const v = createPacketView();
  for (const [name, bytes] of TAKEN) {
    const frame = Uint8Array.from(bytes);
    resetPacketView(v);
    assert.equal(decodeCommonFrame(v, frame, dataViewOf(frame), 0, frame.length), FAST_TUNNEL, name);
    assert.equal(general.decode(LINKTYPE_ETHERNET, frame), 'ok', name);
    assert.ok(general.view.tunnelType !== 0, name);
    assert.deepEqual(snapshot(v), snapshot(general.view), name);
  }
  for (const [name, bytes] of LABELLED) {
    const frame = Uint8Array.from(bytes);
    resetPacketView(v);
    assert.equal(decodeCommonFrame(v, frame, dataViewOf(frame), 0, frame.length), FAST_MPLS, name);
    assert.equal(general.decode(LINKTYPE_ETHERNET, frame), 'ok', name);
    assert.ok(general.view.mplsCount > 0, name);
    assert.deepEqual(snapshot(v), snapshot(general.view), name);
  }
  for (const [name, bytes] of DECLINED) {
    const frame = Uint8Array.from(bytes);
    resetPacketView(v);
    assert.equal(decodeCommonFrame(v, frame, dataViewOf(frame), 0, frame.length), FAST_NONE, name);
  }
});

test('a frame after a tunnelled or labelled one carries none of its tunnel or MPLS fields', () => {
  const fast = createPacketDecoder();
  const general = createPacketDecoder({ fastPath: false });
  const plain = Uint8Array.from(innerTcp(8));
  const frames = [
    ...TAKEN.map(([, b]) => Uint8Array.from(b)),
    plain,
    ...LABELLED.map(([, b]) => Uint8Array.from(b)),
    plain,
    ...DECLINED.map(([, b]) => Uint8Array.from(b)),
    plain,
  ];
  for (const [i, frame] of frames.entries()) {
    assert.equal(
      fast.decode(LINKTYPE_ETHERNET, frame),
      general.decode(LINKTYPE_ETHERNET, frame),
      `frame ${i}`,
    );
    assert.deepEqual(snapshot(fast.view), snapshot(general.view), `frame ${i}`);
  }
  const v = createPacketView();
  assert.equal(decodeCommonFrame(v, plain, dataViewOf(plain), 0, plain.length), FAST_PLAIN);
  assert.equal(fast.view.tunnelType, 0);
  assert.deepEqual([...fast.view.addr.subarray(8)], Array<number>(8).fill(0));
});
