/**
 * Templates as learnt from NetFlow v9 (RFC 3954 §5.2-5.3) and IPFIX (RFC 7011
 * §3.4) template sets, and the decode plan each compiles to once.
 */
import { H } from './ie-numbers.ts';
import { chooseHandler } from './ie-table.ts';

/** RFC 7011 §7: a field length of 65535 announces a variable-length field. */
export const VARIABLE_LENGTH = 65535;

/** One field specifier: element id (E bit removed), length, PEN (0 = IANA). */
export interface TemplateField {
  ie: number;
  length: number;
  pen: number;
}

/**
 * What the record loop runs: parallel typed arrays (no per-field objects),
 * the handler code of each field, its length and an auxiliary number (the
 * MPLS stack position), plus the `extra` key of enterprise fields.
 */
export interface DataPlan {
  codes: Uint8Array;
  lengths: Uint16Array;
  aux: Uint8Array;
  extraKeys: (string | undefined)[];
  /** Bytes a record takes at least (a variable-length field at least 1). */
  minRecordLength: number;
  hasExtra: boolean;
}

/** A (data or options) template with its compiled plan. */
export interface Template {
  id: number;
  /** 9 or 10: the protocol the template arrived in (field meanings differ a little). */
  version: number;
  isOptions: boolean;
  /** Options templates: how many leading fields are scope fields. */
  scopeCount: number;
  fields: TemplateField[];
  plan: DataPlan;
}

/** MPLS label stack section IEs 70..79 (IANA) hold stack positions 0..9. */
const MPLS_FIRST_IE = 70;

/** IANA IE 8/27 and 12/28: the source and destination address elements. */
const SRC_ADDRESS_IES = [8, 27];
const DST_ADDRESS_IES = [12, 28];

/**
 * Index of the first of several source (or destination) address fields, or -1.
 * Tunnel-aware exporters (Cisco SRv6, Huawei) repeat the address block: first
 * the outer (tunnel) header, then the inner packet, which is the flow's 5-tuple.
 * Dual-stack templates repeat it too, with one family zero; the record finish
 * step tells them apart (see finishRecord).
 */
function firstOfRepeated(fields: TemplateField[], ies: number[]): number {
  let first = -1;
  let count = 0;
  fields.forEach((f, i) => {
    if (f.pen === 0 && f.length > 0 && ies.includes(f.ie)) {
      if (first < 0) first = i;
      count++;
    }
  });
  return count >= 2 ? first : -1;
}

/** Builds a template and compiles its plan. */
export function buildTemplate(
  id: number,
  version: number,
  isOptions: boolean,
  scopeCount: number,
  fields: TemplateField[],
): Template {
  return {
    id,
    version,
    isOptions,
    scopeCount,
    fields,
    plan: compilePlan(fields, version, isOptions, scopeCount),
  };
}

function compilePlan(
  fields: TemplateField[],
  version: number,
  isOptions: boolean,
  scopeCount: number,
): DataPlan {
  const n = fields.length;
  const present = new Set<number>();
  for (const f of fields) if (f.pen === 0 && f.length > 0) present.add(f.ie);
  const has = (ie: number): boolean => present.has(ie);
  const plan: DataPlan = {
    codes: new Uint8Array(n),
    lengths: new Uint16Array(n),
    aux: new Uint8Array(n),
    extraKeys: new Array<string | undefined>(n).fill(undefined),
    minRecordLength: 0,
    hasExtra: false,
  };
  const outerSrc = firstOfRepeated(fields, SRC_ADDRESS_IES);
  const outerDst = firstOfRepeated(fields, DST_ADDRESS_IES);
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    if (f === undefined) continue;
    plan.lengths[i] = f.length;
    plan.minRecordLength += f.length === VARIABLE_LENGTH ? 1 : f.length;
    // NetFlow v9 scope field types (System, Interface, ...) are not IEs (RFC 3954 §6.1).
    const isV9Scope = isOptions && version === 9 && i < scopeCount;
    const code = isV9Scope || f.length === 0 ? H.SKIP : chooseHandler(f.ie, f.pen, version, has);
    plan.codes[i] =
      i === outerSrc
        ? outerCode(code, H.OUTER_SRC_V4, H.OUTER_SRC_V6)
        : i === outerDst
          ? outerCode(code, H.OUTER_DST_V4, H.OUTER_DST_V6)
          : code;
    if (code === H.MPLS_LABEL) plan.aux[i] = f.ie - MPLS_FIRST_IE;
    if (code === H.EXTRA) {
      plan.extraKeys[i] = `${f.pen}.${f.ie}`;
      plan.hasExtra = true;
    }
  }
  return plan;
}

function outerCode(code: number, v4: number, v6: number): number {
  if (code === H.SRC_V4 || code === H.DST_V4) return v4;
  if (code === H.SRC_V6 || code === H.DST_V6) return v6;
  return code;
}

/** True when both field lists describe the same layout. */
export function sameLayout(a: TemplateField[], b: TemplateField[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return false;
    if (x.ie !== y.ie || x.length !== y.length || x.pen !== y.pen) return false;
  }
  return true;
}
