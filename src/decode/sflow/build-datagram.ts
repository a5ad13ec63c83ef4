/**
 * Builders of sFlow v5 datagrams and sampled packets for the tests (not used
 * by the decoder). Everything is a plain byte array; XDR words are big-endian.
 */

/** Big-endian 32-bit words. */
export function u32(...words: number[]): number[] {
  const out: number[] = [];
  for (const w of words) out.push((w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255);
  return out;
}

/** Big-endian 16-bit values. */
export function u16(...values: number[]): number[] {
  const out: number[] = [];
  for (const v of values) out.push((v >>> 8) & 255, v & 255);
  return out;
}

/** XDR opaque padding to a multiple of 4 bytes. */
export function pad4(b: number[]): number[] {
  return b.length % 4 === 0 ? b : [...b, ...new Array<number>(4 - (b.length % 4)).fill(0)];
}

/** A data_format + length + body structure (samples and records alike). */
export function tlv(format: number, body: number[]): number[] {
  return [...u32(format, body.length), ...body];
}

export interface DatagramSpec {
  /** 4 bytes: IPv4 agent, 16: IPv6 agent. */
  agent?: number[];
  subAgentId?: number;
  seq?: number;
  uptime?: number;
  samples: number[][];
  /** Overrides the sample count (hostile counts). */
  count?: number;
}

export function datagram(spec: DatagramSpec): Uint8Array {
  const agent = spec.agent ?? [192, 0, 2, 1];
  return Uint8Array.from([
    ...u32(5, agent.length === 16 ? 2 : 1),
    ...agent,
    ...u32(spec.subAgentId ?? 0, spec.seq ?? 1, spec.uptime ?? 1000, spec.count ?? spec.samples.length),
    ...spec.samples.flat(),
  ]);
}

export interface FlowSampleSpec {
  seq?: number;
  sourceType?: number;
  sourceIndex?: number;
  rate?: number;
  pool?: number;
  drops?: number;
  /** Interface words: compact form packs the format in the top 2 bits. */
  input?: number;
  output?: number;
  records: number[][];
}

/** flow_sample (0:1). */
export function flowSample(s: FlowSampleSpec): number[] {
  const source = ((s.sourceType ?? 0) << 24) | (s.sourceIndex ?? 1);
  return tlv(1, [
    ...u32(s.seq ?? 1, source >>> 0, s.rate ?? 1000, s.pool ?? 0, s.drops ?? 0),
    ...u32(s.input ?? 1, s.output ?? 2, s.records.length),
    ...s.records.flat(),
  ]);
}

export interface ExpandedFlowSampleSpec extends FlowSampleSpec {
  inputFormat?: number;
  outputFormat?: number;
}

/** flow_sample_expanded (0:3). */
export function expandedFlowSample(s: ExpandedFlowSampleSpec): number[] {
  return tlv(3, [
    ...u32(s.seq ?? 1, s.sourceType ?? 0, s.sourceIndex ?? 1, s.rate ?? 1000, s.pool ?? 0, s.drops ?? 0),
    ...u32(s.inputFormat ?? 0, s.input ?? 1, s.outputFormat ?? 0, s.output ?? 2, s.records.length),
    ...s.records.flat(),
  ]);
}

/** counters_sample (0:2) or, with `expanded`, counters_sample_expanded (0:4). */
export function counterSample(sourceIndex: number, records: number[][], expanded = false, seq = 1): number[] {
  const head = expanded ? u32(seq, 0, sourceIndex) : u32(seq, sourceIndex);
  return tlv(expanded ? 4 : 2, [...head, ...u32(records.length), ...records.flat()]);
}

/** sampled_header (0:1) record. */
export function sampledHeader(
  protocol: number,
  frameLength: number,
  header: number[],
  stripped = 4,
): number[] {
  return tlv(1, [...u32(protocol, frameLength, stripped, header.length), ...pad4(header)]);
}

export interface GenericCounters {
  ifIndex: number;
  ifSpeed: number;
  inOctets: number;
  outOctets: number;
  /** The 4-byte counters in order, ifInUcastPkts .. ifOutErrors (11 values). */
  rest?: number[];
}

function hyper(n: number): number[] {
  return u32(Math.floor(n / 2 ** 32), n >>> 0);
}

/** generic if_counters (0:1) record. */
export function genericCounters(c: GenericCounters): number[] {
  const r = c.rest ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return tlv(1, [
    ...u32(c.ifIndex, 6),
    ...hyper(c.ifSpeed),
    ...u32(1, 3),
    ...hyper(c.inOctets),
    ...u32(...r.slice(0, 6)),
    ...hyper(c.outOctets),
    ...u32(...r.slice(6, 11)),
    ...u32(0),
  ]);
}

/** ethernet_counters (0:2) record with the 13 dot3 counters 100..112. */
export function ethernetCounters(): number[] {
  return tlv(2, u32(...Array.from({ length: 13 }, (_, i) => 100 + i)));
}

export const MAC_A = [0x02, 0, 0, 0, 0, 0x0a];
export const MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

/** An Ethernet frame; `tags` are [tpid, vid] pairs, outermost first. */
export function ethernet(etherType: number, payload: number[], tags: [number, number][] = []): number[] {
  return [
    ...MAC_B,
    ...MAC_A,
    ...tags.flatMap(([tpid, vid]) => u16(tpid, vid)),
    ...u16(etherType),
    ...payload,
  ];
}

export function ipv4(
  proto: number,
  src: number[],
  dst: number[],
  payload: number[],
  tos = 0,
  frag = 0,
): number[] {
  return [0x45, tos, ...u16(20 + payload.length, 1, frag), 64, proto, 0, 0, ...src, ...dst, ...payload];
}

export function ipv6(next: number, src: number[], dst: number[], payload: number[], tclass = 0): number[] {
  return [
    0x60 | (tclass >> 4),
    (tclass & 15) << 4,
    0,
    0,
    ...u16(payload.length),
    next,
    64,
    ...src,
    ...dst,
    ...payload,
  ];
}

export function tcp(sport: number, dport: number, flags: number): number[] {
  return [...u16(sport, dport), ...u32(1, 0), 0x50, flags, ...u16(1000, 0, 0)];
}

export function udp(sport: number, dport: number): number[] {
  return [...u16(sport, dport, 8, 0)];
}

/** 2001:db8::<last> */
export function v6(last: number): number[] {
  return [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), last];
}
