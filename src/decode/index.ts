/**
 * Decoders: bytes -> flow records, pure and bounds-checked. `createFlowDecoder`
 * picks NetFlow v5/v9, IPFIX or sFlow v5 by content and keeps the per-exporter
 * state (templates, sampler tables, interface counters) they need.
 */
import { createNetflowDecoder, type NetflowDecoderOptions } from './netflow/index.ts';
import { createSflowDecoder, type SflowDecoderOptions } from './sflow/index.ts';
import { countError, type DatagramContext, type DecodeOutput } from './result.ts';
import { sniffFormat, type ExportFormat } from './sniff.ts';

export { sniffFormat, type ExportFormat } from './sniff.ts';
export { countError, type DatagramContext, type DecodeOutput, type DecodeErrorKind } from './result.ts';
export type { InterfaceCounters } from './sflow/index.ts';

/** Options of both decoders. */
export interface FlowDecoderOptions {
  netflow?: NetflowDecoderOptions;
  sflow?: SflowDecoderOptions;
}

/** A datagram's decoding, with the format it was recognised as. */
export interface DispatchedOutput extends DecodeOutput {
  format: ExportFormat | undefined;
}

/** Every flow-export decoder behind one entry point. */
export interface FlowDecoder {
  /**
   * Decodes any supported datagram (its format sniffed unless given); never
   * throws. Unrecognised bytes count 'unknown_format'.
   */
  decode(datagram: Uint8Array, ctx: DatagramContext, format?: ExportFormat): DispatchedOutput;
  /** Expires data held for templates that never came (counted per exporter too). */
  expire(nowMs: number): DecodeOutput & { expiredByExporter: Map<string, number> };
  /** Template and sampler state to persist across restarts. */
  saveState(): unknown;
  loadState(state: unknown): void;
  readonly sflow: ReturnType<typeof createSflowDecoder>;
  readonly netflow: ReturnType<typeof createNetflowDecoder>;
}

/** Creates the dispatcher and both decoders (inert: no timers, no I/O). */
export function createFlowDecoder(opts: FlowDecoderOptions = {}): FlowDecoder {
  const netflow = createNetflowDecoder(opts.netflow);
  const sflow = createSflowDecoder(opts.sflow);
  return {
    netflow,
    sflow,
    decode(datagram, ctx, known) {
      const format = known ?? sniffFormat(datagram);
      if (format === undefined) {
        const errors = {};
        countError(errors, 'unknown_format');
        return { format, records: [], errors };
      }
      const out = format === 'sflow5' ? sflow.decode(datagram, ctx) : netflow.decode(datagram, ctx);
      return { ...out, format };
    },
    expire: (nowMs) => netflow.expire(nowMs),
    saveState: () => ({ version: 1, netflow: netflow.saveState() }),
    loadState(state) {
      if (state && typeof state === 'object' && 'netflow' in state) netflow.loadState(state.netflow);
    },
  };
}
