/**
 * The `ssdp` discovery method: one M-SEARCH (UDA 2.0 §1.3.2) to the SSDP
 * groups, answers gathered for a window, then each answer's description
 * fetched from the answering host (bounded by the fetcher's limits).
 */
import type { Clock } from '../../common/clock.ts';
import { gatherAnswers, type GatherTarget } from '../discovery/udp-gather.ts';
import type { DiscoveryMethod } from '../discovery/scheduler.ts';
import type { Observation } from '../model.ts';
import type { DescriptionFetcher } from './description.ts';
import { parseSsdp } from './ssdp-message.ts';
import { descriptionObservation, ssdpSighting } from './ssdp-observation.ts';

const SSDP_PORT = 1900;
const SSDP_V4 = '239.255.255.250';
const SSDP_V6 = 'ff02::c';
/** Seconds a device may wait before answering (UDA: MX 1..5). */
const MX_SEC = 2;

/** The M-SEARCH request. */
export function searchRequest(target: string, host: string): Uint8Array {
  return new TextEncoder().encode(
    `M-SEARCH * HTTP/1.1\r\nHOST: ${host}\r\nMAN: "ssdp:discover"\r\nMX: ${MX_SEC}\r\nST: ${target}\r\n\r\n`,
  );
}

/** Settings of the search. */
export interface SsdpSearchOptions {
  searchTarget: string;
  windowMs: number;
  intervalMs: number;
  timeoutMs: number;
  ipv6: boolean;
}

/** The `ssdp` method. */
export function createSsdpMethod(
  o: SsdpSearchOptions,
  clock: Clock,
  descriptions: DescriptionFetcher,
): DiscoveryMethod {
  return {
    name: 'ssdp',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run(signal) {
      const v4: GatherTarget = { family: 'udp4', address: SSDP_V4, port: SSDP_PORT };
      const v6: GatherTarget = { family: 'udp6', address: SSDP_V6, port: SSDP_PORT };
      const [a4, a6] = await Promise.all([
        gatherAnswers(
          clock,
          [v4],
          searchRequest(o.searchTarget, `${SSDP_V4}:${SSDP_PORT}`),
          o.windowMs,
          signal,
        ),
        // IPv6 is best effort: a host without IPv6 multicast still gets its IPv4 answers.
        o.ipv6
          ? gatherAnswers(
              clock,
              [v6],
              searchRequest(o.searchTarget, `[${SSDP_V6}]:${SSDP_PORT}`),
              o.windowMs,
              signal,
            ).catch(() => [])
          : [],
      ]);
      const answers = [...a4, ...a6];
      const out: Observation[] = [];
      const pending: Promise<void>[] = [];
      for (const a of answers) {
        const m = parseSsdp(a.payload);
        const s = m && ssdpSighting(m, { tsMs: a.atMs, srcAddr: a.from });
        if (!s) continue;
        out.push(s.observation);
        if (s.location)
          pending.push(
            descriptions.get(s.location, a.from).then((d) => {
              if (d) out.push(descriptionObservation(d, s.observation));
            }),
          );
      }
      await Promise.all(pending);
      return out;
    },
  };
}
