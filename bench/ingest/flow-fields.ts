/**
 * The flow record both generated streams carry: a typical Cisco-style IPv4
 * template of 18 fields (addresses, ports, protocol, ToS, TCP flags,
 * interfaces, counters, start/end times, AS numbers, masks, next hop), and a
 * deterministic generator of varied field values.
 *
 * Element numbers are the same in NetFlow v9 (RFC 3954 §8) and IPFIX (IANA
 * "IPFIX Information Elements"); only the time fields and counter widths differ.
 */

/** One template field: element id and encoded length in bytes. */
export interface TemplateField {
  id: number;
  length: number;
}

/** What one generated flow holds; times are offsets in ms from the stream's base time. */
export interface FlowValues {
  src: number;
  dst: number;
  nextHop: number;
  srcPort: number;
  dstPort: number;
  proto: number;
  tos: number;
  tcpFlags: number;
  inIf: number;
  outIf: number;
  bytes: number;
  packets: number;
  startOffsetMs: number;
  endOffsetMs: number;
  srcAs: number;
  dstAs: number;
  srcMask: number;
  dstMask: number;
}

/** Element ids shared by NetFlow v9 and IPFIX. */
export const IE = {
  octets: 1,
  packets: 2,
  proto: 4,
  tos: 5,
  tcpFlags: 6,
  srcPort: 7,
  srcAddr: 8,
  srcMask: 9,
  inIf: 10,
  dstPort: 11,
  dstAddr: 12,
  dstMask: 13,
  outIf: 14,
  nextHop: 15,
  srcAs: 16,
  dstAs: 17,
  /** NetFlow v9 LAST_SWITCHED / FIRST_SWITCHED: sysUptime in ms (RFC 3954 §8). */
  lastSwitched: 21,
  firstSwitched: 22,
  /** IPFIX flowStartMilliseconds / flowEndMilliseconds (IANA IE 152/153). */
  flowStartMs: 152,
  flowEndMs: 153,
} as const;

/**
 * A small deterministic PRNG (mulberry32), so two runs send identical bytes.
 * Returns a function yielding uint32 values.
 */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const WELL_KNOWN_PORTS = [53, 80, 123, 443, 443, 443, 993, 3306, 5432, 8080];
const TCP = 6;
const UDP = 17;

/** The next flow: addresses in 10.0.0.0/8 and 192.168.0.0/16, a mix of TCP and UDP services. */
export function nextFlow(rnd: () => number): FlowValues {
  const r = rnd();
  const tcp = (r & 3) !== 0;
  const packets = 1 + (rnd() % 2000);
  const duration = rnd() % 60_000;
  const start = rnd() % 30_000;
  return {
    src: (0x0a000000 | (rnd() & 0x00ffffff)) >>> 0,
    dst: (0xc0a80000 | (rnd() & 0xffff)) >>> 0,
    nextHop: (0x0a000001 + (r % 8)) >>> 0,
    srcPort: 1024 + (rnd() % 64_000),
    dstPort: WELL_KNOWN_PORTS[(r >>> 4) % WELL_KNOWN_PORTS.length]!,
    proto: tcp ? TCP : UDP,
    tos: (r >>> 8) & 0xfc,
    tcpFlags: tcp ? 0x1b : 0,
    inIf: 1 + ((r >>> 12) % 48),
    outIf: 1 + ((r >>> 18) % 48),
    bytes: packets * (64 + (rnd() % 1400)),
    packets,
    startOffsetMs: start,
    endOffsetMs: start + duration,
    srcAs: 64_512 + (rnd() % 1000),
    dstAs: 13_335 + (rnd() % 100),
    srcMask: 24,
    dstMask: 16 + ((r >>> 24) % 9),
  };
}
