import { describe, expect, it } from "@jest/globals";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { partnerCities } from "../../../lib/cities.js";
import { loadCatalogues } from "./index.js";

const here = new URL("./", import.meta.url);

/** A copy of the catalogue folder with one file changed. */
function withChange(file: string, change: (json: Record<string, unknown>) => void): URL {
  const dir = mkdtempSync(join(tmpdir(), "catalogues-"));
  cpSync(here, dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, file), "utf8"));
  change(json);
  writeFileSync(join(dir, file), JSON.stringify(json));
  return pathToFileURL(`${dir}/`);
}

describe("measure catalogues", () => {
  const registry = loadCatalogues();

  it("holds a catalogue in force today for every member city, each including the national measures", () => {
    for (const city of partnerCities()) {
      const c = registry.catalogueOn(city.code, "2026-12-06");
      expect(c).toBeDefined();
      expect(c!.measures.filter((m) => m.national).length).toBeGreaterThan(5);
      expect(c!.measures.some((m) => !m.national)).toBe(true);
    }
  });

  it("answers the version in force on a date", () => {
    expect(registry.catalogueOn("610800", "2026-06-30")!.version).toBe(2);
    expect(registry.catalogueOn("610800", "2026-07-01")!.version).toBe(3);
    expect(registry.catalogueOn("610800", "2025-01-01")).toBeUndefined();
  });

  it("refuses an unknown matter naming the known ones", () => {
    expect(() => registry.requireMatter("auction", "matter")).toThrow(/tendering \(招标投标\)/);
  });

  it("stops the start on a bad file, naming the file and the fault", () => {
    const cases: Array<[string, (j: Record<string, unknown>) => void, RegExp]> = [
      ["620100.json", (j) => { (j.versions as Array<{ measures: Array<{ matters: string[] }> }>)[0].measures[0].matters = ["auction"]; }, /620100\.json v4: measure LZ-P-TRANSPORT names unknown matter 'auction'/],
      ["610800.json", (j) => { (j.versions as Array<{ validTo: string | null }>)[0].validTo = "2026-08-01"; }, /610800\.json: v2 must end where v3 starts/],
      ["640100.json", (j) => { (j.versions as Array<{ measures: Array<{ code: string }> }>)[0].measures[0].code = "N-P-TENDER"; }, /640100\.json v3: measure N-P-TENDER twice/],
      ["150100.json", (j) => { (j.versions as Array<{ measures: Array<{ triggers: object }> }>)[0].measures[0].triggers = {}; }, /150100\.json: .*a measure needs a trigger/],
    ];
    for (const [file, change, fault] of cases) {
      const dir = withChange(file, change);
      try {
        expect(() => loadCatalogues(dir)).toThrow(fault);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
