/**
 * NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011/7012, biflows RFC
 * 5103) decoder. Pure apart from its template state: bytes in, flow records
 * and error counts out; it never throws and never trusts a length field.
 */
import { countError, type DatagramContext, type DecodeOutput } from '../result.ts';
import { decodeIpfix } from './ipfix.ts';
import type { DecoderEnv } from './message.ts';
import { expirePending } from './pending.ts';
import { createScratch } from './record.ts';
import { loadRegistry, saveRegistry, type NetflowState } from './state-io.ts';
import { createRegistry, exporterState, type ExporterState, type Limits } from './template-registry.ts';
import { decodeV5 } from './v5.ts';
import { decodeV9 } from './v9.ts';

export type { NetflowState, SavedDomain, SavedTemplate } from './state-io.ts';

/** Bounds and timings of the decoder's state. */
export interface NetflowDecoderOptions {
  /** How long data sets waiting for their template are held, ms (default 60_000). */
  holdMs?: number;
  /** Bound on held data sets per exporter (default 256); overflow evicts the oldest, counted 'pending_expired'. */
  maxPendingPerExporter?: number;
  /** Templates per exporter, all domains together (default 4096); beyond, new ones count 'limit_exceeded'. */
  maxTemplatesPerExporter?: number;
  /** Exporters with state (default 10_000); datagrams of further v9/IPFIX exporters count 'limit_exceeded'. */
  maxExporters?: number;
}

/** A stateful NetFlow v5/v9/IPFIX decoder (one per collector; not shared across threads). */
export interface NetflowDecoder {
  /** Decodes a v5, v9 or v10 (IPFIX) datagram; never throws, whatever the bytes. */
  decode(datagram: Uint8Array, ctx: DatagramContext): DecodeOutput;
  /**
   * Drops held data older than holdMs (counted 'pending_expired' in the
   * returned errors, and per exporter in `expiredByExporter`).
   */
  expire(nowMs: number): DecodeOutput & { expiredByExporter: Map<string, number> };
  /** JSON-serialisable template + sampler state, for persistence across restarts. */
  saveState(): NetflowState;
  /** Merges a state saved by saveState; validates it and ignores whatever does not fit. */
  loadState(state: unknown): void;
  /** Exporters with state, templates stored, data sets held. */
  stats(): { exporters: number; templates: number; pending: number };
}

/** Defaults of NetflowDecoderOptions. */
export const NETFLOW_DECODER_DEFAULTS: Readonly<Required<NetflowDecoderOptions>> = {
  holdMs: 60_000,
  maxPendingPerExporter: 256,
  maxTemplatesPerExporter: 4096,
  maxExporters: 10_000,
};

const NETFLOW_V5 = 5;
const NETFLOW_V9 = 9;
const IPFIX_VERSION = 10;

/** Creates a decoder with empty state. */
export function createNetflowDecoder(opts: NetflowDecoderOptions = {}): NetflowDecoder {
  const limits: Limits = { ...NETFLOW_DECODER_DEFAULTS, ...opts };
  const env: DecoderEnv = { reg: createRegistry(limits), scratch: createScratch() };
  return {
    decode: (datagram, ctx) => decodeDatagram(env, datagram, ctx),
    expire(nowMs) {
      const out = { records: [], errors: {}, expiredByExporter: new Map<string, number>() };
      for (const [exporter, ex] of env.reg.exporters) {
        const n = expirePending(ex, nowMs, limits.holdMs);
        if (n === 0) continue;
        countError(out.errors, 'pending_expired', n);
        out.expiredByExporter.set(exporter, n);
      }
      return out;
    },
    saveState: () => saveRegistry(env.reg),
    loadState(state) {
      try {
        loadRegistry(env.reg, state);
      } catch {
        // Hostile objects (throwing getters, proxies) must not take the service down.
      }
    },
    stats() {
      let templates = 0;
      let pending = 0;
      for (const ex of env.reg.exporters.values()) {
        templates += ex.templateCount;
        pending += ex.pending.length;
      }
      return { exporters: env.reg.exporters.size, templates, pending };
    },
  };
}

function decodeDatagram(env: DecoderEnv, b: Uint8Array, ctx: DatagramContext): DecodeOutput {
  const out: DecodeOutput = { records: [], errors: {} };
  if (b.length < 2) {
    countError(out.errors, 'truncated');
    return out;
  }
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = v.getUint16(0);
  try {
    if (version === NETFLOW_V5) {
      decodeV5(b, v, ctx.exporter, exporterState(env.reg, ctx.exporter), out);
    } else if (version === NETFLOW_V9 || version === IPFIX_VERSION) {
      const ex = stateFor(env, ctx, out);
      if (ex === undefined) return out;
      if (version === NETFLOW_V9) decodeV9(b, v, ex, env, ctx.receivedMs, out);
      else decodeIpfix(b, v, ex, env, ctx.receivedMs, out);
    } else countError(out.errors, 'unknown_format');
  } catch {
    // Every read is bounds-checked; this is the last line of defence should one
    // be missed: the datagram counts as malformed instead of crashing the collector.
    countError(out.errors, 'bad_record');
  }
  return out;
}

/** The exporter's state with its expired held data dropped (counted in `out`). */
function stateFor(env: DecoderEnv, ctx: DatagramContext, out: DecodeOutput): ExporterState | undefined {
  const ex = exporterState(env.reg, ctx.exporter);
  if (ex === undefined) {
    countError(out.errors, 'limit_exceeded');
    return undefined;
  }
  const expired = expirePending(ex, ctx.receivedMs, env.reg.limits.holdMs);
  if (expired > 0) countError(out.errors, 'pending_expired', expired);
  return ex;
}
