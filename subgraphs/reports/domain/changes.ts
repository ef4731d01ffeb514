/** What changed in a subject's status since a report was issued (F39): its snapshot against today's facts. */
import type { Sections } from "./snapshot.js";

export type ChangeKind = "NEW_LIST_ENTRY" | "LIST_ENTRY_STATE_CHANGED" | "LIST_ENTRY_REMOVED" | "NEW_RATING" | "RATING_NO_LONGER_IN_FORCE" | "TIER_CHANGED" | "RELATED_PARTY_RISK_CHANGED";

export interface StatusChange {
  kind: ChangeKind;
  description: string;
  listEntryId?: string;
  listType?: string;
  city?: string;
  fromState?: string | null;
  toState?: string | null;
  ratingId?: string;
  fromTier?: string | null;
  toTier?: string | null;
  fromScore?: number | null;
  toScore?: number | null;
}

/** Changes in the sections the report shows (a section it leaves out is not compared). */
export function statusChanges(issued: Sections, now: Sections): StatusChange[] {
  const changes: StatusChange[] = [];
  if (issued.lists && now.lists) {
    const before = new Map(issued.lists.map((e) => [e.id, e]));
    const after = new Map(now.lists.map((e) => [e.id, e]));
    for (const e of now.lists) {
      const old = before.get(e.id);
      if (!old) changes.push({ kind: "NEW_LIST_ENTRY", description: `${e.issuingCity.name} listed it (${e.listType}, ${e.state})`, listEntryId: e.id, listType: e.listType, city: e.issuingCity.code, fromState: null, toState: e.state });
      else if (old.state !== e.state) changes.push({ kind: "LIST_ENTRY_STATE_CHANGED", description: `${e.issuingCity.name}'s ${e.listType} entry ${e.id}: ${old.state} → ${e.state}`, listEntryId: e.id, listType: e.listType, city: e.issuingCity.code, fromState: old.state, toState: e.state });
    }
    for (const e of issued.lists) {
      if (!after.has(e.id)) changes.push({ kind: "LIST_ENTRY_REMOVED", description: `${e.issuingCity.name}'s ${e.listType} entry ${e.id} is no longer shown`, listEntryId: e.id, listType: e.listType, city: e.issuingCity.code, fromState: e.state, toState: null });
    }
  }
  if (issued.ratings && now.ratings) {
    const before = new Set(issued.ratings.map((r) => r.id));
    const after = new Set(now.ratings.map((r) => r.id));
    for (const r of now.ratings) if (!before.has(r.id)) changes.push({ kind: "NEW_RATING", description: `${r.issuingCity.name} rated it ${r.grade} on ${r.scale.title} (${r.tier})`, ratingId: r.id, city: r.issuingCity.code, toTier: r.tier });
    for (const r of issued.ratings) if (!after.has(r.id)) changes.push({ kind: "RATING_NO_LONGER_IN_FORCE", description: `${r.issuingCity.name}'s rating ${r.grade} on ${r.scale.title} is no longer in force`, ratingId: r.id, city: r.issuingCity.code, fromTier: r.tier });
  }
  if (issued.supervisionTier && now.supervisionTier && issued.supervisionTier.tier !== now.supervisionTier.tier) {
    changes.push({ kind: "TIER_CHANGED", description: `supervision tier ${issued.supervisionTier.tier} → ${now.supervisionTier.tier}`, fromTier: issued.supervisionTier.tier, toTier: now.supervisionTier.tier });
  }
  const [was, is] = [issued.relatedPartyRisk, now.relatedPartyRisk];
  if (was?.available && is?.available && was.score !== is.score) {
    changes.push({ kind: "RELATED_PARTY_RISK_CHANGED", description: `related-party risk ${was.score} → ${is.score}`, fromScore: was.score, toScore: is.score });
  }
  return changes;
}
