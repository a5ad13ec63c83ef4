/**
 * SSDP announcements and search answers -> observations: the announcing
 * address (and MAC when captured), the device type URN and SERVER header as
 * evidence; the description document, when fetched, adds manufacturer,
 * model, friendly name and the root device type.
 */
import type { SnoopEvent } from '../../meter/index.ts';
import { ssdpDescriptionEvidence, ssdpServerEvidence, ssdpTypeEvidence } from '../fingerprints/ssdp-rules.ts';
import type { Observation } from '../model.ts';
import type { DeviceDescription } from './description.ts';
import { announcedDeviceType, parseSsdp, type SsdpMessage } from './ssdp-message.ts';

/** An SSDP message's observation and the description URL to fetch, if any. */
export interface SsdpSighting {
  observation: Observation;
  location?: string;
}

/** What a NOTIFY (not a byebye) or a search answer from `srcAddr` says. */
export function ssdpSighting(
  m: SsdpMessage,
  ctx: { tsMs: number; srcAddr: string; srcMac?: string | undefined },
): SsdpSighting | undefined {
  if (m.kind === 'search' || m.headers['nts'] === 'ssdp:byebye') return undefined;
  const o: Observation = { source: 'ssdp', tsMs: ctx.tsMs, ip: ctx.srcAddr };
  if (ctx.srcMac) o.mac = ctx.srcMac;
  const urn = announcedDeviceType(m);
  const server = m.headers['server'];
  const evidence = [
    ...(urn ? ssdpTypeEvidence(urn, 0.8) : []),
    ...(server ? ssdpServerEvidence(server) : []),
  ];
  if (evidence.length) o.evidence = evidence;
  const location = m.headers['location'];
  return location ? { observation: o, location } : { observation: o };
}

/** The observation a fetched description adds. */
export function descriptionObservation(d: DeviceDescription, base: Observation): Observation {
  const o: Observation = { source: 'ssdp', tsMs: base.tsMs };
  if (base.ip) o.ip = base.ip;
  if (base.mac) o.mac = base.mac;
  if (d.friendlyName) o.names = [{ name: d.friendlyName, source: 'ssdp' }];
  const evidence = [...(d.deviceType ? ssdpTypeEvidence(d.deviceType) : []), ...ssdpDescriptionEvidence(d)];
  if (evidence.length) o.evidence = evidence;
  if (d.deviceType) o.services = [d.deviceType];
  return o;
}

/** The sighting in a snooped SSDP packet. */
export function observeSnoopedSsdp(e: SnoopEvent): SsdpSighting | undefined {
  const m = parseSsdp(e.payload);
  return m ? ssdpSighting(m, e) : undefined;
}
