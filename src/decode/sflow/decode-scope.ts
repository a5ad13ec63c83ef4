/**
 * The state shared by the pieces that decode one datagram: the bytes, where
 * they came from, the agent's state and what has been produced so far. One
 * plain object per datagram, so no piece keeps state between datagrams.
 */
import { formatIpv4, formatIpv6 } from '../../common/net.ts';
import type { FlowRecord } from '../../schema/flow-record.ts';
import type { DecodeOutput } from '../result.ts';
import type { AgentState, AgentTable } from './agent-state.ts';
import { ADDRESS_IPV4, ADDRESS_IPV6, ADDRESS_UNKNOWN } from './constants.ts';

/** Which record set `bytes`: a higher source wins whatever the record order. */
export const BYTES_FROM_NONE = 0;
export const BYTES_FROM_IP = 1;
export const BYTES_FROM_ETHERNET = 2;
export const BYTES_FROM_HEADER = 3;

export interface DecodeScope {
  b: Uint8Array;
  v: DataView;
  exporter: string;
  receivedMs: number;
  subAgentId: number;
  agents: AgentTable;
  agent: AgentState;
  errors: DecodeOutput['errors'];
  records: FlowRecord[];
  lostRecords: number;
  /** Per flow sample: which record set `bytes` (BYTES_FROM_*). */
  bytesSource: number;
  /** Per flow sample: the extended gateway (BGP) next hop was set and wins over the router's. */
  nextHopFromGateway: boolean;
  /** The last address `readAddress` read; undefined for the unknown type. */
  address: string | undefined;
}

/**
 * Reads an XDR `address` (type word, then 0, 4 or 16 bytes) at `p` into
 * `sc.address`; returns the offset after it, or -1 if the type is not one the
 * specification defines or the bytes run past `end`.
 */
export function readAddress(sc: DecodeScope, p: number, end: number): number {
  if (p + 4 > end) return -1;
  const type = sc.v.getUint32(p);
  if (type === ADDRESS_IPV4 && p + 8 <= end) {
    sc.address = formatIpv4(sc.b, p + 4);
    return p + 8;
  }
  if (type === ADDRESS_IPV6 && p + 20 <= end) {
    sc.address = formatIpv6(sc.b, p + 4);
    return p + 20;
  }
  if (type === ADDRESS_UNKNOWN) {
    sc.address = undefined;
    return p + 4;
  }
  return -1;
}

/** An address that says "none" (0.0.0.0 or ::) is as good as no address. */
export function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
