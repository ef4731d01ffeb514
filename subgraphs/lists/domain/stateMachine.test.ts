import { describe, it, expect } from "@jest/globals";
import { GraphQLError } from "graphql";
import { allowedTargets, checkTransition, type Mover } from "./stateMachine.js";
import { periodsFor, loadRules } from "../rules/index.js";

const STATES = ["RECOGNISED", "PUBLISHED", "UNDER_OBJECTION", "RECTIFYING", "REPAIRED", "EXITED", "EXPIRED", "REVOKED"] as const;
const MOVERS: Mover[] = ["manual", "repair", "repairRevoked", "sweep"];

describe("list entry state machine", () => {
  it.each(STATES.flatMap((from) => STATES.map((to) => [from, to] as const)))("%s → %s is allowed exactly when the table says so", (from, to) => {
    for (const by of MOVERS) {
      const ok = allowedTargets(from, by).includes(to);
      if (ok) expect(() => checkTransition(from, to, by)).not.toThrow();
      else {
        try {
          checkTransition(from, to, by);
          throw new Error("expected INVALID_TRANSITION");
        } catch (e) {
          expect(e).toBeInstanceOf(GraphQLError);
          expect((e as GraphQLError).extensions).toMatchObject({ code: "INVALID_TRANSITION", currentState: from, allowed: allowedTargets(from, by) });
          expect((e as GraphQLError).message).toContain(from);
        }
      }
    }
  });

  it("keeps final states final for hand moves and lets only the sweep expire", () => {
    for (const s of ["REPAIRED", "EXITED", "EXPIRED", "REVOKED"] as const) expect(allowedTargets(s, "manual")).toEqual([]);
    expect(allowedTargets("PUBLISHED", "manual")).not.toContain("EXPIRED");
    expect(allowedTargets("PUBLISHED", "sweep")).toEqual(["EXPIRED"]);
    expect(allowedTargets("REPAIRED", "repairRevoked")).toEqual(["PUBLISHED"]);
  });
});

describe("versioned publicity rules", () => {
  const rules = loadRules();
  const d = (s: string) => new Date(`${s}T00:00:00.000Z`);
  const iso = (x: Date) => x.toISOString().slice(0, 10);
  it.each([
    ["2026-05-10", "SERIOUS", "NDRC-2025-36", "2027-05-10", "2029-05-10"],
    ["2026-05-10", "GENERAL", "NDRC-2025-36", "2026-08-10", "2027-05-10"],
    ["2026-05-10", "MINOR", "NDRC-2025-36", "2026-05-10", "2026-08-10"],
    ["2026-03-31", "SERIOUS", "NDRC-2023-58", "2026-06-30", "2029-03-31"],
    ["2021-06-01", "SERIOUS", "NDRC-2019-527", "2022-06-01", "2024-06-01"],
  ] as const)("a %s decision of severity %s falls under %s", (decided, severity, regime, repair, until) => {
    const p = periodsFor(rules, d(decided), severity);
    expect(p.ruleVersion).toBe(regime);
    expect(iso(p.earliestRepairOn)).toBe(repair);
    expect(iso(p.publicityUntil)).toBe(until);
  });
});
