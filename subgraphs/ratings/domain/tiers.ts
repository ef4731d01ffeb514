/**
 * A subject's supervision tiers from its ratings (信用分级分类监管, F35–F36). Per scale only the
 * newest rating in force counts (a new result replaces the evaluator's earlier one); across
 * scales the most severe tier wins, so one HIGH_RISK result raises inspection however good
 * the others are. The general tier ("") is taken from general scales; a field's tier from the
 * general scales and that field's. Without a rating in force a subject is NORMAL, unrated.
 */
import { SEVERITY, type Tier } from "../scales/index.js";

export interface RatingFacts {
  id: number;
  scaleId: string;
  field: string | null;
  tier: string;
  ratedOn: Date;
  validUntil: Date;
}

export interface DerivedTier {
  tier: Tier;
  rated: boolean;
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The tiers on `day` (YYYY-MM-DD): "" and each field in `fields` or rated in force. */
export function deriveTiers(ratings: readonly RatingFacts[], day: string, fields: Iterable<string> = []): Map<string, DerivedTier> {
  const newest = new Map<string, RatingFacts>();
  for (const r of ratings) {
    if (dayOf(r.ratedOn) > day || dayOf(r.validUntil) < day) continue;
    const seen = newest.get(r.scaleId);
    if (!seen || dayOf(r.ratedOn) > dayOf(seen.ratedOn) || (dayOf(r.ratedOn) === dayOf(seen.ratedOn) && r.id > seen.id)) newest.set(r.scaleId, r);
  }
  const inForce = [...newest.values()];
  const worst = (of: RatingFacts[]): DerivedTier =>
    of.length === 0 ? { tier: "NORMAL", rated: false } : { tier: of.map((r) => r.tier as Tier).reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a)), rated: true };
  const general = inForce.filter((r) => r.field === null);
  const out = new Map<string, DerivedTier>([["", worst(general)]]);
  for (const f of new Set([...fields, ...inForce.map((r) => r.field).filter((x): x is string => x !== null)])) {
    out.set(f, worst([...general, ...inForce.filter((r) => r.field === f)]));
  }
  return out;
}
