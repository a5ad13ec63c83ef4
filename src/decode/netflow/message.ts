/**
 * What NetFlow v9 and IPFIX messages share once the header is read: data sets
 * decoded or held, and held sets released when their template arrives.
 */
import { countError, type DecodeOutput } from '../result.ts';
import { decodeDataSet, type MessageContext } from './data-set.ts';
import { holdSet, takePending } from './pending.ts';
import type { RecordScratch } from './record.ts';
import type { DomainState, ExporterState, TemplateRegistry } from './template-registry.ts';

/** The decoder's long-lived pieces a message needs. */
export interface DecoderEnv {
  reg: TemplateRegistry;
  scratch: RecordScratch;
}

/** Per-message state while the sets are walked. */
export interface MessageState {
  env: DecoderEnv;
  ex: ExporterState;
  d: DomainState;
  mc: MessageContext;
  receivedMs: number;
  out: DecodeOutput;
  /** Template ids learnt by this message. */
  learnt: Set<number>;
  /** Data records decoded (for IPFIX sequence numbers). */
  records: number;
  /** Whether a data set was held (then the record count is unknown). */
  held: boolean;
}

/** A data set: decoded with its template, or held until the template comes. */
export function handleDataSet(
  m: MessageState,
  setId: number,
  b: Uint8Array,
  v: DataView,
  start: number,
  end: number,
): void {
  const t = m.d.templates.get(setId);
  if (t !== undefined) {
    m.records += decodeDataSet(t, m.d, b, v, start, end, m.mc, m.env.scratch, m.out);
    return;
  }
  m.held = true;
  const limit = m.env.reg.limits.maxPendingPerExporter;
  if (limit <= 0) {
    countError(m.out.errors, 'template_missing');
    return;
  }
  holdSet(
    m.ex,
    {
      version: m.mc.version,
      domain: m.d.domain,
      templateId: setId,
      body: b.slice(start, end),
      receivedMs: m.receivedMs,
      exportMs: m.mc.exportMs,
      sysUptimeMs: m.mc.sysUptimeMs,
    },
    limit,
    m.out,
  );
}

/** Decodes the held sets whose template this message brought, into this message's output. */
export function releasePending(m: MessageState): void {
  if (m.learnt.size === 0 || m.ex.pending.length === 0) return;
  for (const p of takePending(m.ex, m.mc.version, m.d.domain, m.learnt)) {
    const t = m.d.templates.get(p.templateId);
    if (t === undefined) continue;
    const mc: MessageContext = { ...m.mc, exportMs: p.exportMs, sysUptimeMs: p.sysUptimeMs };
    const v = new DataView(p.body.buffer, p.body.byteOffset, p.body.byteLength);
    decodeDataSet(t, m.d, p.body, v, 0, p.body.length, mc, m.env.scratch, m.out);
  }
}
