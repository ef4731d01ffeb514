import { describe, expect, it } from "@jest/globals";
import { loadCatalogues } from "../catalogues/index.js";
import { applyMeasures, type Party, type Trigger } from "./check.js";

const registry = loadCatalogues();
const TODAY = "2026-12-06";
const entry = (listType: string, city: string, id = "1", expiresOn: string | null = null): Trigger =>
  ({ kind: "LIST_ENTRY", id, listType: listType as "RED", issuingCity: city, basis: "b", since: "2026-01-01", expiresOn });
const subject = (...triggers: Trigger[]): Party => ({ id: "S", kind: "ENTERPRISE", role: null, path: [], triggers });
const codes = (parties: Party[], matter: string) => applyMeasures(registry, matter, TODAY, parties).map((a) => `${a.measure.code}@${a.catalogue.city}v${a.catalogue.version}`);

describe("applying the catalogues", () => {
  it("judges each record by its issuing city's catalogue in force", () => {
    expect(codes([subject(entry("SERIOUS_DISHONESTY", "620100"))], "qualification")).toEqual(["LZ-P-TRANSPORT@620100v4", "N-P-NOPROMISE@620100v4"]);
    expect(codes([subject(entry("SERIOUS_DISHONESTY", "610800"))], "qualification")).toEqual(["N-P-NOPROMISE@610800v3"]);
  });

  it("counts a list type only where the issuing city takes it as an object list", () => {
    // FALSE_LITIGATION is in 兰州's object lists, not in 延安's.
    expect(codes([subject(entry("FALSE_LITIGATION", "620100"))], "procurement")).toEqual(["N-P-PROCURE@620100v4"]);
    expect(codes([subject(entry("FALSE_LITIGATION", "610600"))], "procurement")).toEqual([]);
  });

  it("reaches an enterprise through a related party only by the relations a measure names", () => {
    const person = (role: Party["role"]): Party => ({ id: "P", kind: "INDIVIDUAL", role, path: [], triggers: [entry("SERIOUS_DISHONESTY", "620100")] });
    expect(codes([person("LEGAL_REPRESENTATIVE_OF")], "tendering")).toEqual(["N-P-TENDER@620100v4"]);
    expect(codes([person("PRINCIPAL_OF")], "tendering")).toEqual([]);
    // The subsidy restriction does not extend to the people at all.
    expect(codes([person("ACTUAL_CONTROLLER_OF")], "subsidy")).toEqual([]);
  });

  it("ends a breach-triggered measure after its months, and leaves out records that have ended", () => {
    const breach = (since: string): Trigger => ({ kind: "COMMITMENT", id: "9", type: "SUPPLEMENT_LATER", issuingCity: "620800", basis: "b", since, expiresOn: null });
    const recent = applyMeasures(registry, "subsidy", TODAY, [subject(breach("2026-01-15"))]);
    expect(recent.map((a) => [a.measure.code, a.expiresOn])).toEqual([["PL-P-AGRI", "2028-01-15"]]);
    expect(applyMeasures(registry, "subsidy", TODAY, [subject(breach("2024-11-01"))])).toEqual([]);
    expect(codes([subject(entry("SERIOUS_DISHONESTY", "620100", "2", "2026-12-05"))], "tendering")).toEqual([]);
  });

  it("puts punishments before incentives", () => {
    const rated: Trigger = { kind: "RATING", id: "3", tier: "LOW_RISK", issuingCity: "640100", basis: "b", since: "2026-03-15", expiresOn: "2028-03-14" };
    expect(codes([subject(rated, entry("INDUSTRY_BLACKLIST", "640100"))], "approval")).toEqual(["YC-P-ENV@640100v3", "YC-I-NOTICE@640100v3"]);
  });
});
