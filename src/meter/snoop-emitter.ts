/**
 * The meter's internal event stream of snooped DHCP/DNS/mDNS/SSDP packets
 * (consumed by the device component). Nothing is parsed without a subscriber.
 */
import type { PacketView } from '../decode/packet/index.ts';
import { formatAddressWords, formatMacNumber } from './flow-export.ts';
import {
  MAX_SNOOP_PAYLOAD_BYTES,
  parseDhcp,
  parseDnsAnswers,
  snoopKind,
  type SnoopEvent,
  type SnoopListener,
} from './snoop.ts';

export type { SnoopEvent, SnoopListener, SnoopKind } from './snoop.ts';

/** Subscribers and the packet -> event step. */
export interface Snooper {
  active(): boolean;
  subscribe(cb: SnoopListener): () => void;
  /** Emits an event when the UDP packet in `v` (frame `b`) is one we snoop. */
  snoop(v: PacketView, b: Uint8Array, tsMs: number): void;
}

export function createSnooper(): Snooper {
  const subs: SnoopListener[] = [];
  return {
    active: () => subs.length > 0,
    subscribe(cb) {
      subs.push(cb);
      return () => {
        const i = subs.indexOf(cb);
        if (i >= 0) subs.splice(i, 1);
      };
    },
    snoop(v, b, tsMs) {
      const kind = snoopKind(v.srcPort, v.dstPort);
      if (!kind) return;
      const len = Math.min(v.payloadCaptured, MAX_SNOOP_PAYLOAD_BYTES);
      const payload = b.slice(v.payloadOffset, v.payloadOffset + len);
      const e: SnoopEvent = {
        kind,
        tsMs,
        srcAddr: formatAddressWords(v.addr, 0, v.family),
        dstAddr: formatAddressWords(v.addr, 4, v.family),
        srcPort: v.srcPort,
        dstPort: v.dstPort,
        payload,
      };
      if (v.hasMac) {
        e.srcMac = formatMacNumber(v.srcMac);
        e.dstMac = formatMacNumber(v.dstMac);
      }
      if (kind === 'dhcp') {
        const dhcp = parseDhcp(payload);
        if (dhcp) e.dhcp = dhcp;
      } else if (kind === 'dns' || kind === 'mdns') {
        const dns = parseDnsAnswers(payload);
        if (dns) e.dns = dns;
      }
      for (const cb of subs) cb(e);
    },
  };
}
