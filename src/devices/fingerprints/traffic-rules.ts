/**
 * Traffic behaviour: a device that answers on a service's well-known port
 * (IANA service-name registry) is probably that kind of device. Seen in the
 * live view's largest flows; weak evidence on purpose (a computer can run a
 * print server), which other evidence easily outweighs. Which end serves:
 * the destination of a flow on the service port, or the source of a
 * one-way record sent from the service port to an ephemeral port (a
 * NetFlow reply record).
 */
import type { EvidenceDraft } from './conclusion.ts';
import { evidenceOf, type Conclusion } from './conclusion.ts';

/** The two ends of a flow (the live view's flow shape). */
export interface FlowEnds {
  srcAddr?: string | undefined;
  dstAddr?: string | undefined;
  srcPort?: number | undefined;
  dstPort?: number | undefined;
  proto?: number | undefined;
}

const TCP = 6;
const UDP = 17;
/** Ports at or above this are ephemeral (RFC 6335 §6: dynamic ports start at 49152; many stacks use 32768+). */
const EPHEMERAL_FROM = 32768;

/** "proto/port" -> what serving it says: [service, weight, conclusion]. */
const SERVICES: Record<string, [string, number, Conclusion]> = {
  [`${TCP}/9100`]: ['JetDirect raw printing', 0.5, { deviceType: 'printer' }],
  [`${TCP}/631`]: ['IPP printing', 0.45, { deviceType: 'printer' }],
  [`${TCP}/515`]: ['LPD printing', 0.45, { deviceType: 'printer' }],
  [`${TCP}/554`]: ['RTSP video streaming', 0.4, { deviceType: 'camera' }],
  [`${UDP}/5060`]: ['SIP', 0.4, { deviceType: 'voip-phone' }],
  [`${TCP}/445`]: ['SMB file sharing', 0.3, { deviceType: 'nas' }],
  [`${TCP}/2049`]: ['NFS file sharing', 0.35, { deviceType: 'nas' }],
  [`${TCP}/548`]: ['AFP file sharing', 0.3, { deviceType: 'nas' }],
  [`${UDP}/53`]: ['DNS', 0.3, { deviceType: 'network' }],
  [`${TCP}/3389`]: ['Remote Desktop', 0.4, { deviceType: 'computer', os: 'Windows' }],
  [`${TCP}/1883`]: ['MQTT broker', 0.3, { deviceType: 'server' }],
  [`${TCP}/8883`]: ['MQTT broker (TLS)', 0.3, { deviceType: 'server' }],
};

function served(proto: number | undefined, port: number | undefined): EvidenceDraft[] {
  const rule = port === undefined ? undefined : SERVICES[`${proto}/${port}`];
  if (!rule) return [];
  const name = proto === UDP ? 'UDP' : 'TCP';
  return evidenceOf(rule[2], rule[1], 'traffic', `serves ${name}/${port} (${rule[0]})`);
}

/** The address that serves a known service in this flow, with the evidence; undefined when none. */
export function trafficEvidence(f: FlowEnds): { addr: string; evidence: EvidenceDraft[] } | undefined {
  if (f.proto !== TCP && f.proto !== UDP) return undefined;
  if (f.dstAddr) {
    const e = served(f.proto, f.dstPort);
    if (e.length) return { addr: f.dstAddr, evidence: e };
  }
  if (f.srcAddr && (f.dstPort ?? 0) >= EPHEMERAL_FROM) {
    const e = served(f.proto, f.srcPort);
    if (e.length) return { addr: f.srcAddr, evidence: e };
  }
  return undefined;
}
