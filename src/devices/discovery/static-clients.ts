/**
 * Static clients from a file: the old network exporter's JSON client file
 * or the same in YAML. Accepted shapes: a list of clients, `{clients: [...]}`,
 * or an object keyed by address or MAC. A client has `ip`/`address`,
 * `mac`, `name`/`hostname`, `type`/`device_type`, `manufacturer`/`vendor`,
 * `model`, `os`; what the file says counts as strong evidence (kind
 * "static") but still loses to a manual edit in the API.
 */
import { parse as parseYaml } from 'yaml';
import type { EvidenceDraft } from '../fingerprints/conclusion.ts';
import type { Observation } from '../model.ts';
import { DiscoveryError } from './errors.ts';
import type { DiscoveryMethod } from './scheduler.ts';

const STATIC_WEIGHT = 0.95;
type Entry = Record<string, unknown>;

const pick = (e: Entry, ...keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = e[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
};

function entries(doc: unknown): Entry[] {
  if (Array.isArray(doc)) return doc.filter((x): x is Entry => typeof x === 'object' && x !== null);
  if (typeof doc !== 'object' || doc === null) return [];
  const o = doc as Entry;
  if (Array.isArray(o['clients'])) return entries(o['clients']);
  return Object.entries(o)
    .filter(([, v]) => typeof v === 'object' && v !== null)
    .map(([k, v]) => {
      const e = { ...(v as Entry) };
      if (/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(k)) e['mac'] ??= k;
      else e['ip'] ??= k;
      return e;
    });
}

/** The clients of a static file's text (JSON, else YAML). */
export function parseStaticClients(text: string, path: string, tsMs: number): Observation[] {
  let doc: unknown;
  try {
    doc = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new DiscoveryError('FLOWLENS_ERR_DISCOVERY_SOURCE', `static clients ${path}: not valid JSON/YAML`, {
      cause: err,
    });
  }
  const out: Observation[] = [];
  for (const e of entries(doc)) {
    const ip = pick(e, 'ip', 'address', 'ip_address');
    const mac = pick(e, 'mac', 'mac_address', 'hwaddr');
    if (!ip && !mac) continue;
    const o: Observation = { source: 'static', tsMs };
    if (ip) o.ip = ip;
    if (mac) o.mac = mac;
    const name = pick(e, 'name', 'hostname', 'client');
    if (name) o.names = [{ name, source: 'static' }];
    const evidence: EvidenceDraft[] = [];
    const add = (attribute: EvidenceDraft['attribute'], value: string | undefined): void => {
      if (value)
        evidence.push({
          attribute,
          value,
          weight: STATIC_WEIGHT,
          kind: 'static',
          detail: `static file ${path}`,
        });
    };
    add('deviceType', pick(e, 'type', 'device_type', 'deviceType'));
    add('manufacturer', pick(e, 'manufacturer', 'vendor'));
    add('model', pick(e, 'model'));
    add('os', pick(e, 'os'));
    if (evidence.length) o.evidence = evidence;
    out.push(o);
  }
  return out;
}

/** The `static` method (the file is read again each interval, so edits apply). */
export function createStaticMethod(
  o: { file: string; intervalMs: number; timeoutMs: number },
  deps: { now(): number; readText(path: string): Promise<string> },
): DiscoveryMethod {
  return {
    name: 'static',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run() {
      let text: string;
      try {
        text = await deps.readText(o.file);
      } catch (err) {
        throw DiscoveryError.from(`static clients ${o.file}`, err);
      }
      return parseStaticClients(text, o.file, deps.now());
    },
  };
}
