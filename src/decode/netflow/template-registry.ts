/**
 * Per-exporter state: templates and options templates keyed by (exporter,
 * version + observation domain / source id, template id), sampler tables,
 * sequence tracking and held data sets. Bounded by the limits in `Limits`.
 */
import type { PendingSet } from './pending.ts';
import type { Template } from './template.ts';

/** State of one (exporter, protocol version, observation domain). */
export interface DomainState {
  version: number;
  domain: number;
  templates: Map<number, Template>;
  /** Sampler / selector id -> 1-in-N rate, from options data (v9 IE 48/50, IPFIX 302/305...). */
  samplers: Map<number, number>;
  /** Rate an options record set for the whole domain (no sampler id), 0 if none. */
  defaultRate: number;
  /** IPFIX IE 160 systemInitTimeMilliseconds from options data, NaN if unknown. */
  sysInitMs: number;
  /** Sequence number expected next, -1 when unknown (start, restart, held data). */
  nextSequence: number;
}

/** State of one exporter address. */
export interface ExporterState {
  exporter: string;
  domains: Map<number, DomainState>;
  templateCount: number;
  pending: PendingSet[];
  /** NetFlow v5 flow_sequence expected next, by engine (type << 8 | id). */
  v5NextSequence: Map<number, number>;
}

/** Bounds of the registry (see NetflowDecoderOptions). */
export interface Limits {
  holdMs: number;
  maxPendingPerExporter: number;
  maxTemplatesPerExporter: number;
  maxExporters: number;
}

/** Domains of both protocols share one map: the key keeps v9 source ids and IPFIX domains apart. */
export function domainKey(version: number, domain: number): number {
  return version * 0x1_0000_0000 + domain;
}

/** The registry of every exporter's state. */
export interface TemplateRegistry {
  limits: Limits;
  exporters: Map<string, ExporterState>;
}

/** An empty registry. */
export function createRegistry(limits: Limits): TemplateRegistry {
  return { limits, exporters: new Map() };
}

/** The exporter's state, created on first use; undefined when maxExporters is reached. */
export function exporterState(reg: TemplateRegistry, exporter: string): ExporterState | undefined {
  let ex = reg.exporters.get(exporter);
  if (ex !== undefined) return ex;
  if (reg.exporters.size >= reg.limits.maxExporters) return undefined;
  ex = { exporter, domains: new Map(), templateCount: 0, pending: [], v5NextSequence: new Map() };
  reg.exporters.set(exporter, ex);
  return ex;
}

/** The domain's state, created on first use. */
export function domainState(ex: ExporterState, version: number, domain: number): DomainState {
  const key = domainKey(version, domain);
  let d = ex.domains.get(key);
  if (d === undefined) {
    d = {
      version,
      domain,
      templates: new Map(),
      samplers: new Map(),
      defaultRate: 0,
      sysInitMs: NaN,
      nextSequence: -1,
    };
    ex.domains.set(key, d);
  }
  return d;
}

/** Result of storing a template. */
export type StoreResult = 'added' | 'replaced' | 'unchanged' | 'limit';

/**
 * Stores (or redefines) a template. A template id reused with another layout
 * replaces the old one; beyond maxTemplatesPerExporter new ids are refused.
 */
export function storeTemplate(
  reg: TemplateRegistry,
  ex: ExporterState,
  d: DomainState,
  t: Template,
  same: (a: Template, b: Template) => boolean,
): StoreResult {
  const old = d.templates.get(t.id);
  if (old !== undefined) {
    if (old.isOptions === t.isOptions && same(old, t)) return 'unchanged';
    d.templates.set(t.id, t);
    return 'replaced';
  }
  if (ex.templateCount >= reg.limits.maxTemplatesPerExporter) return 'limit';
  d.templates.set(t.id, t);
  ex.templateCount++;
  return 'added';
}

/** Withdraws one template (RFC 7011 §8.1); returns whether it existed. */
export function withdrawTemplate(ex: ExporterState, d: DomainState, id: number): boolean {
  if (!d.templates.delete(id)) return false;
  ex.templateCount--;
  return true;
}

/** Withdraws every data (or every options) template of the domain (RFC 7011 §8.1 "withdraw all"). */
export function withdrawAll(ex: ExporterState, d: DomainState, options: boolean): void {
  for (const [id, t] of d.templates) {
    if (t.isOptions === options) {
      d.templates.delete(id);
      ex.templateCount--;
    }
  }
}
