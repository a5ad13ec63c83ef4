/**
 * nDPI (Debian's libndpi 4.2, LGPL-3.0) over koffi, behind a capability
 * check: the library must load, report API version NDPI_API_VERSION_4_2, and
 * classify a synthetic TLS ClientHello as TLS before it is used. Anything else
 * leaves the built-in detector in charge. Each sample is classified as a
 * one-packet flow: the meter gives one payload per direction, so nDPI sees an
 * IPv4 packet rebuilt from the ports and payload (no TCP handshake), and its
 * answer names the application while the built-in parsers still supply the
 * server name and JA4.
 *
 * ABI notes (ndpi_api.h / ndpi_typedefs.h of 4.2): ndpi_protocol is returned
 * by value as { u16 master, u16 app, u32 category }; the flow struct's size
 * comes from ndpi_detection_get_sizeof_ndpi_flow_struct(); the bitmask is
 * 512 bits (NDPI_NUM_BITS) of u32 words.
 */
import type Koffi from 'koffi';
import { createRequire } from 'node:module';
import type { CategoryMap } from './categories.ts';
import type { HostAppMap } from './host-apps.ts';
import type { AppDetection, PayloadInspector, PayloadSample } from './inspector.ts';

/** ndpi_api.h of 4.2: `#define NDPI_API_VERSION 8668`. */
const NDPI_API_VERSION_4_2 = 8668;
const NDPI_NUM_BITS = 512;
const LIBRARY_NAMES = ['libndpi.so.4.2', 'libndpi.so.4', 'libndpi.so'];
const NDPI_PROTOCOL_UNKNOWN = 0;
/** The protocol ids the self-test expects: NDPI_PROTOCOL_TLS is 91 in 4.2 (ndpi_protocol_ids.h). */
const NDPI_PROTOCOL_TLS = 91;

interface NdpiApi {
  processPacket: (
    mod: unknown,
    flow: Buffer,
    pkt: Buffer,
    len: number,
    timeMs: number,
  ) => { master: number; app: number };
  free: (flow: Buffer) => void;
  protoName: (mod: unknown, id: number) => string;
  mod: unknown;
  flowSize: number;
  version: string;
}

/** What loading found. */
export interface NdpiLoadResult {
  inspector?: PayloadInspector;
  reason?: string;
}

function bind(): NdpiApi {
  const require = createRequire(import.meta.url);
  const koffi = require('koffi') as typeof Koffi;
  let lib: ReturnType<typeof koffi.load> | undefined;
  let lastErr: unknown;
  for (const name of LIBRARY_NAMES) {
    try {
      lib = koffi.load(name);
      break;
    } catch (err) {
      lastErr = err;
    }
  }
  if (!lib) throw new Error(`libndpi not found (apt-get install libndpi-dev): ${String(lastErr)}`);
  const apiVersion = lib.func('uint16_t ndpi_get_api_version(void)') as () => number;
  if (apiVersion() !== NDPI_API_VERSION_4_2)
    throw new Error(`nDPI API ${apiVersion()} is not 4.2's ${NDPI_API_VERSION_4_2}`);
  koffi.struct('ndpi_protocol_42', { master: 'uint16_t', app: 'uint16_t', category: 'uint32_t' });
  const revision = lib.func('const char *ndpi_revision(void)') as () => string;
  const init = lib.func('void *ndpi_init_detection_module(uint32_t prefs)') as (p: number) => unknown;
  const setMask = lib.func('void ndpi_set_protocol_detection_bitmask2(void *mod, const uint32_t *mask)') as (
    m: unknown,
    b: Uint32Array,
  ) => void;
  const finalize = lib.func('void ndpi_finalize_initialization(void *mod)') as (m: unknown) => void;
  const size = lib.func('uint32_t ndpi_detection_get_sizeof_ndpi_flow_struct(void)') as () => number;
  const process = lib.func(
    'ndpi_protocol_42 ndpi_detection_process_packet(void *mod, void *flow, const uint8_t *pkt, uint16_t len, uint64_t t)',
  );
  const free = lib.func('void ndpi_free_flow_data(void *flow)') as (f: Buffer) => void;
  const name = lib.func('const char *ndpi_get_proto_name(void *mod, uint16_t id)') as (
    m: unknown,
    id: number,
  ) => string;
  const mod = init(0);
  if (!mod) throw new Error('ndpi_init_detection_module returned NULL');
  setMask(mod, new Uint32Array(NDPI_NUM_BITS / 32).fill(0xffffffff));
  finalize(mod);
  return {
    processPacket: process as unknown as NdpiApi['processPacket'],
    free,
    protoName: name,
    mod,
    flowSize: size(),
    version: `ndpi ${revision()}`,
  };
}

