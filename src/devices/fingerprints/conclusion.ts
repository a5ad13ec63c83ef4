/**
 * What a fingerprint rule concludes, and how a conclusion becomes evidence.
 * Every rule file in this folder is FlowLens's own data, written from
 * public knowledge (RFCs, vendor documentation, the shared captures); none
 * is copied from a fingerprint database.
 */
import type { Attribute, DeviceType, Evidence, EvidenceKind } from '../model.ts';

/** The attributes a rule supports. */
export interface Conclusion {
  deviceType?: DeviceType;
  manufacturer?: string;
  model?: string;
  os?: string;
  osVersion?: string;
  capabilities?: string[];
}

/** Evidence without its time (the inventory stamps it). */
export type EvidenceDraft = Omit<Evidence, 'seenMs'>;

const SINGLE: readonly (Exclude<Attribute, 'capability'> & keyof Conclusion)[] = [
  'deviceType',
  'manufacturer',
  'model',
  'os',
  'osVersion',
];

/**
 * One evidence per attribute of `c`, with the same kind and detail; the
 * device type may carry its own weight (an OS says less about the kind of
 * device than about itself: Android runs phones, tablets and TV boxes).
 */
export function evidenceOf(
  c: Conclusion,
  weight: number,
  kind: EvidenceKind,
  detail: string,
  typeWeight = weight,
): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  for (const a of SINGLE) {
    const v = c[a];
    if (v)
      out.push({ attribute: a, value: v, weight: a === 'deviceType' ? typeWeight : weight, kind, detail });
  }
  for (const cap of c.capabilities ?? [])
    out.push({ attribute: 'capability', value: cap, weight, kind, detail });
  return out;
}

/** Replaces `$1`.. in the conclusion's strings with the regular expression's groups. */
export function fillGroups(c: Conclusion, m: RegExpExecArray): Conclusion {
  const sub = (s: string | undefined): string | undefined =>
    s?.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '').trim() || undefined;
  const out: Conclusion = { ...c };
  for (const a of SINGLE) {
    const v = sub(c[a]);
    if (v === undefined) delete out[a];
    else (out as Record<string, string>)[a] = v;
  }
  return out;
}
