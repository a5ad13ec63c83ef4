/**
 * extended_gateway (sFlow v5 §5, flow format 1003): BGP next hop, the
 * router's AS, source AS, source peer AS, the AS path to the destination
 * (segments of AS_SET/AS_SEQUENCE), communities and local preference.
 */
import type { FlowRecord } from '../../schema/flow-record.ts';
import { countError } from '../result.ts';
import { isUnspecified, readAddress, type DecodeScope } from './decode-scope.ts';

/** bgpNextAdjacentAsNumber (IANA IE 128): the first AS of the destination path. */
const EXTRA_NEXT_ADJACENT_AS = '0.128';
/** bgpPrevAdjacentAsNumber (IANA IE 129): the source peer AS. */
const EXTRA_PREV_ADJACENT_AS = '0.129';
const SEGMENT_HEADER_BYTES = 8; // type + AS count
const AS_BYTES = 4;

/**
 * Sets nextHop, srcAs, dstAs and the adjacent ASes. dstAs is the last AS of
 * the destination path (the origin AS); with no path the destination lies in
 * the router's own AS, so it is the record's `as`. AS 0 (RFC 7607: not an AS)
 * stays unknown. Communities and local preference are not kept, so are not read.
 */
export function decodeGateway(sc: DecodeScope, p: number, end: number, rec: FlowRecord): void {
  const v = sc.v;
  let q = readAddress(sc, p, end);
  if (q < 0 || q + 16 > end) {
    countError(sc.errors, 'bad_record');
    return;
  }
  const hop = sc.address;
  const routerAs = v.getUint32(q);
  const srcAs = v.getUint32(q + 4);
  const peerAs = v.getUint32(q + 8);
  const segments = v.getUint32(q + 12);
  q += 16;
  if (segments > (end - q) / SEGMENT_HEADER_BYTES) {
    countError(sc.errors, 'bad_record');
    return;
  }
  let hasPath = false;
  let firstAs = 0;
  let lastAs = 0;
  for (let i = 0; i < segments; i++) {
    if (q + SEGMENT_HEADER_BYTES > end) break; // cannot happen: segments was checked against the bytes
    const count = v.getUint32(q + 4);
    q += SEGMENT_HEADER_BYTES;
    if (count > (end - q) / AS_BYTES) {
      countError(sc.errors, 'bad_record');
      return;
    }
    if (count > 0) {
      if (!hasPath) firstAs = v.getUint32(q);
      hasPath = true;
      lastAs = v.getUint32(q + (count - 1) * AS_BYTES);
    }
    q += count * AS_BYTES;
  }
  if (hop !== undefined && !isUnspecified(hop)) {
    rec.nextHop = hop;
    sc.nextHopFromGateway = true;
  }
  if (srcAs !== 0) rec.srcAs = srcAs;
  const dstAs = hasPath ? lastAs : routerAs;
  if (dstAs !== 0) rec.dstAs = dstAs;
  if (peerAs !== 0 || firstAs !== 0) rec.extra ??= {};
  if (peerAs !== 0 && rec.extra) rec.extra[EXTRA_PREV_ADJACENT_AS] = peerAs;
  if (firstAs !== 0 && rec.extra) rec.extra[EXTRA_NEXT_ADJACENT_AS] = firstAs;
}
