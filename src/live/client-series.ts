/**
 * The series of client_traffic_bytes: members (own series, updated), frozen
 * (own series, no longer updated), retired (series removed, last values
 * remembered) and "other". Every series only ever grows.
 */
import type { Counter } from 'prom-client';
import { pruneLighterHalf } from './bounded-sums.ts';

/** Labels of a client's series (direction added per sample). */
export interface ClientLabels {
  ip: string;
  client: string;
  device_type: string;
}

/** One client's counters: what is exposed plus what waits for the next flush. */
export interface ClientSeries {
  labels: ClientLabels;
  totalIn: number;
  totalOut: number;
  pendingIn: number;
  pendingOut: number;
}

/** The set of series. */
export interface SeriesSet {
  readonly members: Map<string, ClientSeries>;
  readonly frozen: Map<string, ClientSeries>;
  readonly other: ClientSeries;
  /** The series a client's traffic goes to now (admits it when a slot is free, labelled with `typeOf(ip)`). */
  route(ip: string, name: string | undefined, typeOf: DeviceTypeOf): ClientSeries;
  /** Moves pending traffic into the counters. */
  flush(): void;
  /** Makes the first maxSeries of `busiest` (keeping current members to fill up) the members; relabels names and types that changed. */
  rerank(busiest: string[], nameOf: (ip: string) => string | undefined, typeOf: DeviceTypeOf): void;
}

/** The device type of a client's address (the device inventory's classification; "unknown" without one). */
export type DeviceTypeOf = (ip: string) => string;

/** The type of "other" and of clients no device is known for. */
export const UNKNOWN_DEVICE_TYPE = 'unknown';
/** Retired clients remembered, as a multiple of maxSeries. */
const RETIRED_FACTOR = 10;

const labelsOf = (ip: string, name: string | undefined, type = UNKNOWN_DEVICE_TYPE): ClientLabels => ({
  ip,
  client: name ?? ip,
  device_type: type,
});

/** The series of `counter`, at most `maxSeries` members. */
export function createClientSeries(counter: Counter<string>, maxSeries: number): SeriesSet {
  const members = new Map<string, ClientSeries>();
  const frozen = new Map<string, ClientSeries>();
  const retired = new Map<string, ClientSeries>();
  const other: ClientSeries = {
    labels: labelsOf('other', 'other'),
    totalIn: 0,
    totalOut: 0,
    pendingIn: 0,
    pendingOut: 0,
  };
  // "other" exists from the start, so dashboards see 0 rather than no data.
  counter.inc({ direction: 'in', ...other.labels }, 0);
  counter.inc({ direction: 'out', ...other.labels }, 0);

  const flushOne = (s: ClientSeries): void => {
    if (s.pendingIn > 0) counter.inc({ direction: 'in', ...s.labels }, s.pendingIn);
    if (s.pendingOut > 0) counter.inc({ direction: 'out', ...s.labels }, s.pendingOut);
    s.totalIn += s.pendingIn;
    s.totalOut += s.pendingOut;
    s.pendingIn = 0;
    s.pendingOut = 0;
  };
  const expose = (s: ClientSeries): void => {
    // inc by the carried total: a new label set starts where the client's counter stopped.
    counter.inc({ direction: 'in', ...s.labels }, s.totalIn);
    counter.inc({ direction: 'out', ...s.labels }, s.totalOut);
  };
  const hide = (s: ClientSeries): void => {
    counter.remove({ direction: 'in', ...s.labels });
    counter.remove({ direction: 'out', ...s.labels });
  };

  const admit = (ip: string, name: string | undefined, type: string): ClientSeries => {
    let s = frozen.get(ip);
    if (s) frozen.delete(ip);
    else {
      s = retired.get(ip) ?? {
        labels: labelsOf(ip, name, type),
        totalIn: 0,
        totalOut: 0,
        pendingIn: 0,
        pendingOut: 0,
      };
      retired.delete(ip);
      s.labels = labelsOf(ip, name ?? (s.labels.client === ip ? undefined : s.labels.client), type);
      expose(s);
    }
    members.set(ip, s);
    return s;
  };

  const freeze = (ip: string, s: ClientSeries): void => {
    flushOne(s);
    members.delete(ip);
    frozen.set(ip, s);
    while (frozen.size > maxSeries) {
      const [oldIp, old] = frozen.entries().next().value!;
      frozen.delete(oldIp);
      hide(old);
      if (retired.size >= RETIRED_FACTOR * maxSeries)
        pruneLighterHalf(retired, (v) => v.totalIn + v.totalOut);
      retired.set(oldIp, old);
    }
  };

  const relabel = (s: ClientSeries, name: string | undefined, type: string): void => {
    const want = labelsOf(s.labels.ip, name, type);
    if (want.client === s.labels.client && want.device_type === s.labels.device_type) return;
    hide(s);
    s.labels = want;
    expose(s);
  };

  return {
    members,
    frozen,
    other,
    route(ip, name, typeOf) {
      const s = members.get(ip);
      if (s) return s;
      return members.size < maxSeries ? admit(ip, name, typeOf(ip)) : other;
    },
    flush() {
      for (const s of members.values()) flushOne(s);
      flushOne(other);
    },
    rerank(busiest, nameOf, typeOf) {
      const keep = new Set(busiest.slice(0, maxSeries));
      // Fill up with current members so only busier clients displace a member.
      for (const ip of members.keys()) {
        if (keep.size >= maxSeries) break;
        keep.add(ip);
      }
      for (const [ip, s] of members) if (!keep.has(ip)) freeze(ip, s);
      for (const ip of keep) {
        const s = members.get(ip);
        if (s) relabel(s, nameOf(ip) ?? (s.labels.client === ip ? undefined : s.labels.client), typeOf(ip));
        else admit(ip, nameOf(ip), typeOf(ip));
      }
    },
  };
}
