import { describe, expect, it } from "@jest/globals";
import type { RawPath, RawRel } from "./paths.js";
import { RISK_FORMULA, riskFrom, severityOf } from "./risk.js";
import type { GraphNode, RelationType } from "./types.js";

const n = (id: string, riskFlags: string[] = []): GraphNode => ({ id, kind: "Enterprise", name: id, cityCode: null, riskFlags });
const r = (type: RelationType, from: string, to: string, share: number | null = null): RawRel =>
  ({ type, from, to, share, cityCode: "610800", validFrom: "2020-01-01", validTo: null });
const path = (nodes: GraphNode[], rels: RawRel[]): RawPath => ({ nodes, rels });

describe("riskFrom (shared by both backends)", () => {
  const s = n("S"), x = n("X", ["SERIOUS_DISHONESTY", "LOW_RATING"]), p = n("P");

  it("takes the worst flag, and the strongest path rather than the shortest", () => {
    // direct supply link: 1.0 × 0.4 = 0.4; through a common legal representative: 1.0 × 0.5 × 1.0 × 1.0 = 0.5
    const direct = path([s, x], [r("SUPPLY_CHAIN", "S", "X")]);
    const viaRep = path([s, p, x], [r("LEGAL_REPRESENTATIVE_OF", "P", "S"), r("LEGAL_REPRESENTATIVE_OF", "P", "X")]);
    const got = riskFrom([direct, viaRep]);
    expect(got.score).toBe(0.5);
    expect(got.contributions).toEqual([{ node: x, flags: ["SERIOUS_DISHONESTY", "LOW_RATING"], distance: 2, weight: 1, contribution: 0.5, path: [
      { from: "P", to: "S", type: "LEGAL_REPRESENTATIVE_OF", share: null }, { from: "P", to: "X", type: "LEGAL_REPRESENTATIVE_OF", share: null },
    ] }]);
    expect(got.formula).toBe(RISK_FORMULA);
  });

  it("combines by noisy-OR, ignores unknown flags and non-simple paths", () => {
    const y = n("Y", ["KEY_ATTENTION"]), z = n("Z", ["SOMETHING_ELSE"]);
    const got = riskFrom([
      path([s, y], [r("SENIOR_MANAGER_OF", "S", "Y")]), // 0.5 × 0.6 = 0.3 (shape only; kinds are not checked here)
      path([s, x], [r("SHAREHOLDER_OF", "S", "X", 0.2)]), // 1.0 × 0.2 = 0.2
      path([s, z], [r("MEMBER_OF", "S", "Z")]), // severity 0
      path([s, y, s, x], [r("SENIOR_MANAGER_OF", "S", "Y"), r("SENIOR_MANAGER_OF", "S", "Y"), r("SUPPLY_CHAIN", "S", "X")]),
    ]);
    expect(got.contributions.map((c) => [c.node.id, c.contribution])).toEqual([["Y", 0.3], ["X", 0.2]]);
    expect(got.score).toBeCloseTo(1 - 0.7 * 0.8, 12);
  });

  it("severity is the maximum over a node's flags", () => {
    expect(severityOf(["LOW_RATING", "MARKET_BAN", "KEY_ATTENTION"])).toBe(0.9);
    expect(severityOf([])).toBe(0);
  });
});
