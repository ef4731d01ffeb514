/**
 * A report's content: the snapshot of the sections its template shows, as canonical JSON
 * (RFC 8785, the `canonicalize` package by the RFC's author), and its SHA-256.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { Section } from "../templates/index.js";
import type { CityRef, EnterpriseFacts, FactSources, ListEntryFact, MeasureFact, RatingFact, RiskFact, TierFact } from "./sources.js";

export const REPORT_FORMAT = "yellow-river-credit-report/1";

export interface Sections {
  registration?: EnterpriseFacts["registration"];
  licenses?: EnterpriseFacts["licenses"];
  penalties?: EnterpriseFacts["penalties"];
  lists?: ListEntryFact[];
  ratings?: RatingFact[];
  supervisionTier?: TierFact;
  relatedPartyRisk?: RiskFact;
  measuresInForce?: MeasureFact[];
}

/** What the issuing city signs: everything a reader needs to check it, and the sections. */
export interface ReportContent {
  format: typeof REPORT_FORMAT;
  code: string;
  subject: { kind: "ENTERPRISE"; uscc: string; name: string };
  template: { id: string; version: number; title: string };
  purpose: string;
  issuingCity: CityRef;
  issuedAt: string;
  validUntil: string;
  keyId: string;
  sections: Sections;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("nothing to canonicalize");
  return text;
}

export const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const has = (sections: readonly Section[], ...any: Section[]) => any.some((s) => sections.includes(s));

/**
 * Asks only the sources the sections need, in parallel. Null when the enterprise is unknown
 * (asked whenever registration data is shown, which every template does).
 */
export async function gatherSections(sources: FactSources, uscc: string, city: string, sections: readonly Section[]): Promise<{ sections: Sections; name: string | null }> {
  const [enterprise, lists, ratings, risk, measures] = await Promise.all([
    has(sections, "registration", "licenses", "penalties") ? sources.enterprise(uscc, city) : Promise.resolve(undefined),
    has(sections, "lists") ? sources.lists(uscc, city) : Promise.resolve(undefined),
    has(sections, "ratings", "supervisionTier") ? sources.ratings(uscc, city) : Promise.resolve(undefined),
    has(sections, "relatedPartyRisk") ? sources.relatedPartyRisk(uscc, city) : Promise.resolve(undefined),
    has(sections, "measuresInForce") ? sources.measuresInForce(uscc, city) : Promise.resolve(undefined),
  ]);
  const out: Sections = {};
  if (sections.includes("registration")) out.registration = enterprise?.registration;
  if (sections.includes("licenses")) out.licenses = enterprise?.licenses ?? [];
  if (sections.includes("penalties")) out.penalties = enterprise?.penalties ?? [];
  if (lists) out.lists = [...lists].sort((a, b) => Number(a.id) - Number(b.id));
  if (ratings && sections.includes("ratings")) out.ratings = [...ratings.ratings].sort((a, b) => Number(a.id) - Number(b.id));
  if (ratings && sections.includes("supervisionTier")) out.supervisionTier = ratings.supervisionTier;
  if (risk) out.relatedPartyRisk = risk;
  if (measures) out.measuresInForce = measures;
  return { sections: out, name: enterprise === null ? null : (enterprise?.registration.name ?? "") };
}
