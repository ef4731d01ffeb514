/**
 * Where a report's facts come from: the other subgraphs' federation contracts, asked as the
 * reports service acting for the issuing city (never their tables). One call per source.
 */
import { callSubgraph } from "../../../lib/service/subgraphClient.js";

type Url = () => string | undefined;
export interface SourceLinks { enterprise: Url; lists: Url; ratings: Url; measures: Url; relations?: Url; secret: string }

export interface CityRef { code: string; name: string }

export interface EnterpriseFacts {
  registration: { uscc: string; name: string; legalRepresentativeName: string; registeredCity: CityRef; registeredCapital: string; establishedOn: string; status: string; industryCode: string; address: string };
  licenses: Array<{ decisionNumber: string; licenseName: string; authority: string; decidedOn: string; validUntil: string | null; issuingCity: CityRef }>;
  penalties: Array<{ decisionNumber: string; authority: string; decidedOn: string; content: string; fineAmount: string | null; publicityUntil: string; issuingCity: CityRef }>;
}

export interface ListEntryFact {
  id: string; listType: string; state: string; authority: string; severity: string | null; issuingCity: CityRef;
  basis: { type: string; referenceNumber: string; decidedOn: string }; publicityUntil: string | null; recognisedAt: string;
}

export interface RatingFact {
  id: string; evaluatorType: string; evaluator: string; issuingCity: CityRef; scale: { id: string; version: number; title: string };
  field: string | null; score: number | null; grade: string; tier: string; ratedOn: string; validUntil: string;
}

export interface TierFact { tier: string; rated: boolean; since: string | null }

/**
 * 关联方风险 as the relations subgraph scores it, without naming the related parties (a report
 * shows no one else's identity); `available: false` when the graph could not be asked.
 */
export type RiskFact =
  | { available: true; score: number; contributions: Array<{ kind: string; flags: string[]; distance: number; contribution: number }> }
  | { available: false };

/** 联合奖惩措施 in force on the subject: the measure, the catalogue it comes from, the record that triggers it. */
export interface MeasureFact {
  code: string; name: string; kind: string; family: string; basis: string;
  catalogue: { city: string; version: number }; issuingCity: CityRef; trigger: { kind: string; id: string; basis: string }; expiresOn: string | null;
}

export interface FactSources {
  enterprise(uscc: string, city: string): Promise<EnterpriseFacts | null>;
  lists(uscc: string, city: string): Promise<ListEntryFact[]>;
  ratings(uscc: string, city: string): Promise<{ ratings: RatingFact[]; supervisionTier: TierFact }>;
  relatedPartyRisk(uscc: string, city: string): Promise<RiskFact>;
  /** The measures subgraph's `Enterprise.measuresInForce`: every member city's measures applying today, any matter. */
  measuresInForce(uscc: string, city: string): Promise<MeasureFact[]>;
}

const CITY = "{ code name }";
const ENTERPRISE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
  uscc name legalRepresentativeName registeredCity ${CITY} registeredCapital establishedOn status industryCode address
  administrativeLicenses { decisionNumber licenseName authority decidedOn validUntil issuingCity ${CITY} }
  administrativePenalties { decisionNumber authority decidedOn content fineAmount publicityUntil issuingCity ${CITY} } } } }`;
const LISTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { listEntries {
  id listType state authority severity issuingCity ${CITY} basis { type referenceNumber decidedOn } publicityUntil recognisedAt } } } }`;
const RATINGS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
  ratings { id evaluatorType evaluator issuingCity ${CITY} scale { id version title } field score grade tier ratedOn validUntil }
  supervisionTier { tier rated since } } } }`;

const MEASURES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { measuresInForce {
  measure { code name kind family basis } catalogueCity { code } catalogueVersion issuingCity ${CITY} trigger { kind id basis } expiresOn } } } }`;
type MeasureRow = { measure: { code: string; name: string; kind: string; family: string; basis: string }; catalogueCity: { code: string }; catalogueVersion: number; issuingCity: CityRef; trigger: MeasureFact["trigger"]; expiresOn: string | null };

const RISK = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { relatedPartyRisk { score contributions { kind flags distance contribution } } } } }`;

type Entities<T> = { _entities: Array<T | null> };
/** Four decimals: what a reader can compare, and what a re-run of the same graph gives. */
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
const rep = (uscc: string) => ({ r: [{ __typename: "Enterprise", uscc }] });

function need(url: Url, name: string): string {
  const u = url();
  if (!u) throw new Error(`the ${name} subgraph is not running`);
  return u;
}

export function contractSources(links: SourceLinks): FactSources {
  const ask = <T>(url: Url, name: string, query: string, uscc: string, city: string, scopes = ["credit:read"]) =>
    callSubgraph<Entities<T>>(need(url, name), links.secret, "reports", scopes, query, rep(uscc), city).then((d) => d._entities[0] ?? null);
  return {
    async enterprise(uscc, city) {
      const e = await ask<EnterpriseFacts["registration"] & { administrativeLicenses: EnterpriseFacts["licenses"]; administrativePenalties: EnterpriseFacts["penalties"] }>(links.enterprise, "enterprise", ENTERPRISE, uscc, city);
      if (!e) return null;
      const { administrativeLicenses: licenses, administrativePenalties: penalties, ...registration } = e;
      return { registration, licenses, penalties };
    },
    lists: async (uscc, city) => (await ask<{ listEntries: ListEntryFact[] }>(links.lists, "lists", LISTS, uscc, city))?.listEntries ?? [],
    async ratings(uscc, city) {
      const r = await ask<{ ratings: RatingFact[]; supervisionTier: TierFact }>(links.ratings, "ratings", RATINGS, uscc, city);
      return r ?? { ratings: [], supervisionTier: { tier: "NORMAL", rated: false, since: null } };
    },
    async relatedPartyRisk(uscc, city) {
      // The graph is optional in the hub (and may be down): the report says so rather than failing.
      if (!links.relations?.()) return { available: false };
      try {
        const r = await ask<{ relatedPartyRisk: { score: number; contributions: Array<{ kind: string; flags: string[]; distance: number; contribution: number }> } }>(links.relations, "relations", RISK, uscc, city, ["credit:read", "graph:read"]);
        if (!r) return { available: false };
        return { available: true, score: round4(r.relatedPartyRisk.score), contributions: r.relatedPartyRisk.contributions.map((c) => ({ ...c, contribution: round4(c.contribution) })) };
      } catch {
        return { available: false };
      }
    },
    async measuresInForce(uscc, city) {
      const r = await ask<{ measuresInForce: MeasureRow[] }>(links.measures, "measures", MEASURES, uscc, city);
      return (r?.measuresInForce ?? []).map((m) => ({ ...m.measure, catalogue: { city: m.catalogueCity.code, version: m.catalogueVersion }, issuingCity: m.issuingCity, trigger: m.trigger, expiresOn: m.expiresOn }));
    },
  };
}