/** An IPv4 packet carrying `payload` between 10.0.0.1 and 10.0.0.2 with the sample's ports. */
function buildPacket(s: PayloadSample): Buffer {
  const tcp = s.proto === 6;
  const l4 = tcp ? 20 : 8;
  const b = Buffer.alloc(20 + l4 + s.payload.length);
  b[0] = 0x45;
  b.writeUInt16BE(b.length, 2);
  b[8] = 64;
  b[9] = s.proto;
  b.set(s.fromInitiator ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], 12);
  b.writeUInt16BE(s.srcPort, 20);
  b.writeUInt16BE(s.dstPort, 22);
  if (tcp) {
    b.writeUInt32BE(1, 24);
    b[32] = 0x50; // data offset 5 words
    b[33] = 0x18; // PSH|ACK
    b.writeUInt16BE(65535, 34);
  } else b.writeUInt16BE(8 + s.payload.length, 24);
  b.set(s.payload, 20 + l4);
  return b;
}

/** Loads nDPI when it is there and works; otherwise says why. */
export function loadNdpiInspector(deps: {
  categories: CategoryMap;
  hostApps: HostAppMap;
  fallback: PayloadInspector;
}): NdpiLoadResult {
  let api: NdpiApi;
  try {
    api = bind();
  } catch (err) {
    return { reason: String(err) };
  }
  const flow = Buffer.alloc(api.flowSize);
  const classify = (s: PayloadSample): string | undefined => {
    flow.fill(0);
    const pkt = buildPacket(s);
    const p = api.processPacket(api.mod, flow, pkt, pkt.length, 0);
    api.free(flow);
    const id = p.app !== NDPI_PROTOCOL_UNKNOWN ? p.app : p.master;
    return id === NDPI_PROTOCOL_UNKNOWN ? undefined : api.protoName(api.mod, id);
  };
  const selfTest = selfTestHello();
  const got = classify({ proto: 6, srcPort: 40000, dstPort: 443, fromInitiator: true, payload: selfTest });
  if (got !== api.protoName(api.mod, NDPI_PROTOCOL_TLS))
    return { reason: `nDPI self-test classified a ClientHello as ${got}` };
  const stats = { inspected: 0, detected: 0 };
  const inspect = (s: PayloadSample): AppDetection | undefined => {
    stats.inspected++;
    const own = deps.fallback.inspect(s);
    if (own?.l7Proto === 'DNS') return own; // a DNS flow stays DNS whatever name it asks for
    const name = classify(s);
    if (name === undefined) return own;
    stats.detected++;
    const app = (own?.serverName !== undefined ? deps.hostApps.lookup(own.serverName) : undefined) ?? name;
    return {
      ...own,
      l7Proto: own?.l7Proto ?? name,
      appProto: app,
      appCategory: deps.categories.categoryOf(app),
    };
  };
  return {
    inspector: {
      name: api.version,
      stats,
      inspect,
      wantsMore: (s) => deps.fallback.wantsMore(s),
      inspectFlow: (f) => deps.fallback.inspectFlow(f),
    },
  };
}

/** A minimal TLS 1.2 ClientHello with SNI "example.com" (RFC 8446 §4.1.2 layout). */
function selfTestHello(): Uint8Array {
  const sni = Buffer.from('example.com');
  const sniExt = Buffer.concat([
    Buffer.from([0, 0, 0, sni.length + 5, 0, sni.length + 3, 0, 0, sni.length]),
    sni,
  ]);
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 7),
    Buffer.from([0, 0, 2, 0xc0, 0x2f, 1, 0]),
    Buffer.from([0, sniExt.length]),
    sniExt,
  ]);
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([22, 3, 1, hs.length >> 8, hs.length & 0xff]), hs]);
}
