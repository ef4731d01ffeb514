import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { partnerCities } from "../../../lib/cities.js";
import { loadScales, SEVERITY, type Tier } from "./index.js";

const scales = loadScales();
const tierOn = (id: string, grade: string, day = "2026-06-01") => scales.tierOf(scales.scaleOn(id, day), grade);

describe("the grade-scale registry (F35)", () => {
  it("has a file for every member city, each with its own scale and all three inspection rules", () => {
    for (const c of partnerCities()) {
      expect(scales.scales.some((s) => s.city === c.code && s.evaluatorType === "PUBLIC_COMPREHENSIVE")).toBe(true);
      const [low, normal, high] = (["LOW_RISK", "NORMAL", "HIGH_RISK"] as const).map((t) => scales.inspection(c.code, t));
      // Better tiers are inspected less: 差异化抽查比例.
      expect(low.ratio).toBeLessThan(normal.ratio);
      expect(normal.ratio).toBeLessThan(high.ratio);
    }
    const labels = new Set(partnerCities().map((c) => scales.scales.filter((s) => s.city === c.code && s.evaluatorType === "PUBLIC_COMPREHENSIVE" && s.validTo === null)[0].grades.map((g) => g.label).join("/")));
    expect(labels.size).toBe(partnerCities().length);
  });

  it("maps each city's grades as that city registered them", () => {
    const expected: Array<[string, string, Tier]> = [
      ["610800-PUBLIC", "AA", "LOW_RISK"], ["610800-PUBLIC", "B", "NORMAL"], ["610800-PUBLIC", "C", "HIGH_RISK"],
      ["610800-SAFETY", "基本诚信", "NORMAL"], ["610800-SAFETY", "严重失信", "HIGH_RISK"],
      ["610600-PUBLIC", "优秀", "LOW_RISK"], ["610600-PUBLIC", "一般", "NORMAL"], ["610600-PUBLIC", "较差", "HIGH_RISK"],
      ["620100-PUBLIC", "A+", "LOW_RISK"], ["620100-PUBLIC", "B", "NORMAL"], ["620100-PUBLIC", "D", "HIGH_RISK"], ["620100-TAX", "M级", "NORMAL"],
      ["620800-PUBLIC", "一级", "LOW_RISK"], ["620800-PUBLIC", "三级", "NORMAL"], ["620800-PUBLIC", "四级", "HIGH_RISK"],
      ["640100-PUBLIC", "信用优良", "LOW_RISK"], ["640100-PUBLIC", "信用较差", "HIGH_RISK"], ["640100-MARKET", "BBB", "NORMAL"], ["640100-MARKET", "CCC", "HIGH_RISK"],
      ["150100-PUBLIC", "A类", "LOW_RISK"], ["150100-PUBLIC", "C类", "NORMAL"], ["150100-ENV", "黄牌", "HIGH_RISK"], ["150100-ENV", "绿牌", "LOW_RISK"],
    ];
    for (const [id, grade, tier] of expected) expect([id, grade, tierOn(id, grade)]).toEqual([id, grade, tier]);
  });

  it("lists every scale's grades from the best to the worst", () => {
    for (const s of scales.scales) {
      const sev = s.grades.map((g) => SEVERITY[g.tier]);
      expect([s.id, sev]).toEqual([s.id, [...sev].sort((a, b) => a - b)]);
    }
  });

  it("refuses a grade outside the scale, naming the scale and its grades", () => {
    let err: unknown;
    try { tierOn("620800-PUBLIC", "AAA"); } catch (e) { err = e; }
    expect(err).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "grade" } });
    expect(String((err as Error).message)).toContain("620800-PUBLIC v1");
    expect(String((err as Error).message)).toContain("一级, 二级, 三级, 四级");
  });

  it("takes the scale version in force on the rating date", () => {
    expect(scales.scaleOn("610800-PUBLIC", "2024-12-31").version).toBe(1);
    expect(scales.scaleOn("610800-PUBLIC", "2025-01-01").version).toBe(2);
    expect(tierOn("610800-PUBLIC", "差", "2024-06-01")).toBe("HIGH_RISK");
    expect(() => tierOn("610800-PUBLIC", "差", "2025-06-01")).toThrow("not a grade of scale 610800-PUBLIC v2");
    expect(() => scales.scaleOn("610800-PUBLIC", "2019-01-01")).toThrow("no version in force on 2019-01-01");
    expect(() => scales.scaleOn("999999-X", "2026-01-01")).toThrow("no grade scale '999999-X'");
  });

  it("stops the start on a bad file, naming the file and the fault", () => {
    const dir = mkdtempSync(join(tmpdir(), "scales-"));
    try {
      const good = JSON.parse(readFileSync(new URL("./610800.json", import.meta.url), "utf8"));
      good.scales[0].grades[0].tier = "VERY_LOW";
      writeFileSync(join(dir, "610800.json"), JSON.stringify(good));
      expect(() => loadScales(pathToFileURL(`${dir}/`))).toThrow(/610800\.json: scales\.0\.grades\.0\.tier/);
      good.scales[0].grades[0].tier = "LOW_RISK";
      good.scales[0].grades[1].label = good.scales[0].grades[0].label;
      writeFileSync(join(dir, "610800.json"), JSON.stringify(good));
      expect(() => loadScales(pathToFileURL(`${dir}/`))).toThrow("repeats a grade");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
