/**
 * UPnP device description documents (UDA 2.0 §2.3): fetched only from the
 * host that announced them (the LOCATION's host must be the announcing
 * address, so a spoofed announcement cannot make FlowLens fetch elsewhere),
 * over plain HTTP, with a size and a time limit; cached (bounded, with a
 * time to live) so a device that announces every few seconds is fetched once.
 */
import { createLruCache } from '../../enrich/lru-cache.ts';

/** What the description says. */
export interface DeviceDescription {
  url: string;
  deviceType?: string;
  friendlyName?: string;
  manufacturer?: string;
  model?: string;
  /** `modelDescription` ("AX6000 Dual Band Wi-Fi 6 Router"). */
  modelDescription?: string;
}

/** The fetch function (injected: tests and the service pass their own). */
export type FetchLike = (url: string, init: { signal: AbortSignal; redirect: 'error' }) => Promise<Response>;

/** Limits of the fetcher. */
export interface DescriptionOptions {
  fetch: FetchLike;
  now(): number;
  maxBytes: number;
  timeoutMs: number;
  cacheEntries: number;
  ttlMs: number;
}

/** The fetcher. */
export interface DescriptionFetcher {
  /** The description at `location` when it is on `announcer`; undefined when refused or failed. */
  get(location: string, announcer: string): Promise<DeviceDescription | undefined>;
}

const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<(?:\\w+:)?${name}>\\s*([^<]{1,256}?)\\s*</(?:\\w+:)?${name}>`, 'i').exec(xml);
  return m?.[1]?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim() || undefined;
};

/** The root device's fields (the first <device> element's). */
export function parseDescription(xml: string, url: string): DeviceDescription {
  const d: DeviceDescription = { url };
  const deviceType = tag(xml, 'deviceType');
  if (deviceType) d.deviceType = deviceType;
  const friendlyName = tag(xml, 'friendlyName');
  if (friendlyName) d.friendlyName = friendlyName;
  const manufacturer = tag(xml, 'manufacturer');
  if (manufacturer) d.manufacturer = manufacturer;
  const model = [tag(xml, 'modelName'), tag(xml, 'modelNumber')].filter(Boolean).join(' ');
  if (model) d.model = model;
  const modelDescription = tag(xml, 'modelDescription');
  if (modelDescription) d.modelDescription = modelDescription;
  return d;
}

/** True when `location` is an http URL on host `announcer`. */
export function isOnHost(location: string, announcer: string): boolean {
  let u: URL;
  try {
    u = new URL(location);
  } catch {
    return false;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return u.protocol === 'http:' && host === announcer.toLowerCase().replace(/%.*$/, '');
}

async function readLimited(res: Response, maxBytes: number): Promise<string | undefined> {
  if (!res.ok || !res.body) return undefined;
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(parts));
}

/** A fetcher with the given limits. */
export function createDescriptionFetcher(o: DescriptionOptions): DescriptionFetcher {
  const cache = createLruCache<string, { atMs: number; p: Promise<DeviceDescription | undefined> }>(
    o.cacheEntries,
  );
  async function load(url: string): Promise<DeviceDescription | undefined> {
    try {
      const res = await o.fetch(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'error' });
      const xml = await readLimited(res, o.maxBytes);
      return xml === undefined ? undefined : parseDescription(xml, url);
    } catch {
      return undefined; // unreachable or too slow: the announcement still counts, without a description
    }
  }
  return {
    get(location, announcer) {
      if (!isOnHost(location, announcer)) return Promise.resolve(undefined);
      const hit = cache.get(location);
      if (hit && o.now() - hit.atMs < o.ttlMs) return hit.p;
      const p = load(location);
      cache.set(location, { atMs: o.now(), p });
      return p;
    },
  };
}
