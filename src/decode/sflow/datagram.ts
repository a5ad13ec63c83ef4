/**
 * The sFlow v5 datagram (sflow_version_5.txt §5, "sample_datagram_v5"):
 * version, agent address, sub-agent id, sequence number, uptime, then the
 * samples, each a data_format word and a byte length.
 */
import { formatIpv4, formatIpv6 } from '../../common/net.ts';
import type { DatagramContext, DecodeOutput } from '../result.ts';
import { countError } from '../result.ts';
import type { AgentTable } from './agent-state.ts';
import {
  ADDRESS_IPV4,
  ADDRESS_IPV6,
  FORMAT_BITS,
  FORMAT_MASK,
  SAMPLE_COUNTERS,
  SAMPLE_COUNTERS_EXPANDED,
  SAMPLE_FLOW,
  SAMPLE_FLOW_EXPANDED,
  SAMPLE_HEADER_BYTES,
  SFLOW_VERSION_5,
} from './constants.ts';
import { BYTES_FROM_NONE, type DecodeScope } from './decode-scope.ts';
import { decodeFlowSample } from './flow-sample.ts';
import { decodeCounterSample } from './interface-counters.ts';

/** sub_agent_id, sequence_number, uptime, samples count after the agent address. */
const HEADER_TAIL_BYTES = 16;

/** Decodes one datagram; never throws. */
export function decodeDatagram(
  agents: AgentTable,
  maxSamples: number,
  datagram: Uint8Array,
  ctx: DatagramContext,
): DecodeOutput {
  const out: DecodeOutput = { records: [], errors: {} };
  try {
    decodeInto(agents, maxSamples, datagram, ctx, out);
  } catch {
    // Every read is bounds-checked; this only guards against a bug turning
    // hostile input into an exception that would stop the collector.
    countError(out.errors, 'bad_record');
  }
  return out;
}

function decodeInto(
  agents: AgentTable,
  maxSamples: number,
  b: Uint8Array,
  ctx: DatagramContext,
  out: DecodeOutput,
): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 4) return void countError(out.errors, 'truncated');
  if (v.getUint32(0) !== SFLOW_VERSION_5) return void countError(out.errors, 'unknown_format');
  if (b.length < 8) return void countError(out.errors, 'truncated');
  const addressType = v.getUint32(4);
  const addressBytes = addressType === ADDRESS_IPV4 ? 4 : addressType === ADDRESS_IPV6 ? 16 : 0;
  // Without an agent address there is nothing to key sequence numbers and counters on.
  if (addressBytes === 0) return void countError(out.errors, 'bad_header');
  const p = 8 + addressBytes;
  if (p + HEADER_TAIL_BYTES > b.length) return void countError(out.errors, 'truncated');
  const address = addressBytes === 4 ? formatIpv4(b, 8) : formatIpv6(b, 8);
  const subAgentId = v.getUint32(p);
  const agent = agents.lookup(address, subAgentId, ctx.receivedMs, out.errors);
  const lostDatagrams = agents.trackDatagram(agent, v.getUint32(p + 4));
  const sc: DecodeScope = {
    b,
    v,
    exporter: ctx.exporter,
    receivedMs: ctx.receivedMs,
    subAgentId,
    agents,
    agent,
    errors: out.errors,
    records: out.records,
    lostRecords: 0,
    bytesSource: BYTES_FROM_NONE,
    nextHopFromGateway: false,
    address: undefined,
  };
  decodeSamples(sc, p + HEADER_TAIL_BYTES, v.getUint32(p + 12), maxSamples);
  if (lostDatagrams > 0) out.lostDatagrams = lostDatagrams;
  if (sc.lostRecords > 0) out.lostRecords = sc.lostRecords;
}

function decodeSamples(sc: DecodeScope, start: number, count: number, maxSamples: number): void {
  const end = sc.b.length;
  let n = count;
  const fit = Math.floor((end - start) / SAMPLE_HEADER_BYTES);
  const impossible = n > fit;
  if (impossible) {
    countError(sc.errors, 'bad_header'); // more samples than bytes could hold: decode what is there
    n = fit;
  }
  if (n > maxSamples) {
    countError(sc.errors, 'limit_exceeded');
    n = maxSamples;
  }
  let p = start;
  for (let i = 0; i < n; i++) {
    if (p + SAMPLE_HEADER_BYTES > end) {
      if (!impossible) countError(sc.errors, 'truncated'); // else already counted as bad_header
      return;
    }
    const format = sc.v.getUint32(p);
    const length = sc.v.getUint32(p + 4);
    p += SAMPLE_HEADER_BYTES;
    if (length > end - p) return void countError(sc.errors, 'truncated');
    // Enterprise-specific and unknown sample formats are skipped by length.
    if (format >>> FORMAT_BITS === 0) decodeSample(sc, format & FORMAT_MASK, p, p + length);
    p += length;
  }
}

function decodeSample(sc: DecodeScope, format: number, p: number, end: number): void {
  if (format === SAMPLE_FLOW) decodeFlowSample(sc, p, end, false);
  else if (format === SAMPLE_FLOW_EXPANDED) decodeFlowSample(sc, p, end, true);
  else if (format === SAMPLE_COUNTERS) decodeCounterSample(sc, p, end, false);
  else if (format === SAMPLE_COUNTERS_EXPANDED) decodeCounterSample(sc, p, end, true);
}
