import { describe, expect, it } from "@jest/globals";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { statusChanges } from "./changes.js";
import { loadAgreements } from "./agreements.js";
import { canonicalJson, sha256Hex } from "./snapshot.js";
import { loadTemplates, requireUse } from "../templates/index.js";
import type { ListEntryFact, RatingFact } from "./sources.js";

const city = { code: "610800", name: "榆林市" };
const entry = (id: string, state: string): ListEntryFact => ({ id, listType: "SERIOUS_DISHONESTY", state, authority: "x", severity: null, issuingCity: city, basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: "n", decidedOn: "2026-01-01" }, publicityUntil: null, recognisedAt: "2026-01-01T00:00:00Z" });
const rating = (id: string, tier: string): RatingFact => ({ id, evaluatorType: "PUBLIC_COMPREHENSIVE", evaluator: "e", issuingCity: city, scale: { id: "610800-PUBLIC", version: 2, title: "t" }, field: null, score: null, grade: "A", tier, ratedOn: "2026-01-01", validUntil: "2027-01-01" });

describe("canonical JSON (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units, drops whitespace and writes numbers the ECMAScript way", () => {
    // RFC 8785 §3.2.3 sorts "\u20ac" (€) after "\r" and before "\ud83d\ude00"-keyed entries; numbers like 1e21 and 1.0.
    expect(canonicalJson({ b: 1.0, a: [true, null, 1e21], "€": "x", "\r": 2, "😀": 3 })).toBe('{"\\r":2,"a":[true,null,1e+21],"b":1,"€":"x","😀":3}');
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("status changes since issue", () => {
  it("names new entries, moves, removals, new and lapsed ratings and tier changes, and nothing when nothing changed", () => {
    const issued = { lists: [entry("1", "PUBLISHED"), entry("2", "PUBLISHED")], ratings: [rating("7", "NORMAL")], supervisionTier: { tier: "NORMAL", rated: true, since: null } };
    expect(statusChanges(issued, issued)).toEqual([]);
    const now = { lists: [entry("1", "REPAIRED"), entry("3", "PUBLISHED")], ratings: [rating("8", "HIGH_RISK")], supervisionTier: { tier: "HIGH_RISK", rated: true, since: null } };
    expect(statusChanges(issued, now).map((c) => [c.kind, c.listEntryId ?? c.ratingId ?? null, c.fromState ?? c.fromTier ?? null, c.toState ?? c.toTier ?? null])).toEqual([
      ["LIST_ENTRY_STATE_CHANGED", "1", "PUBLISHED", "REPAIRED"],
      ["NEW_LIST_ENTRY", "3", null, "PUBLISHED"],
      ["LIST_ENTRY_REMOVED", "2", "PUBLISHED", null],
      ["NEW_RATING", "8", null, "HIGH_RISK"],
      ["RATING_NO_LONGER_IN_FORCE", "7", "NORMAL", null],
      ["TIER_CHANGED", null, "NORMAL", "HIGH_RISK"],
    ]);
  });

  it("names a moved related-party risk score, and none when the graph was unavailable either time", () => {
    const risk = (score: number) => ({ available: true as const, score, contributions: [] });
    expect(statusChanges({ relatedPartyRisk: risk(0.1) }, { relatedPartyRisk: risk(0.55) })).toEqual([expect.objectContaining({ kind: "RELATED_PARTY_RISK_CHANGED", fromScore: 0.1, toScore: 0.55 })]);
    expect(statusChanges({ relatedPartyRisk: risk(0.1) }, { relatedPartyRisk: risk(0.1) })).toEqual([]);
    expect(statusChanges({ relatedPartyRisk: { available: false } }, { relatedPartyRisk: risk(0.55) })).toEqual([]);
  });

  it("compares only the sections the report shows", () => {
    expect(statusChanges({ lists: [] }, { lists: [], ratings: [rating("8", "HIGH_RISK")], supervisionTier: { tier: "HIGH_RISK", rated: true, since: null } })).toEqual([]);
  });
});

describe("templates and agreements as data", () => {
  const templates = loadTemplates();
  it("loads every template, defaults to standard, and names the known ones for an unknown id", () => {
    expect(templates.require(undefined).id).toBe("standard");
    expect(() => templates.require("gold")).toThrow(/no report template 'gold' \(templates: .*public-resources.*standard/);
    expect(() => requireUse("shopping")).toThrow(/procurement, tendering, approval, market-entry, qualification/);
  });

  it("finds the agreement covering a pair in either direction, for its templates, uses and dates only", () => {
    const a = loadAgreements(undefined, templates.templates.map((t) => t.id));
    expect(a.covering("610800", "640100", "standard", "procurement", "2026-12-06")?.id).toBe("YRC-2026-001");
    expect(a.covering("640100", "610800", "standard", "procurement", "2026-12-06")?.id).toBe("YRC-2026-001");
    expect(a.covering("610800", "620100", "standard", "procurement", "2026-12-06")).toBeNull();
    expect(a.covering("610800", "620100", "standard", "qualification", "2026-12-06")?.id).toBe("YRC-2026-003");
    expect(a.covering("640100", "150100", "public-resources", "tendering", "2026-12-06")?.id).toBe("YRC-2026-005");
    expect(a.covering("640100", "150100", "public-resources", "tendering", "2027-06-01")).toBeNull();
    expect(a.covering("610800", "150100", "standard", "procurement", "2026-12-06")).toBeNull();
  });

  it("refuses an agreement file naming an unknown template or a city that is not a partner", () => {
    const dir = mkdtempSync(join(tmpdir(), "agreements-"));
    const file = (agreements: unknown) => {
      const f = join(dir, `${Math.random()}.json`);
      writeFileSync(f, JSON.stringify({ agreements }));
      return pathToFileURL(f);
    };
    const base = { id: "X", title: "t", cities: ["610800", "640100"], templates: ["standard"], uses: ["procurement"], validFrom: "2026-01-01", validTo: null };
    expect(() => loadAgreements(file([{ ...base, templates: ["gold"] }]), ["standard"])).toThrow(/X: no report template 'gold'/);
    expect(() => loadAgreements(file([{ ...base, cities: ["610800", "999999"] }]), ["standard"])).toThrow(/999999 is not a partner city/);
  });
});
