/**
 * Persistence of templates, options templates and sampler tables as plain
 * JSON, so a restarted collector decodes data before the exporter resends its
 * templates. Loading validates every value and skips what does not fit.
 */
import { domainState, exporterState, storeTemplate, type TemplateRegistry } from './template-registry.ts';
import { buildTemplate, sameLayout, type TemplateField } from './template.ts';
import { MIN_DATA_SET_ID } from './template-parse.ts';

/** Format version of NetflowState. */
export const NETFLOW_STATE_VERSION = 1;

/** A saved template: fields as [ie, length, pen]. */
export interface SavedTemplate {
  id: number;
  isOptions: boolean;
  scopeCount: number;
  fields: [number, number, number][];
}

/** A saved (exporter, version, domain). */
export interface SavedDomain {
  version: number;
  domain: number;
  templates: SavedTemplate[];
  /** [sampler id, rate] */
  samplers: [number, number][];
  defaultRate: number;
  /** systemInitTimeMilliseconds, or null when unknown. */
  sysInitMs: number | null;
}

/** The decoder's persistent state (JSON-serialisable). */
export interface NetflowState {
  version: number;
  exporters: { exporter: string; domains: SavedDomain[] }[];
}

/** Snapshot of the registry. */
export function saveRegistry(reg: TemplateRegistry): NetflowState {
  const exporters: NetflowState['exporters'] = [];
  for (const ex of reg.exporters.values()) {
    const domains: SavedDomain[] = [];
    for (const d of ex.domains.values()) {
      domains.push({
        version: d.version,
        domain: d.domain,
        templates: [...d.templates.values()].map((t) => ({
          id: t.id,
          isOptions: t.isOptions,
          scopeCount: t.scopeCount,
          fields: t.fields.map((f): [number, number, number] => [f.ie, f.length, f.pen]),
        })),
        samplers: [...d.samplers.entries()],
        defaultRate: d.defaultRate,
        sysInitMs: Number.isNaN(d.sysInitMs) ? null : d.sysInitMs,
      });
    }
    exporters.push({ exporter: ex.exporter, domains });
  }
  return { version: NETFLOW_STATE_VERSION, exporters };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isUint = (x: unknown, max: number): x is number =>
  Number.isInteger(x) && (x as number) >= 0 && (x as number) <= max;
const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffff_ffff;

/** Merges a saved state into the registry; invalid parts are skipped, never thrown on. */
export function loadRegistry(reg: TemplateRegistry, state: unknown): void {
  if (!isObject(state) || state['version'] !== NETFLOW_STATE_VERSION || !Array.isArray(state['exporters']))
    return;
  for (const e of state['exporters'] as unknown[]) {
    if (!isObject(e) || typeof e['exporter'] !== 'string' || !Array.isArray(e['domains'])) continue;
    const ex = exporterState(reg, e['exporter']);
    if (ex === undefined) return;
    for (const sd of e['domains'] as unknown[]) {
      if (!isObject(sd) || (sd['version'] !== 9 && sd['version'] !== 10) || !isUint(sd['domain'], UINT32_MAX))
        continue;
      const d = domainState(ex, sd['version'], sd['domain']);
      if (typeof sd['defaultRate'] === 'number' && sd['defaultRate'] > 0) d.defaultRate = sd['defaultRate'];
      if (typeof sd['sysInitMs'] === 'number' && Number.isFinite(sd['sysInitMs']))
        d.sysInitMs = sd['sysInitMs'];
      if (Array.isArray(sd['samplers'])) {
        for (const s of sd['samplers'] as unknown[]) {
          if (
            Array.isArray(s) &&
            isUint(s[0], Number.MAX_SAFE_INTEGER) &&
            typeof s[1] === 'number' &&
            s[1] > 0
          ) {
            d.samplers.set(s[0], s[1]);
          }
        }
      }
      if (!Array.isArray(sd['templates'])) continue;
      for (const st of sd['templates'] as unknown[]) {
        const t = parseSavedTemplate(st, sd['version']);
        if (t !== undefined) storeTemplate(reg, ex, d, t, (a, b) => sameLayout(a.fields, b.fields));
      }
    }
  }
}

function parseSavedTemplate(st: unknown, version: number): ReturnType<typeof buildTemplate> | undefined {
  if (!isObject(st) || !isUint(st['id'], UINT16_MAX) || st['id'] < MIN_DATA_SET_ID) return undefined;
  if (typeof st['isOptions'] !== 'boolean' || !isUint(st['scopeCount'], UINT16_MAX)) return undefined;
  const raw = st['fields'];
  // A template cannot hold more fields than a 64 KiB set has room for.
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > UINT16_MAX / 4) return undefined;
  const fields: TemplateField[] = [];
  for (const f of raw as unknown[]) {
    if (
      !Array.isArray(f) ||
      !isUint(f[0], UINT16_MAX) ||
      !isUint(f[1], UINT16_MAX) ||
      !isUint(f[2], UINT32_MAX)
    ) {
      return undefined;
    }
    fields.push({ ie: f[0], length: f[1], pen: f[2] });
  }
  if (st['scopeCount'] > fields.length || (st['isOptions'] && version === 10 && st['scopeCount'] === 0))
    return undefined;
  const t = buildTemplate(st['id'], version, st['isOptions'], st['scopeCount'], fields);
  // A record of zero bytes cannot be framed.
  return t.plan.minRecordLength > 0 ? t : undefined;
}
