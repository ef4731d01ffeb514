import { describe, it, expect } from "@jest/globals";
import { GraphModel, type Affiliate, type Step } from "./model.js";

const E = (uscc: string) => ({ __typename: "Enterprise", uscc });
const P = (idNumber: string) => ({ __typename: "Individual", idNumber });
const step = (type: string, from: Step["from"], to: Step["to"], share: number | null = null): Step => ({ type, share, from, to });
const ROOT = "91610822MA28QNPT9B";

describe("the affiliate graph the page draws", () => {
  it("adds each affiliate on its path, people keyed as the API returns them, people without a record by the path to them", () => {
    const m = new GraphModel({ uscc: ROOT, name: "根企业" });
    const rep = P("610803********3108");
    const affiliates: Affiliate[] = [
      { kind: "PERSON", distance: 1, riskFlags: [], id: { __typename: "Individual" }, subject: { ...rep, name: "唐*" }, path: [step("LEGAL_REPRESENTATIVE_OF", rep, E(ROOT))] },
      { kind: "ENTERPRISE", distance: 2, riskFlags: ["SERIOUS_DISHONESTY"], id: E("91620105MA1HBEK18N"), subject: null, path: [step("LEGAL_REPRESENTATIVE_OF", rep, E(ROOT)), step("LEGAL_REPRESENTATIVE_OF", rep, E("91620105MA1HBEK18N"))] },
      // A person the records do not hold (subject and step ends null), and a firm reached through them.
      { kind: "PERSON", distance: 1, riskFlags: [], id: null, subject: null, path: [step("SHAREHOLDER_OF", null, E(ROOT), 0.6)] },
      { kind: "ENTERPRISE", distance: 2, riskFlags: [], id: E("91640100GD7972172C"), subject: null, path: [step("SHAREHOLDER_OF", null, E(ROOT), 0.6), step("SHAREHOLDER_OF", null, E("91640100GD7972172C"), 0.3)] },
    ];
    m.addAffiliates(m.rootKey, affiliates);
    expect([...m.nodes.keys()].sort()).toEqual([`E:${ROOT}`, "E:91620105MA1HBEK18N", "E:91640100GD7972172C", "P:610803********3108", `U:E:${ROOT}|SHAREHOLDER_OF`].sort());
    expect(m.edges.size).toBe(4);
    expect(m.edges.get(`U:E:${ROOT}|SHAREHOLDER_OF>SHAREHOLDER_OF>E:91640100GD7972172C`)?.share).toBe(0.3);
    expect(m.nodes.get("P:610803********3108")).toMatchObject({ kind: "person", distance: 1, label: "唐*\n610803********3108", registered: true });
    expect(m.nodes.get("E:91620105MA1HBEK18N")).toMatchObject({ distance: 2, flags: ["SERIOUS_DISHONESTY"], registered: false });
  });

  it("marks the paths behind the risk score, adding what lies beyond the affiliates asked for, and the controllers", () => {
    const m = new GraphModel({ uscc: ROOT, name: "根企业" });
    const [a, b, c] = ["91620800GD79721803", "91640100GD7972172C", "91150100GD7972121N"].map(E);
    m.markRisk([{ kind: "ENTERPRISE", flags: ["LOW_RATING"], distance: 3, contribution: 0.005, id: c, path: [step("SUPPLY_CHAIN", a, E(ROOT)), step("SUPPLY_CHAIN", b, a), step("SUPPLY_CHAIN", c, b)] }]);
    expect([...m.edges.values()].filter((e) => e.risk)).toHaveLength(3);
    expect(m.nodes.get(`E:${c.uscc}`)).toMatchObject({ distance: 3, risk: true, flags: ["LOW_RATING"] });
    // An ownership path from the controller down to the subject: walked from the subject's end.
    const owner = P("610802********1234");
    m.markControllers([{ kind: "PERSON", effectiveShare: 0.48, controls: true, id: null, subject: { ...owner, name: "王*" }, paths: [{ steps: [step("SHAREHOLDER_OF", owner, a, 0.8), step("SHAREHOLDER_OF", a, E(ROOT), 0.6)] }] }]);
    expect(m.nodes.get("P:610802********1234")).toMatchObject({ controller: { share: 0.48, controls: true }, distance: 2 });
  });
});
