import { describe, expect, it } from "@jest/globals";
import { deriveTiers, type RatingFacts } from "./tiers.js";

let id = 0;
const r = (scaleId: string, tier: string, ratedOn: string, validUntil: string, field: string | null = null): RatingFacts =>
  ({ id: ++id, scaleId, field, tier, ratedOn: new Date(ratedOn), validUntil: new Date(validUntil) });
const plain = (m: Map<string, { tier: string; rated: boolean }>) => Object.fromEntries([...m].map(([k, v]) => [k, `${v.tier}${v.rated ? "" : " (unrated)"}`]));

describe("supervision tiers from ratings", () => {
  it("is NORMAL and unrated without a rating in force", () => {
    expect(plain(deriveTiers([], "2026-06-01"))).toEqual({ "": "NORMAL (unrated)" });
    expect(plain(deriveTiers([r("A", "HIGH_RISK", "2020-01-01", "2021-01-01")], "2026-06-01"))).toEqual({ "": "NORMAL (unrated)" });
    expect(plain(deriveTiers([r("A", "HIGH_RISK", "2026-07-01", "2027-01-01")], "2026-06-01"))).toEqual({ "": "NORMAL (unrated)" });
  });

  it("counts only the newest result of each scale, and the most severe across scales", () => {
    const ratings = [r("A", "HIGH_RISK", "2025-01-01", "2027-01-01"), r("A", "LOW_RISK", "2026-01-01", "2028-01-01"), r("B", "NORMAL", "2026-02-01", "2028-01-01")];
    expect(plain(deriveTiers(ratings, "2026-06-01"))).toEqual({ "": "NORMAL" });
    expect(plain(deriveTiers(ratings.slice(0, 2), "2026-06-01"))).toEqual({ "": "LOW_RISK" });
    // The newer result lapsed: the older one, still in force, counts again.
    expect(plain(deriveTiers([r("A", "HIGH_RISK", "2025-01-01", "2027-01-01"), r("A", "LOW_RISK", "2026-01-01", "2026-05-01")], "2026-06-01"))).toEqual({ "": "HIGH_RISK" });
  });

  it("gives a field the general tiers and that field's, the general tier only the general ones", () => {
    const ratings = [r("P", "LOW_RISK", "2026-01-01", "2028-01-01"), r("S", "HIGH_RISK", "2026-01-01", "2028-01-01", "安全生产"), r("E", "NORMAL", "2026-01-01", "2028-01-01", "生态环境")];
    expect(plain(deriveTiers(ratings, "2026-06-01"))).toEqual({ "": "LOW_RISK", "安全生产": "HIGH_RISK", "生态环境": "NORMAL" });
    // A field that had a row keeps one, decided by what is left.
    expect(plain(deriveTiers(ratings.slice(0, 1), "2026-06-01", ["安全生产"]))).toEqual({ "": "LOW_RISK", "安全生产": "LOW_RISK" });
  });
});
