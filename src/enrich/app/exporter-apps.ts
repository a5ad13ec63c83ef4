/**
 * Application names from what exporters send: IANA IE 95 applicationId as
 * "engine:selector" (RFC 6759 §4.1: classification engine ids) and vendor
 * enterprise fields kept in `extra` as "pen.ie". Only encodings that are
 * standard are decoded by number (engines 1 IANA-L3 and 3 IANA-L4); NBAR2
 * (engine 13) and other vendor ids are numbers without a public table, so
 * they are named from the exporter's own applicationName (IE 96) when its
 * options data has been learnt (`learnName`), else labelled "NBAR:<id>".
 */
import { createLruCache, type LruCache } from '../lru-cache.ts';
import { ipProtocolName, portServiceName } from './port-apps.ts';

/** RFC 6759 §4.1 classification engine ids. */
const ENGINE_IANA_L3 = 1;
const ENGINE_IANA_L4 = 3;
const ENGINE_PANA_L7 = 13;
const ENGINE_NAMES: Record<number, string> = {
  2: 'PANA-L3',
  4: 'PANA-L4',
  6: 'USER',
  12: 'PANA-L2',
  13: 'NBAR',
  18: 'ETHERTYPE',
  19: 'LLC',
  20: 'PANA-L7-PEN',
};
/** Names remembered from exporters' applicationName options (bounded). */
const MAX_LEARNT_NAMES = 20_000;

/** Reads exporter application information. */
export interface ExporterAppResolver {
  /** The application named by an IE 95 id ("13:453") or by the configured enterprise fields of `extra`. */
  resolve(
    appId: string | undefined,
    extra: Readonly<Record<string, number | string>> | undefined,
  ): string | undefined;
  /** Remembers an exporter-supplied name for an application id (IE 95 -> IE 96 options data). */
  learnName(appId: string, name: string): void;
}

/** `nameFields`: "pen.ie" keys whose value is an application name as text (hex in `extra`). */
export function createExporterAppResolver(nameFields: readonly string[]): ExporterAppResolver {
  const learnt: LruCache<string, string> = createLruCache(MAX_LEARNT_NAMES);
  return {
    resolve(appId, extra) {
      if (extra) {
        for (const key of nameFields) {
          const v = extra[key];
          const name = typeof v === 'string' ? textOfHex(v) : undefined;
          if (name) return name;
        }
      }
      if (appId === undefined) return undefined;
      return learnt.get(appId) ?? standardName(appId);
    },
    learnName: (appId, name) => learnt.set(appId, name),
  };
}

function standardName(appId: string): string | undefined {
  const colon = appId.indexOf(':');
  if (colon < 0) return undefined;
  const engine = Number(appId.slice(0, colon));
  const selector = Number(appId.slice(colon + 1));
  if (!Number.isInteger(engine) || !Number.isInteger(selector)) return undefined;
  if (engine === ENGINE_IANA_L3) return ipProtocolName(selector);
  if (engine === ENGINE_IANA_L4) return portServiceName(selector);
  if (engine === ENGINE_PANA_L7 && selector === 0) return undefined; // NBAR "unknown"
  const label = ENGINE_NAMES[engine];
  return label ? `${label}:${selector}` : undefined;
}

/** Printable ASCII from lowercase hex (NUL padding removed), or undefined. */
function textOfHex(hex: string): string | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0) return undefined;
  const s = Buffer.from(hex, 'hex').toString('latin1').replace(/\0+$/, '');
  return /^[\x20-\x7e]+$/.test(s) ? s : undefined;
}
