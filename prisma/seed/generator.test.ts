import { describe, it, expect } from "@jest/globals";
import { checkIdNumber, checkUscc } from "../../lib/ids/index.js";
import { partnerCities } from "../../lib/cities.js";
import { generateEnterprises, individualAt, seedAnchorDate, PUBLICITY_YEARS, addYears, type GeneratedEnterprise } from "./generator.js";
import { Random, affinePermutation } from "./random.js";

function take(seed: number, n: number): GeneratedEnterprise[] {
  return [...generateEnterprises({ seed, enterprises: n })];
}

const anchor = new Date(`${seedAnchorDate()}T00:00:00Z`);
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

describe("random", () => {
  it("repeats for a seed and differs between seeds", () => {
    const a = new Random(7), b = new Random(7), c = new Random(8);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xs);
  });

  it("keeps int() in range, both ends reachable", () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it("affinePermutation is a bijection", () => {
    for (const size of [1, 2, 10, 997, 1000, 4096]) {
      const perm = affinePermutation(size, 42);
      const out = new Set(Array.from({ length: size }, (_, i) => perm(i)));
      expect(out.size).toBe(size);
      expect(Math.max(...out)).toBe(size - 1);
    }
  });
});

describe("generator", () => {
  it("gives identical records for the same seed, independent of the run length", () => {
    const a = take(20260401, 500);
    expect(take(20260401, 500)).toEqual(a);
    expect(take(20260401, 800).slice(0, 500)).toEqual(a);
  });

  it("gives different records for a different seed", () => {
    const a = take(1, 500).map((g) => g.enterprise.uscc);
    const b = take(2, 500).map((g) => g.enterprise.uscc);
    expect(b).not.toEqual(a);
    expect(b.filter((u, i) => u === a[i]).length).toBeLessThan(5);
  });

  it("produces only valid identifiers and consistent records (5,000 enterprises)", () => {
    const cityCodes = new Set(partnerCities().map((c) => c.code));
    const districts = new Map(partnerCities().flatMap((c) => c.districts.map(([d]) => [d, c.code] as const)));
    for (const g of generateEnterprises({ seed: 99, enterprises: 5000 })) {
      const e = g.enterprise;
      const u = checkUscc(e.uscc);
      expect(u).toMatchObject({ ok: true, orgCodeCheckValid: true });
      expect(["91", "92", "93", "12"]).toContain(e.uscc.slice(0, 2));
      expect(districts.get(e.uscc.slice(2, 8))).toBe(e.registeredCityCode);
      expect(cityCodes.has(e.registeredCityCode)).toBe(true);

      const p = g.legalRepresentative;
      const id = checkIdNumber(p.idNumber, anchor);
      expect(id.ok).toBe(true);
      if (id.ok) {
        expect(id.birthDate >= "1950-01-01" && id.birthDate <= "2002-12-31").toBe(true);
      }
      expect(districts.get(p.idNumber.slice(0, 6))).toBe(p.cityCode);
      expect(e.legalRepresentativeId).toBe(p.idNumber);
      expect(e.legalRepresentativeName).toBe(p.name);
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);

      expect(e.registeredCapital).toMatch(/^\d+\.\d{2}$/);
      expect(e.establishedOn).toMatch(isoDate);
      expect(e.establishedOn >= "1995-01-01" && e.establishedOn <= seedAnchorDate()).toBe(true);
      expect(e.industryCode).toMatch(/^[A-T]\d{4}$/);
      expect(e.address.includes(partnerCities().find((c) => c.code === e.registeredCityCode)!.name)).toBe(true);

      expect(g.licenses.length).toBeLessThanOrEqual(3);
      expect(g.penalties.length).toBeLessThanOrEqual(2);
      for (const l of g.licenses) {
        expect(l.uscc).toBe(e.uscc);
        expect(cityCodes.has(l.issuingCityCode)).toBe(true);
        expect(l.decidedOn >= e.establishedOn && l.decidedOn <= seedAnchorDate()).toBe(true);
        if (l.validUntil) expect(l.validUntil > l.decidedOn).toBe(true);
      }
      for (const p2 of g.penalties) {
        expect(p2.uscc).toBe(e.uscc);
        expect(p2.publicityUntil).toBe(addYears(p2.decidedOn, PUBLICITY_YEARS[p2.severity]));
        if (p2.fineAmount !== null) expect(p2.fineAmount).toMatch(/^\d+\.\d{2}$/);
      }
      for (const q of p.qualifications) {
        expect(q.idNumber).toBe(p.idNumber);
        expect(cityCodes.has(q.issuingCityCode)).toBe(true);
      }
    }
  });

  it("never repeats a USCC or a new person's ID number (20,000 enterprises)", () => {
    const usccs = new Set<string>();
    const ids = new Set<string>();
    let n = 0, newPeople = 0;
    for (const g of generateEnterprises({ seed: 5, enterprises: 20_000 })) {
      usccs.add(g.enterprise.uscc);
      n++;
      if (g.legalRepresentativeIsNew) {
        ids.add(g.legalRepresentative.idNumber);
        newPeople++;
      } else {
        expect(ids.has(g.legalRepresentative.idNumber)).toBe(true);
      }
    }
    expect(usccs.size).toBe(n);
    expect(ids.size).toBe(newPeople);
  });

  it("keeps decision and certificate numbers unique per issuing city", () => {
    const licenses = new Set<string>();
    const penalties = new Set<string>();
    const certificates = new Set<string>();
    let nl = 0, np = 0, nq = 0, crossCity = 0;
    for (const g of generateEnterprises({ seed: 3, enterprises: 20_000 })) {
      for (const l of g.licenses) {
        licenses.add(`${l.issuingCityCode}|${l.decisionNumber}`);
        nl++;
        if (l.issuingCityCode !== g.enterprise.registeredCityCode) crossCity++;
      }
      for (const p of g.penalties) {
        penalties.add(`${p.issuingCityCode}|${p.decisionNumber}`);
        np++;
        if (p.issuingCityCode !== g.enterprise.registeredCityCode) crossCity++;
      }
      if (g.legalRepresentativeIsNew) {
        for (const q of g.legalRepresentative.qualifications) {
          certificates.add(`${q.issuingCityCode}|${q.certificateNumber}`);
          nq++;
        }
      }
    }
    expect(licenses.size).toBe(nl);
    expect(penalties.size).toBe(np);
    expect(certificates.size).toBe(nq);
    expect(nl).toBeGreaterThan(0);
    expect(np).toBeGreaterThan(0);
    expect(nq).toBeGreaterThan(0);
    expect(crossCity).toBeGreaterThan(0);
  });

  it("spreads enterprises over all six cities, with realistic shares", () => {
    const perCity = new Map<string, number>();
    let withPenalty = 0, reused = 0;
    const statuses = new Set<string>();
    const types = new Set<string>();
    const N = 20_000;
    for (const g of generateEnterprises({ seed: 11, enterprises: N })) {
      perCity.set(g.enterprise.registeredCityCode, (perCity.get(g.enterprise.registeredCityCode) ?? 0) + 1);
      if (g.penalties.length) withPenalty++;
      if (!g.legalRepresentativeIsNew) reused++;
      statuses.add(g.enterprise.status);
      types.add(g.unitType);
    }
    expect([...perCity.keys()].sort()).toEqual(partnerCities().map((c) => c.code).sort());
    expect(perCity.size).toBe(6);
    expect(withPenalty / N).toBeGreaterThan(0.15);
    expect(withPenalty / N).toBeLessThan(0.25);
    expect(reused / N).toBeGreaterThan(0.07);
    expect(reused / N).toBeLessThan(0.13);
    expect([...statuses].sort()).toEqual(["ACTIVE", "CANCELLED", "REVOKED", "SUSPENDED"]);
    expect([...types].sort()).toEqual(["12", "91", "92", "93"]);
  });

  it("reuses legal representatives, regenerable from their key", () => {
    const byId = new Map<string, number>();
    for (const g of generateEnterprises({ seed: 8, enterprises: 3000 })) {
      const p = g.legalRepresentative;
      byId.set(p.idNumber, (byId.get(p.idNumber) ?? 0) + 1);
      expect(individualAt(8, p.key)).toEqual(p);
    }
    const repeated = [...byId.values()].filter((n) => n > 1).length;
    expect(repeated).toBeGreaterThan(50);
  });
});
