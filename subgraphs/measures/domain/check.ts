/**
 * 凡办必查 (F25, F29): which measures of the catalogues apply today, for one matter, to a subject
 * and to the parties that answer for it. Pure: the records come in (sources.ts gathers them),
 * the applied measures go out.
 *
 * Each record is judged by the catalogue of the city that issued it (its 三清单, which the member
 * cities recognise: 信用互认), in the version in force today; a list entry counts only when that
 * catalogue takes its list type as an object list. A record of a related party applies only the
 * measures whose `reach` names the relation it came through.
 */
import type { PathStep } from "../../../lib/service/answerable.js";
import type { Catalogue, CatalogueRegistry, CommitmentType, ListTypeName, Measure, ReachRole, TierName } from "../catalogues/index.js";

export type Trigger =
  | { kind: "LIST_ENTRY"; id: string; listType: ListTypeName; issuingCity: string; basis: string; since: string; expiresOn: string | null }
  | { kind: "RATING"; id: string; tier: TierName; issuingCity: string; basis: string; since: string; expiresOn: string | null }
  | { kind: "COMMITMENT"; id: string; type: CommitmentType; issuingCity: string; basis: string; since: string; expiresOn: string | null };

export type { PathStep };

/** A subject or a party that answers for it (role null: the subject itself). */
export interface Party {
  id: string;
  kind: "ENTERPRISE" | "INDIVIDUAL";
  role: ReachRole | null;
  path: PathStep[];
  triggers: Trigger[];
}

export interface AppliedMeasure {
  measure: Measure;
  catalogue: Catalogue;
  trigger: Trigger;
  party: Party;
  /** The last day it applies; null: as long as its record stands. */
  expiresOn: string | null;
}

function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

function triggers(m: Measure, c: Catalogue, t: Trigger): boolean {
  switch (t.kind) {
    case "LIST_ENTRY": return c.objectLists.includes(t.listType) && (m.triggers.listTypes ?? []).includes(t.listType);
    case "RATING": return (m.triggers.tiers ?? []).includes(t.tier);
    case "COMMITMENT": return (m.triggers.breachedCommitments ?? []).includes(t.type);
  }
}

const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/** Punitive before incentive, then by measure, issuing city and record: one stable order for every caller. */
export function applyMeasures(registry: CatalogueRegistry, matter: string, today: string, parties: Party[]): AppliedMeasure[] {
  const out: AppliedMeasure[] = [];
  for (const party of parties) {
    for (const t of party.triggers) {
      const catalogue = registry.catalogueOn(t.issuingCity, today);
      if (!catalogue) continue;
      for (const measure of catalogue.measures) {
        if (!measure.matters.includes(matter) || !triggers(measure, catalogue, t)) continue;
        if (party.role !== null && !measure.reach.includes(party.role)) continue;
        const expiresOn = earliest(t.expiresOn, measure.forMonths ? addMonths(t.since, measure.forMonths) : null);
        if (expiresOn !== null && expiresOn < today) continue;
        out.push({ measure, catalogue, trigger: t, party, expiresOn });
      }
    }
  }
  const rank = (a: AppliedMeasure) => `${a.measure.kind === "PUNITIVE" ? 0 : 1}|${a.measure.code}|${a.trigger.issuingCity}|${a.party.role ?? ""}|${a.trigger.kind}|${a.trigger.id.padStart(12, "0")}`;
  return out.sort((a, b) => rank(a).localeCompare(rank(b)));
}
