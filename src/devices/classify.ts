/**
 * Classification with evidence. Each observation is turned into evidence by
 * the rule files in fingerprints/; a device's evidence is combined per
 * attribute: for each candidate value, the strongest evidence of each kind
 * counts once and the kinds combine as independent witnesses (noisy-OR:
 * 1 - Π(1 - w)), so two weak, different facts beat one of them repeated.
 * The best value wins; its confidence is its score discounted by the
 * runner-up (s1 · s1 / (s1 + s2)), so a contested answer says so. A manual
 * override always wins, with confidence 1.
 */
import { dhcpEvidence } from './fingerprints/dhcp-rules.ts';
import { hostNameEvidence } from './fingerprints/hostname-rules.ts';
import { ouiEvidence } from './fingerprints/oui-rules.ts';
import type { EvidenceDraft } from './fingerprints/conclusion.ts';
import type {
  Attribute,
  AttributeAnswer,
  Classification,
  Device,
  DeviceOverride,
  Evidence,
  Observation,
} from './model.ts';
import { isRandomisedMac } from './mac.ts';

/** MAC -> IEEE registry organisation (src/enrich/oui), undefined when unknown. */
export type VendorLookup = (mac: string) => string | undefined;

/** Capabilities below this score are not reported. */
const MIN_CAPABILITY_SCORE = 0.3;
const RANDOMISED_MAC_WIFI_WEIGHT = 0.5;

/** Evidence an observation carries, from every rule that applies. */
export function evidenceFor(obs: Observation, vendorOf: VendorLookup): EvidenceDraft[] {
  const out: EvidenceDraft[] = [...(obs.evidence ?? [])];
  if (obs.dhcp) out.push(...dhcpEvidence(obs.dhcp));
  for (const n of obs.names ?? []) out.push(...hostNameEvidence(n.name));
  if (obs.mac) {
    if (isRandomisedMac(obs.mac))
      out.push({
        attribute: 'capability',
        value: 'wifi',
        weight: RANDOMISED_MAC_WIFI_WEIGHT,
        kind: 'oui',
        detail: `locally administered MAC ${obs.mac} (Wi-Fi MAC randomisation)`,
      });
    else {
      const vendor = vendorOf(obs.mac);
      if (vendor) out.push(...ouiEvidence(obs.mac, vendor));
    }
  }
  return out;
}

interface Scored {
  value: string;
  score: number;
  evidence: Evidence[];
}

/** Candidate values of one attribute, best first. */
function score(evidence: readonly Evidence[], attribute: Attribute): Scored[] {
  const byValue = new Map<string, { value: string; byKind: Map<string, number>; evidence: Evidence[] }>();
  for (const e of evidence) {
    if (e.attribute !== attribute) continue;
    const key = e.value.toLowerCase();
    let v = byValue.get(key);
    if (!v) byValue.set(key, (v = { value: e.value, byKind: new Map(), evidence: [] }));
    v.byKind.set(e.kind, Math.max(v.byKind.get(e.kind) ?? 0, e.weight));
    v.evidence.push(e);
  }
  const out: Scored[] = [];
  for (const v of byValue.values()) {
    let miss = 1;
    for (const w of v.byKind.values()) miss *= 1 - Math.min(1, Math.max(0, w));
    out.push({ value: v.value, score: 1 - miss, evidence: v.evidence });
  }
  return out.sort((a, b) => b.score - a.score || a.value.localeCompare(b.value));
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

function decide(
  evidence: readonly Evidence[],
  attribute: Exclude<Attribute, 'capability'>,
  override: DeviceOverride,
): AttributeAnswer | undefined {
  const manual = override[attribute];
  if (manual !== undefined) return { value: manual, confidence: 1, decidedBy: 'manual', evidence: [] };
  const [best, second] = score(evidence, attribute);
  if (!best) return undefined;
  const s2 = second?.score ?? 0;
  return {
    value: best.value,
    confidence: round((best.score * best.score) / (best.score + s2)),
    decidedBy: 'evidence',
    evidence: best.evidence,
  };
}

/** The device's attributes with their confidence and evidence. */
export function classify(d: Pick<Device, 'evidence' | 'override'>): Classification {
  const { evidence, override } = d;
  const c: Classification = {
    deviceType: decide(evidence, 'deviceType', override) ?? {
      value: 'unknown',
      confidence: 0,
      decidedBy: 'evidence',
      evidence: [],
    },
    capabilities: score(evidence, 'capability')
      .filter((s) => s.score >= MIN_CAPABILITY_SCORE)
      .map((s) => ({
        value: s.value,
        confidence: round(s.score),
        decidedBy: 'evidence',
        evidence: s.evidence,
      })),
  };
  for (const a of ['manufacturer', 'model', 'os'] as const) {
    const ans = decide(evidence, a, override);
    if (ans) c[a] = ans;
  }
  // A version only counts when the rule behind it also named the winning OS.
  const osRules = new Set(c.os?.evidence.map((e) => e.detail));
  const version = decide(
    evidence.filter((e) => e.attribute !== 'osVersion' || osRules.has(e.detail)),
    'osVersion',
    override,
  );
  if (version) c.osVersion = version;
  return c;
}
